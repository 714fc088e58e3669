"""A digest by webhook: a signed JSON POST, tried again with exponential back-off.

The body is compact UTF-8 JSON, serialised once and sent byte for byte on every try, with
    X-Lofte-Signature: sha256=<hex HMAC-SHA256 of the body, keyed with the subscription's secret>
    X-Lofte-Timestamp: <Unix seconds of the first try; also the body's "timestamp">
so a receiver checks the signature over the raw body and may refuse old timestamps (the
timestamp is inside the signed body). The body's "id" is the same on every try; a digest sent
again after a failure covers a longer period, so a receiver drops repeats by the items' ids.

A network error, a time-out, a 5xx or a 429 answer is tried again after base, 2·base, 4·base …
seconds (LOFTE_NOTIFY_BACKOFF, LOFTE_NOTIFY_ATTEMPTS in all); any other answer outside 2xx, a
redirect among them, fails at once. Only the answer's status is read, never its body (a
receiver cannot fill the memory, nor fail an accepted delivery by trickling it). The
connection goes through the fetch SSRF guard: a URL that resolves to a loopback, private or
other non-public address is refused unless its host is in LOFTE_FETCH_ALLOW_HOSTS, so an
editor cannot make the server POST into its own network.

A webhook URL's path and query are often the secret (Slack-style URLs): every error text says
the URL as `redact` gives it, scheme://host[:port]/… only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..config import Settings
from ..errors import NotifyError, RefusedURLError, ValidationError
from ..sources.guard import AllowList, Deadline, address_refusal, guarded_client, host_port
from ..watch import sources

SIGNATURE_HEADER = "X-Lofte-Signature"
TIMESTAMP_HEADER = "X-Lofte-Timestamp"
_RETRY_STATUS = frozenset({429})


@dataclass(frozen=True)
class WebhookResult:
    attempts: int
    status: int
    delays: tuple[float, ...]  # the back-off waits asked for, in order


def encode(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def redact(url: str) -> str:
    """What messages may say of a webhook URL: scheme://host[:port]/… (no credentials, path,
    query or fragment), also for a URL that does not parse."""
    scheme, sep, rest = url.strip().partition("://")
    if not sep:
        return "…"
    netloc = rest
    for stop in "/?#":
        netloc = netloc.split(stop, 1)[0]
    netloc = netloc.rpartition("@")[2]
    return f"{scheme}://{netloc}/…" if netloc else f"{scheme}://…"


def check_url(url: str) -> str:
    """The shared URL rule (`watch.sources.check_url`), its errors a NotifyError that names
    the URL redacted; returns the stripped URL."""
    try:
        return sources.check_url(url, label=f"webhook URL {redact(url)}")
    except ValidationError as exc:
        raise NotifyError(str(exc)) from None


def refusal(url: str, settings: Settings) -> str | None:
    """Why every delivery to `url` will be refused by the fetch guard, as far as is known
    without a DNS look-up (a literal address or `localhost` not in LOFTE_FETCH_ALLOW_HOSTS),
    or None. For `notify subscribe` to say so at once (QA: accepted, then every send failed)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None  # the URL rule names a bad port
    if AllowList.parse(settings.fetch_allow_hosts).allows(host, port):
        return None
    address = "127.0.0.1" if host.lower() == "localhost" else host
    try:
        why = address_refusal(address)
    except ValueError:
        return None  # a name: only its look-up at delivery tells
    if why is None:
        return None
    return f"{host_port(host, port)} is {why} and not in LOFTE_FETCH_ALLOW_HOSTS"


def post(
    url: str,
    payload: dict[str, Any],
    secret: str,
    *,
    settings: Settings,
    client: httpx.Client | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> WebhookResult:
    """POST `payload` (plus a timestamp) signed with `secret`; NotifyError after the last try.
    `client` replaces the guarded client built per try (tests; it is then not guarded)."""
    url = check_url(url)
    shown = redact(url)
    stamp = int(clock())
    body = encode({**payload, "timestamp": stamp})
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": settings.user_agent,
        SIGNATURE_HEADER: signature(secret, body),
        TIMESTAMP_HEADER: str(stamp),
    }
    allow = AllowList.parse(settings.fetch_allow_hosts)
    attempts = max(1, settings.notify_attempts)
    delays: list[float] = []
    problem = ""
    for attempt in range(1, attempts + 1):
        if attempt > 1:
            delay = settings.notify_backoff * 2 ** (attempt - 2)
            delays.append(delay)
            sleep(delay)
        try:
            status = _post_once(url, body, headers, settings, allow, client)
        except RefusedURLError as exc:
            raise NotifyError(f"webhook refused: {_hide(str(exc), url)}", attempt) from exc
        except (httpx.InvalidURL, ValueError) as exc:  # httpx cannot send to it: no retry
            raise NotifyError(f"webhook {shown}: {_problem(exc, url)}", attempt) from exc
        except httpx.HTTPError as exc:
            problem = _problem(exc, url)
            continue
        if 200 <= status < 300:
            return WebhookResult(attempt, status, tuple(delays))
        problem = f"HTTP {status}"
        if status < 500 and status not in _RETRY_STATUS:
            raise NotifyError(f"webhook {shown} answered {problem}", attempt)
    raise NotifyError(f"webhook {shown} failed after {attempts} tries: {problem}", attempts)


def _problem(exc: Exception, url: str) -> str:
    text = _hide(str(exc), url)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _hide(text: str, url: str) -> str:
    """`text` without the URL's secret parts, should an exception have quoted the URL."""
    parts = [url, url.split("://", 1)[-1]]
    path = "/" + url.split("://", 1)[-1].partition("/")[2]
    if len(path) > 1:
        parts.append(path)
    for part in parts:
        text = text.replace(part, redact(url))
    return text


def _post_once(
    url: str,
    body: bytes,
    headers: dict[str, str],
    settings: Settings,
    allow: AllowList,
    client: httpx.Client | None,
) -> int:
    timeout = settings.webhook_timeout
    # Only the status line and headers are read: the receiver's body is never needed, and
    # reading it would let a receiver fill the memory with a huge answer, or turn a delivery
    # it accepted (2xx) into a failed one by trickling its body past the time-out (the digest
    # would then be posted again and again).
    if client is not None:
        with client.stream(
            "POST", url, content=body, headers=headers, timeout=timeout, follow_redirects=False
        ) as response:
            return response.status_code
    # a fresh deadline per try: the whole try, however slowly the receiver answers
    with (
        guarded_client(allow, Deadline(timeout)) as guarded,
        guarded.stream(
            "POST", url, content=body, headers=headers, timeout=timeout, follow_redirects=False
        ) as response,
    ):
        return response.status_code
