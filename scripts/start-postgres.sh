#!/usr/bin/env bash
# Installs Debian's PostgreSQL if missing, starts a cluster on 127.0.0.1, creates a test
# role and database, and prints the URL for LOFTE_TEST_POSTGRES_URL. Used by .ci/run.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 2>/dev/null || true
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p "$port" >&2
psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -p $port -qAt -c \"$1\""; }
if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname='lofte'")" != "1" ]; then
  psql_admin "CREATE ROLE lofte LOGIN PASSWORD 'lofte'" >&2
fi
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname='lofte_test'")" != "1" ]; then
  psql_admin "CREATE DATABASE lofte_test OWNER lofte" >&2
fi
echo "postgresql+psycopg://lofte:lofte@127.0.0.1:${port}/lofte_test"
