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

Redirects are followed by hand (at most five) so that robots.txt, the rate limit and the URL
checks apply to every hop. Each URL on the way must be http(s) without credentials; every
connection goes through the SSRF guard of `guard.py` (only public addresses, unless the host is
in LOFTE_FETCH_ALLOW_HOSTS), and the whole fetch (robots.txt, redirects, body) must end within
LOFTE_FETCH_DEADLINE seconds, time spent waiting for the host's turn not counted.

Failures are `FetchError(url, message)`; a refused URL or redirect is `RefusedURLError`, an
oversized body `TooLargeError`. Tests inject an `httpx.Client` on a `MockTransport` (which has no
sockets, so only the URL checks apply) and a fake clock.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from ..config import Settings, get_settings
from ..errors import FetchError, RefusedURLError, TooLargeError
from ..model import RawInput
from .guard import (
    ALLOW_SETTING,
    AllowList,
    Deadline,
    address_refusal,
    guarded_client,
    host_port,
)
from .read import hide_credentials

DEFAULT_MIN_INTERVAL = 1.0  # seconds between two requests to one host
DEFAULT_TIMEOUT = 20.0  # seconds, for connecting and for each read
DEFAULT_DEADLINE = 60.0  # seconds for one whole fetch
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

    def wait_turn(self, host: str) -> float:
        """Sleep until this host may be asked again, then note the request. Returns the wait."""
        interval = max(self.min_interval, self.crawl_delay.get(host, 0.0))
        last = self.last_request.get(host)
        wait = 0.0
        if last is not None:
            wait = last + interval - self.clock()
            if wait > 0:
                self.sleep(wait)
        self.last_request[host] = self.clock()
        return max(wait, 0.0)


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
    deadline: float | None = None,
) -> FetchResult:
    """Fetch one URL politely and safely. Raises FetchError (RefusedURLError for a URL or
    redirect the guard refuses) or TooLargeError, never an httpx error."""
    settings = settings or get_settings()
    politeness = politeness or default_politeness(settings)
    if timeout is None:
        timeout = float(getattr(settings, "fetch_timeout", DEFAULT_TIMEOUT))
    if deadline is None:
        deadline = float(getattr(settings, "fetch_deadline", DEFAULT_DEADLINE))
    allow = AllowList.parse(getattr(settings, "fetch_allow_hosts", ""))
    limit = Deadline(deadline)
    own_client = client is None
    client = client or guarded_client(allow, limit)
    job = _Job(url, client, settings.user_agent, politeness, timeout, limit, allow)
    try:
        return _fetch(job, settings, cache)
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


@dataclass
class _Job:
    """One fetch: the URL asked for (named in every error) and what bounds it."""

    url: str
    client: httpx.Client
    agent: str
    politeness: Politeness
    timeout: float  # per connect / read
    deadline: Deadline  # for the whole fetch
    allow: AllowList

    def wait_turn(self, host: str) -> None:
        # Waiting for our turn is our politeness, not the server's slowness: it does not count.
        self.deadline.extend(self.politeness.wait_turn(host))

    def request_timeout(self, current: str) -> float:
        if self.deadline.expired:
            raise self.deadline_error(current)
        return min(self.timeout, self.deadline.remaining())

    def deadline_error(self, current: str) -> FetchError:
        where = "" if current == self.url else f" (at {current})"
        return FetchError(
            self.url,
            f"gave up: the deadline of {self.deadline.seconds:g} s for one fetch "
            f"(LOFTE_FETCH_DEADLINE) has passed{where}",
        )

    def stream(self, current: str, headers: dict[str, str]) -> Any:
        return self.client.stream(
            "GET",
            current,
            headers=headers,
            timeout=self.request_timeout(current),
            follow_redirects=False,  # by hand, so that every hop is checked
        )


def _fetch(job: _Job, settings: Settings, cache: ValidatorCache | None) -> FetchResult:
    url = job.url
    headers = {"User-Agent": job.agent}
    known = cache.get(url) if cache is not None else None
    if known and known.etag:
        headers["If-None-Match"] = known.etag
    if known and known.last_modified:
        headers["If-Modified-Since"] = known.last_modified
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        _check_url(job, current)
        _check_robots(job, current)
        job.wait_turn(host_key(current))
        with _http_errors(job, current), job.stream(current, headers) as response:
            location = response.headers.get("location")
            if response.is_redirect and location:
                current = _join(url, current, location)
                continue
            if response.status_code == 304:
                return FetchResult(url, None, not_modified=True, status=304, final_url=current)
            if response.status_code >= 400:
                reason = response.reason_phrase or "error"
                raise FetchError(url, f"HTTP {response.status_code} {reason}")
            data = _read_capped(job, current, response, settings.max_input_bytes)
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
            fetched_at=dt.datetime.now(dt.UTC),
            http_headers=answer,
            http_status=response.status_code,
        )
        return FetchResult(url, raw, status=response.status_code, final_url=current)
    raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")


