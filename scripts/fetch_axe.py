"""Download axe-core (pinned) from the npm registry for the accessibility tests.

Checks the tarball against the sha512 integrity pinned here and the one the registry's
metadata gives, then writes `axe.min.js` to the target folder (default: .venv/axe-core-<v>/).
Nothing is downloaded when the file is already there. Exit 1 with a message on any failure.

    python scripts/fetch_axe.py [TARGET_DIR]
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "4.10.2"
INTEGRITY = (
    "sha512-RE3mdQ7P3FRSe7eqCWoeQ/Z9QXrtniSjp1wUjt5nRC3WIpz5rSCve6o3fsZ2aCpJtrZjSZgjwXAoTO5k4"
    "tEI0w=="
)
REGISTRY = "https://registry.npmjs.org/axe-core"
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TARGET = ROOT / ".venv" / f"axe-core-{VERSION}"


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - a fixed https URL
        return response.read()  # type: ignore[no-any-return]


def fetch(target: Path = DEFAULT_TARGET) -> Path:
    out = target / "axe.min.js"
    if out.is_file():
        return out
    meta = json.loads(_get(f"{REGISTRY}/{VERSION}"))
    dist = meta["dist"]
    if dist["integrity"] != INTEGRITY:
        raise SystemExit(f"axe-core {VERSION}: the registry's integrity differs from the pin")
    tarball = _get(dist["tarball"])
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if digest != INTEGRITY:
        raise SystemExit(f"axe-core {VERSION}: the tarball does not match its sha512 integrity")
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        member = archive.extractfile("package/axe.min.js")
        if member is None:
            raise SystemExit("axe-core: no package/axe.min.js in the tarball")
        script = member.read()
    target.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_bytes(script)
    tmp.replace(out)
    return out


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_TARGET
    try:
        path = fetch(target)
    except OSError as exc:
        raise SystemExit(f"axe-core {VERSION}: download failed: {exc}") from None
    print(f"axe-core {VERSION}: {path}")


if __name__ == "__main__":
    main()
