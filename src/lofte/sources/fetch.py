"""Polite URL fetching with httpx: the only network I/O of the `read` stage.

Every request to a host
- is allowed by that host's robots.txt (fetched once per host and kept; RFC 9309: a 4xx answer
  allows everything, a 5xx or network failure forbids everything for now),
- waits until `min_interval` seconds (or the host's Crawl-delay, if longer) have passed since the
  previous request to the same host,
- sends the User-Agent from the settings, has a time-out, and stops reading at
  `settings.max_input_bytes`,
- and revalidates with ETag / Last-Modified when a `ValidatorCache` knows the URL: a 304 answer
  gives a `FetchResult` with `not_modified=True` and no bytes.

Redirects are followed by hand (at most five) so that robots.txt and the rate limit apply to
every host on the way. Failures are `FetchError(url, message)`; an oversized body is
`TooLargeError`. Tests inject an `httpx.Client` on a `MockTransport` and a fake clock.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from ..config import Settings, get_settings
from ..errors import FetchError, TooLargeError
from ..model import RawInput

DEFAULT_MIN_INTERVAL = 1.0  # seconds between two requests to one host
DEFAULT_TIMEOUT = 20.0  # seconds, for connecting and for each read
MAX_REDIRECTS = 5
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB
MAX_CRAWL_DELAY = 60.0  # a larger Crawl-delay would stall a batch; we still wait this long


@dataclass(frozen=True)
class Validators:
    """What a server said about a URL's version, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


class ValidatorCache:
    """ETag / Last-Modified per URL, in memory. Anything with `get` and `put` will do."""

    def __init__(self) -> None:
        self._by_url: dict[str, Validators] = {}

    def get(self, url: str) -> Validators | None:
        return self._by_url.get(url)

    def put(self, url: str, validators: Validators) -> None:
        self._by_url[url] = validators


@dataclass(frozen=True)
class FetchResult:
    url: str  # as asked
    raw: RawInput | None  # None when not modified
    not_modified: bool = False
    status: int = 200
    final_url: str = ""  # after redirects


@dataclass
class Politeness:
    """Per-host state that must outlive one fetch: robots.txt rules and the last request time."""

    min_interval: float = DEFAULT_MIN_INTERVAL
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    robots: dict[str, RobotFileParser] = field(default_factory=dict)
    last_request: dict[str, float] = field(default_factory=dict)
    crawl_delay: dict[str, float] = field(default_factory=dict)

    def wait_turn(self, host: str) -> None:
        """Sleep until this host may be asked again, then note the request."""
        interval = max(self.min_interval, self.crawl_delay.get(host, 0.0))
        last = self.last_request.get(host)
        if last is not None:
            wait = last + interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self.last_request[host] = self.clock()


_default_politeness: Politeness | None = None


def default_politeness(settings: Settings) -> Politeness:
    """The process-wide state, so consecutive fetches (an ingest batch) share robots and timing."""
    global _default_politeness
    if _default_politeness is None:
        interval = float(getattr(settings, "fetch_min_interval", DEFAULT_MIN_INTERVAL))
        _default_politeness = Politeness(min_interval=interval)
    return _default_politeness


def host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def fetch(
    url: str,
    *,
    client: httpx.Client | None = None,
    settings: Settings | None = None,
    cache: ValidatorCache | None = None,
    politeness: Politeness | None = None,
    timeout: float | None = None,
) -> FetchResult:
    """Fetch one URL politely. Raises FetchError or TooLargeError, never an httpx error."""
    settings = settings or get_settings()
    politeness = politeness or default_politeness(settings)
    if timeout is None:
        timeout = float(getattr(settings, "fetch_timeout", DEFAULT_TIMEOUT))
    own_client = client is None
    client = client or httpx.Client()
    try:
        return _fetch(url, client, settings, cache, politeness, timeout)
    finally:
        if own_client:
            client.close()


def fetch_raw(
    url: str,
    *,
    settings: Settings | None = None,
    client: httpx.Client | None = None,
    politeness: Politeness | None = None,
) -> RawInput:
    """The bytes of a URL (no revalidation): what `ingest` uses for URL inputs."""
    result = fetch(url, settings=settings, client=client, politeness=politeness)
    if result.raw is None:
        raise FetchError(url, "the server answered 304 Not Modified to an unconditional request")
    return result.raw