def _check_url(job: _Job, current: str) -> None:
    """The checks that need no network: scheme, credentials, a literal address's class.

    The guard in the transport checks the address actually connected to; this catches what it
    cannot see (scheme, credentials) and refuses literal addresses before anything is sent.
    """
    try:
        parts = urlsplit(current)
    except ValueError as exc:  # "http://[zz]/": a bracketed host that is no IPv6 address
        raise RefusedURLError(job.url, f"refused {current!r}: not a valid URL ({exc})") from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise RefusedURLError(job.url, f"only http and https URLs can be fetched, not {current!r}")
    if "@" in parts.netloc:
        shown = hide_credentials(current)  # the refusal must not print the secret
        raise RefusedURLError(
            hide_credentials(job.url), f"refused {shown}: URLs with credentials are not fetched"
        )
    try:
        host, port = parts.hostname or "", parts.port
    except ValueError as exc:
        raise RefusedURLError(job.url, f"{_refused(job.url, current)}: {exc}") from exc
    port = port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        why = address_refusal(host)
    except ValueError:
        return  # a name: the guard resolves and checks it when connecting
    if why and not job.allow.allows(host, port):
        named = host_port(host, port)
        raise RefusedURLError(
            job.url,
            f"{_refused(job.url, current)}: {host} is {why}, and {named} is not in {ALLOW_SETTING}",
        )


def _refused(url: str, current: str) -> str:
    """ "refused", naming the URL refused when it is a redirect's, not the one asked for: the
    error names that one already (QA: "http://x/a: refused http://x/a: …")."""
    return "refused" if current == url else f"refused {current}"


def _join(url: str, current: str, location: str) -> str:
    try:
        return urljoin(current, location.strip())
    except ValueError as exc:
        raise FetchError(url, f"bad redirect location {location!r}") from exc


@contextmanager
def _http_errors(job: _Job, current: str, doing: str = "") -> Iterator[None]:
    """httpx errors become FetchError with a message a person can act on.

    `doing` ("cannot read …/robots.txt: ") prefixes network failures of a side request.
    """
    url = job.url
    try:
        yield
    except RefusedURLError as exc:  # from the guard, which knows only host:port
        raise RefusedURLError(url, f"{_refused(url, current)}: {exc.message}") from exc
    except httpx.TimeoutException as exc:
        if job.deadline.expired:
            raise job.deadline_error(current) from exc
        message = f"timed out after {job.timeout:g} s ({type(exc).__name__})"
        raise FetchError(url, f"{doing}{message}") from exc
    except httpx.ConnectError as exc:
        message = str(exc) or type(exc).__name__
        message = f"{doing}{message}" if doing else f"cannot connect: {message}"
        raise FetchError(url, message) from exc
    except httpx.UnsupportedProtocol as exc:
        raise FetchError(url, f"unsupported URL: {exc}") from exc
    except httpx.RemoteProtocolError as exc:  # e.g. fewer bytes than its Content-Length
        raise FetchError(url, f"{doing}the server broke off the answer ({exc})") from exc
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError) as exc:
        raise FetchError(url, f"{doing}{type(exc).__name__}: {exc}") from exc


def _read_capped(job: _Job, current: str, response: httpx.Response, max_bytes: int) -> bytes:
    """The body, refusing it as soon as it passes `max_bytes` (declared or streamed) or the
    fetch passes its deadline."""
    url = job.url
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
        if job.deadline.expired:  # the transport cuts reads too; this also covers other clients
            raise job.deadline_error(current)
        chunks.append(chunk)
    return b"".join(chunks)


def _check_robots(job: _Job, current: str) -> None:
    host = host_key(current)
    rules = job.politeness.robots.get(host)
    if rules is None:
        rules = _load_robots(job, host)
    if not rules.can_fetch(job.agent, current):
        raise FetchError(job.url, f"robots.txt of {host} does not allow fetching {current}")


def _load_robots(job: _Job, host: str) -> RobotFileParser:
    robots_url = f"{host}/robots.txt"
    job.wait_turn(host)
    status, text = _get_robots(job, robots_url)
    if status >= 500 or status == 429:
        # RFC 9309: an unreachable robots.txt means "disallow all"; a host that says "too many
        # requests" is treated alike. Not cached, so a later fetch asks again.
        message = f"{robots_url} answered HTTP {status}; not fetching until it answers"
        raise FetchError(job.url, message)
    rules = RobotFileParser(robots_url)
    rules.parse(text.splitlines() if 200 <= status < 300 else [])  # 4xx: no rules, all allowed
    delay = rules.crawl_delay(job.agent)
    if delay:
        job.politeness.crawl_delay[host] = min(float(delay), MAX_CRAWL_DELAY)
    job.politeness.robots[host] = rules
    return rules


def _get_robots(job: _Job, robots_url: str) -> tuple[int, str]:
    """Status and text of robots.txt (cut at ROBOTS_MAX_BYTES). Network failure: FetchError.

    Redirects are followed by hand with the same checks as the page's; RFC 9309 lets a crawler
    take more than five of them as "unavailable", which is a 4xx: everything allowed.
    """
    current = robots_url
    for _ in range(MAX_REDIRECTS + 1):
        _check_url(job, current)
        doing = f"cannot read {robots_url}: "
        headers = {"User-Agent": job.agent}
        with _http_errors(job, current, doing), job.stream(current, headers) as response:
            location = response.headers.get("location")
            if response.is_redirect and location:
                current = _join(job.url, current, location)
                continue
            data = b""
            if 200 <= response.status_code < 300:
                for chunk in response.iter_bytes():
                    data += chunk
                    if len(data) >= ROBOTS_MAX_BYTES:
                        break
            return response.status_code, data[:ROBOTS_MAX_BYTES].decode("utf-8", "replace")
    return 404, ""
