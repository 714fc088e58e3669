"""One settings object for Löfte.

Values come from the environment (prefix `LOFTE_`), then a `.env` file in the working directory,
then the defaults below. Every setting carries its help text; `docs/settings.md` is checked
against this class by the test suite so none stays undocumented.
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import ConfigError

# The shipped default: never used to sign (the web takes a random key and warns instead).
PLACEHOLDER_SECRET = "change-me-in-production"
MIN_SECRET_CHARS = 16
# A tracker's slug, as store.trackers checks it (LOFTE_DEFAULT_TRACKER names one).
TRACKER_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")  # whole string: fullmatch
# Processes one command may start (ingest, link, serve): `--workers 40` forked forty parsers on
# a 2-core machine (QA); more than this is a typo, not a plan.
MAX_WORKERS = 32
# Bounds of the numeric settings, beyond which no value is meant (QA: LOFTE_LOGIN_WINDOW=-1 was
# taken and turned the login throttle off; a huge value fails later, in a sleep or a date).
DAY = 86_400  # seconds: the longest timeout, budget or wait between two steps a setting gives
MAX_PARSE_MEMORY_MB = 1024 * 1024  # 1 TiB: the address-space cap must fit the platform's
MIN_LOGIN_WINDOW = 60  # seconds: below that a failed-login count is forgotten between guesses
MAX_LOGIN_WINDOW = 30 * DAY
MAX_NOTIFY_ATTEMPTS = 10  # the waits double: the tenth try comes 511 backoffs after the first
MAX_NOTIFY_BACKOFF = 60  # seconds: ten tries then span at most 8.5 hours
MAX_LOGIN_LIMIT = 1000  # failed logins: more is no throttle at all


def _user_cache_dir(name: str) -> str:
    """$XDG_CACHE_HOME/name, else ~/.cache/name; empty (no cache) for a user without a home."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return ""
    return str(Path(base) / name)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="LOFTE_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(
        default="sqlite:///lofte.db",
        description="SQLAlchemy URL of the database. SQLite is the default; use "
        "postgresql+psycopg://user:pass@host/db for PostgreSQL.",
    )
    default_tracker: str = Field(
        default="standard",
        description="Slug of the tracker that receives inputs when no --tracker is given; "
        "created on first use.",
    )
    host: str = Field(default="127.0.0.1", description="Address `lofte serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `lofte serve` listens on.")
    max_input_bytes: int = Field(
        default=50 * 1024 * 1024,
        gt=0,
        description="Largest input (file or download) accepted, in bytes; larger ones fail "
        "with a clear error and the rest of the batch goes on.",
    )
    input_time_budget: float = Field(
        default=300.0,
        ge=0,
        le=DAY,
        allow_inf_nan=False,
        description="Seconds one input may spend being parsed (0: no limit); an input that "
        "takes longer fails with a clear error and the rest of the batch goes on.",
    )
    parse_memory_mb: int = Field(
        default=512,
        ge=0,
        le=MAX_PARSE_MEMORY_MB,
        description="Megabytes of memory parsing one PDF (or other binary input) may use "
        "beyond what the program already holds (0: no limit); one that inflates past it fails.",
    )
    parse_worker_min_bytes: int = Field(
        default=256 * 1024,
        ge=0,
        description="Inputs from this many bytes on, and every PDF, are parsed in a worker "
        "process that the time and memory budgets can stop; smaller text inputs are parsed "
        "in-process, where the time budget is checked after parsing.",
    )
    max_pledges_per_document: int = Field(
        default=20_000,
        ge=0,
        description="Candidate pledges `lofte extract` takes from one program at most (0: no "
        "limit); a document that yields more fails with a clear error, nothing of it is "
        "stored, and the other documents are extracted. Real programs give a few hundred.",
    )
    extract_time_budget: float = Field(
        default=300.0,
        ge=0,
        le=DAY,
        allow_inf_nan=False,
        description="Seconds `lofte extract` may spend on one program document (0: no limit); "
        "a document that takes longer fails with a clear error naming it, nothing of it is "
        "stored, and the other documents are extracted. A 2022 manifesto takes seconds.",
    )
    analysis_cache_dir: str = Field(
        default_factory=lambda: _user_cache_dir("lofte"),
        description="Folder where the Swedish analyzer keeps its compound lexicon, built from "
        "the Hunspell dictionary, across runs (empty: build it in every process, one to two "
        "seconds).",
    )
    link_dense: bool = Field(
        default=True,
        description="The dense stage of `lofte link`: e5 embeddings of pledges and of each "
        "document's best passages, fused with the lexical ranking (docs/linking.md). Vectors "
        "are stored, so a text is encoded once; off: lexical only.",
    )
    link_workers: int = Field(
        default=0,
        ge=0,
        le=MAX_WORKERS,
        description="Processes that link batches of documents when `lofte link` runs lexical "
        "only (0: one per core, at most 4); each writes its own batches. With the dense stage "
        "on, linking stays in one process (the encoder uses every core).",
    )
    ingest_workers: int = Field(
        default=0,
        ge=0,
        le=MAX_WORKERS,
        description="Processes that read and parse files while ingest stores them (0: one per "
        "core beyond the storing one, at most 4). Batches under 200 files are read in-process.",
    )
    progress_interval: float = Field(
        default=10.0,
        ge=0,
        le=DAY,
        allow_inf_nan=False,
        description="Seconds between two plain progress lines that `lofte ingest`, `extract`, "
        "`link` and `publish` write to stderr when it is not a terminal (a pipe, a log, cron); "
        "a run shorter than this writes none. On a terminal, progress bars show instead.",
    )
    user_agent: str = Field(
        default="Lofte/0.1 (+https://github.com/lofte/lofte; election-pledge tracker)",
        description="User-Agent sent when fetching URLs.",
    )
    fetch_min_interval: float = Field(
        default=1.0,
        ge=0,
        le=DAY,
        allow_inf_nan=False,
        description="Least number of seconds between two requests to the same host when "
        "fetching URLs (politeness).",
    )
    fetch_timeout: float = Field(
        default=20.0,
        gt=0,
        le=DAY,
        allow_inf_nan=False,  # nan was taken and failed every fetch later (QA)
        description="Seconds to wait for a connection, or for each read, before a fetch fails.",
    )
    fetch_deadline: float = Field(
        default=60.0,
        gt=0,
        le=DAY,
        allow_inf_nan=False,
        description="Most seconds one URL fetch may take in all (DNS, connecting, redirects, "
        "robots.txt, headers and body), however slowly the server trickles; waiting for the "
        "host's turn (rate limit, Crawl-delay) does not count. On expiry the URL fails and the "
        "batch goes on.",
    )
    fetch_allow_hosts: str = Field(
        default="",
        description="Comma-separated host names or host:port pairs (e.g. "
        "`localhost,intranet.example:8080`) that may be fetched although they resolve to a "
        "loopback, private, link-local or other non-public address. Empty: only public "
        "addresses are fetched.",
    )
    sqlite_busy_wait: float = Field(
        default=30.0,
        gt=0,
        le=DAY,
        allow_inf_nan=False,
        description="Seconds a SQLite statement waits for another process's write lock (an "
        "ingest, a link, a restore) before it fails: the web then answers 503 with "
        "Retry-After, the CLI exits 1 naming the lock.",
    )
    secret_key: SecretStr = Field(
        default=SecretStr(PLACEHOLDER_SECRET),
        description="Key that signs session cookies, at least 16 characters. Set it in "
        "production; it is never printed. Unset or empty: a random key per server start.",
    )

    @field_validator("secret_key")
    @classmethod
    def _usable_key(cls, value: SecretStr) -> SecretStr:
        # An empty key signed cookies anyone could forge (QA: `LOFTE_SECRET_KEY=` in a .env
        # gave admin pages to a cookie made by hand): empty counts as unset, short is refused.
        key = value.get_secret_value()
        if not key.strip():
            return SecretStr(PLACEHOLDER_SECRET)
        if len(key) < MIN_SECRET_CHARS:
            raise ValueError(
                f"must be at least {MIN_SECRET_CHARS} characters (a short key lets anyone "
                "forge a login); e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        return value

    @field_validator("default_tracker")
    @classmethod
    def _tracker_slug(cls, value: str) -> str:
        # checked here, so the error names the variable (QA: "tracker slug 'Bad Slug'" came
        # from the first ingest, and `tracker list` took the value without a word)
        if not TRACKER_SLUG.fullmatch(value):
            raise ValueError("use lowercase letters, digits and dashes (max 100), e.g. stockholm")
        return value

    @field_validator("public_url")
    @classmethod
    def _public_address(cls, value: str) -> str:
        # an http(s) address or nothing: javascript:… would be a link on every page; said
        # with what was given and an example (QA: the error showed a regex)
        if value and not re.fullmatch(r"https?://\S+", value):
            bare_host = re.fullmatch(r"[\w.-]+(:\d+)?(/\S*)?", value) is not None
            example = f"https://{value}" if bare_host else "https://lofte.example.se"
            raise ValueError(
                f"{value[:80]!r} is not an http:// or https:// address; give the whole "
                f"address, e.g. {example[:100]}"
            )
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_addresses(cls, value: str) -> str:
        # uvicorn keeps a value it cannot read as an address as a literal that no client
        # address ever equals: a typo ("10.0.0.l") silently believed no proxy at all
        for item in (part.strip() for part in value.split(",")):
            if not item or item == "*":
                continue
            try:
                if "/" in item:
                    ipaddress.ip_network(item)
                else:
                    ipaddress.ip_address(item)
            except ValueError:
                raise ValueError(
                    f"{item!r} is not an IP address or network (e.g. 10.0.0.5, 10.0.0.0/24)"
                ) from None
        return value

    language: str = Field(
        default="sv", pattern="^(sv|en)$", description="Default UI language: sv or en."
    )
    login_address_limit: int = Field(
        default=10,
        ge=1,
        le=MAX_LOGIN_LIMIT,
        description="Failed logins from one client address (any usernames) before that address "
        "must wait between guesses: 1 s, then doubling up to 5 minutes.",
    )
    login_user_limit: int = Field(
        default=5,
        ge=1,
        le=MAX_LOGIN_LIMIT,
        description="Failed logins for one username before it is locked for the addresses that "
        "failed; an address that has not failed for it may still log in.",
    )
    login_window: float = Field(
        default=900.0,
        ge=MIN_LOGIN_WINDOW,
        le=MAX_LOGIN_WINDOW,
        allow_inf_nan=False,
        description="Seconds after its last failure that a failed-login count is forgotten.",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses of reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto headers `lofte serve` believes; empty: believe none.",
    )
    public_url: str = Field(
        default="",
        description="The site's public address (e.g. https://lofte.example.se), used for "
        "absolute links in RSS feeds and API Link headers, and for pages' share links and "
        "og:url; empty: root-relative links and no share links (never the request's Host "
        "header).",
    )
    smtp_host: str = Field(
        default="",
        description="SMTP server that sends editors' digests by e-mail; empty: no e-mail "
        "(an e-mail delivery fails and is recorded).",
    )
    smtp_port: int = Field(default=587, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_username: str = Field(default="", description="User name for SMTP login; empty: no login.")
    smtp_password: SecretStr = Field(
        default=SecretStr(""), description="Password for SMTP login; it is never printed."
    )
    smtp_from: str = Field(
        default="lofte@localhost", description="Sender address (From) of digest e-mails."
    )
    smtp_starttls: bool = Field(
        default=True, description="Upgrade the SMTP connection with STARTTLS before login."
    )
    smtp_timeout: float = Field(
        default=30.0,
        gt=0,
        le=DAY,
        allow_inf_nan=False,
        description="Seconds an SMTP connection or command may take.",
    )
    webhook_timeout: float = Field(
        default=20.0,
        gt=0,
        le=DAY,
        allow_inf_nan=False,
        description="Most seconds one webhook POST may take in all (connecting, sending, "
        "the answer).",
    )
    notify_attempts: int = Field(
        default=4,
        ge=1,
        le=MAX_NOTIFY_ATTEMPTS,
        description="Tries of one webhook delivery (network error, 5xx or 429 is tried again).",
    )
    notify_backoff: float = Field(
        default=2.0,
        ge=0,
        le=MAX_NOTIFY_BACKOFF,
        allow_inf_nan=False,
        description="Seconds before the second webhook try; each further wait doubles.",
    )
    chromium_path: str = Field(
        default="chromium",
        description="The Chromium (or Chrome) executable `lofte report` prints the final account "
        "to PDF with: a path or a name on PATH.",
    )
    watch_max_pages: int = Field(
        default=5,
        ge=1,
        description="Most pages of one watched listing `lofte update` reads per run, following "
        "its next-page links while a page still gives new items (also the most sitemaps of a "
        "sitemap index).",
    )
    watch_max_items: int = Field(
        default=100,
        ge=1,
        description="Most new item pages one watched listing or sitemap fetches per run; the "
        "rest wait for the next run.",
    )

    notify_min_interval: int = Field(
        default=86400,
        ge=0,
        le=365 * DAY,
        description="Least seconds between two digests of one subscription (86400: a daily "
        "digest, however often `lofte watch` runs); 0: a digest on every run with something "
        "new. `lofte notify send --force` ignores it.",
    )
    smtp_ssl: bool = Field(
        default=False,
        description="Connect to the SMTP server with implicit TLS (SMTPS, usually port 465) "
        "instead of STARTTLS; then LOFTE_SMTP_STARTTLS is ignored.",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once (`read_settings`)."""
    return read_settings()


def read_settings() -> Settings:
    """The settings as the environment gives them now. A malformed value is a ConfigError
    naming its variable (`LOFTE_SMTP_PORT=abc`), not pydantic's report of the model."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(_problem(e) for e in exc.errors())
        raise ConfigError(f"a setting is malformed: {problems}") from None


_SECRET_NAMES = ("password", "secret", "key", "token", "url")  # values never echoed


def _problem(error: Any) -> str:
    name = "LOFTE_" + "_".join(str(p) for p in error["loc"]).upper()
    message = str(error["msg"]).removeprefix("Value error, ")  # pydantic's, for our validators
    if any(word in name.lower() for word in _SECRET_NAMES):
        return f"{name}: {message}"
    return f"{name}: {message} (got {str(error.get('input'))[:80]!r})"


# LOFTE_ variables that are not settings but are read elsewhere: by one command (a new
# password, a webhook's secret), the classifier build, the tests and benchmarks
_NOT_SETTINGS_PREFIXES = (
    "LOFTE_NEW_PASSWORD",
    "LOFTE_WEBHOOK_SECRET",
    "LOFTE_SHARED_DIR",
    "LOFTE_TEST_",
    "LOFTE_BENCH_",
    "LOFTE_CHROMIUM",
    "LOFTE_AXE_JS",
)


def unknown_settings(environ: Mapping[str, str] | None = None) -> list[str]:
    """A warning per LOFTE_ variable (in the environment or `.env`) that names no setting,
    with the nearest setting's name: a typo (LOFTE_SECERT_KEY) was silently ignored and the
    server ran with a random key (QA)."""
    known = {f"LOFTE_{name.upper()}" for name in Settings.model_fields}
    given = set((os.environ if environ is None else environ).keys())
    if environ is None:
        given |= _dotenv_names(Path(".env"))
    out = []
    for name in sorted(given):
        upper = name.upper()
        if not upper.startswith("LOFTE_") or upper in known:
            continue
        if upper.startswith(_NOT_SETTINGS_PREFIXES):
            continue
        near = difflib.get_close_matches(upper, sorted(known), n=1, cutoff=0.75)
        hint = f" (did you mean {near[0]}?)" if near else " (docs/settings.md lists them)"
        out.append(f"{name} is not a Löfte setting and is ignored{hint}")
    return out


def _dotenv_names(path: Path) -> set[str]:
    """The names a `.env` file sets (`NAME=value` lines, `export NAME=…` too)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    names = set()
    for line in text.splitlines():
        name, sep, _ = line.strip().removeprefix("export ").partition("=")
        if sep and name.strip() and not name.lstrip().startswith("#"):
            names.add(name.strip())
    return names