def _fetch(
    url: str,
    client: httpx.Client,
    settings: Settings,
    cache: ValidatorCache | None,
    politeness: Politeness,
    timeout: float,
) -> FetchResult:
    agent = settings.user_agent
    headers = {"User-Agent": agent}
    known = cache.get(url) if cache is not None else None
    if known and known.etag:
        headers["If-None-Match"] = known.etag
    if known and known.last_modified:
        headers["If-Modified-Since"] = known.last_modified
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        _check_scheme(url, current)
        _check_robots(url, current, client, agent, politeness, timeout)
        politeness.wait_turn(host_key(current))
        with _http_errors(url, timeout), client.stream(
            "GET", current, headers=headers, timeout=timeout, follow_redirects=False
        ) as response:
            location = response.headers.get("location")
            if response.is_redirect and location:
                current = _join(url, current, location)
                continue
            if response.status_code == 304:
                return FetchResult(url, None, not_modified=True, status=304, final_url=current)
            if response.status_code >= 400:
                reason = response.reason_phrase or "error"
                raise FetchError(url, f"HTTP {response.status_code} {reason}")
            data = _read_capped(response, settings.max_input_bytes, url)
            answer = {k.lower(): v for k, v in response.headers.items()}
        if current != url:
            answer.setdefault("content-location", current)  # relative links resolve against it
        if cache is not None and ("etag" in answer or "last-modified" in answer):
            cache.put(url, Validators(answer.get("etag"), answer.get("last-modified")))
        media_type = answer.get("content-type", "").split(";")[0].strip().lower() or None
        raw = RawInput(
            data=data,
            origin=url,
            media_type=media_type,
            fetched_at=dt.datetime.now(dt.timezone.utc),
            http_headers=answer,
        )
        return FetchResult(url, raw, status=response.status_code, final_url=current)
    raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")


def _check_scheme(url: str, current: str) -> None:
    parts = urlsplit(current)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise FetchError(url, f"only http and https URLs can be fetched, not {current!r}")


def _join(url: str, current: str, location: str) -> str:
    try:
        return urljoin(current, location.strip())
    except ValueError as exc:
        raise FetchError(url, f"bad redirect location {location!r}") from exc


@contextmanager
def _http_errors(url: str, timeout: float) -> Iterator[None]:
    """httpx errors become FetchError with a message a person can act on."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise FetchError(url, f"timed out after {timeout:g} s ({type(exc).__name__})") from exc
    except httpx.ConnectError as exc:
        raise FetchError(url, f"cannot connect: {str(exc) or type(exc).__name__}") from exc
    except httpx.UnsupportedProtocol as exc:
        raise FetchError(url, f"unsupported URL: {exc}") from exc
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
        raise FetchError(url, f"{type(exc).__name__}: {exc}") from exc


def _read_capped(response: httpx.Response, max_bytes: int, url: str) -> bytes:
    """The body, refusing it as soon as it passes `max_bytes` (declared or streamed)."""
    limit = f"the limit of {max_bytes:,} bytes (LOFTE_MAX_INPUT_BYTES)"
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise TooLargeError(url, f"the server announces {int(declared):,} bytes, over {limit}")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():  # decompressed bytes: a gzip bomb stops here too
        size += len(chunk)
        if size > max_bytes:
            raise TooLargeError(url, f"the download passed {limit}")
        chunks.append(chunk)
    return b"".join(chunks)


def _check_robots(
    url: str,
    current: str,
    client: httpx.Client,
    agent: str,
    politeness: Politeness,
    timeout: float,
) -> None:
    host = host_key(current)
    rules = politeness.robots.get(host)
    if rules is None:
        rules = _load_robots(url, host, client, agent, politeness, timeout)
    if not rules.can_fetch(agent, current):
        raise FetchError(url, f"robots.txt of {host} does not allow fetching {current}")


def _load_robots(
    url: str,
    host: str,
    client: httpx.Client,
    agent: str,
    politeness: Politeness,
    timeout: float,
) -> RobotFileParser:
    robots_url = f"{host}/robots.txt"
    politeness.wait_turn(host)
    status, text = _get_robots(url, robots_url, client, agent, timeout)
    if status >= 500 or status == 429:
        # RFC 9309: an unreachable robots.txt means "disallow all"; a host that says "too many
        # requests" is treated alike. Not cached, so a later fetch asks again.
        raise FetchError(url, f"{robots_url} answered HTTP {status}; not fetching until it answers")
    rules = RobotFileParser(robots_url)
    rules.parse(text.splitlines() if 200 <= status < 300 else [])  # 4xx: no rules, all allowed
    delay = rules.crawl_delay(agent)
    if delay:
        politeness.crawl_delay[host] = min(float(delay), MAX_CRAWL_DELAY)
    politeness.robots[host] = rules
    return rules


def _get_robots(
    url: str, robots_url: str, client: httpx.Client, agent: str, timeout: float
) -> tuple[int, str]:
    """Status and text of robots.txt (cut at ROBOTS_MAX_BYTES). Network failure: FetchError."""
    try:
        with client.stream(
            "GET", robots_url, headers={"User-Agent": agent}, timeout=timeout, follow_redirects=True
        ) as response:
            data = b""
            if 200 <= response.status_code < 300:
                for chunk in response.iter_bytes():
                    data += chunk
                    if len(data) >= ROBOTS_MAX_BYTES:
                        break
            return response.status_code, data[:ROBOTS_MAX_BYTES].decode("utf-8", "replace")
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
        raise FetchError(url, f"cannot read {robots_url}: {str(exc) or type(exc).__name__}") from exc
