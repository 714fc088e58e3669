"""Where a URL fetch may connect, and for how long: the SSRF guard and the fetch deadline.

`lofte ingest URL` runs inside a newsroom's network. Without a guard, a page that redirects to
http://127.0.0.1:8080/admin, a router at 192.168.1.1 or the cloud metadata service at
169.254.169.254 would be fetched, stored and published. So every connection a fetch opens (the
first request, each redirect, each robots.txt) goes through `GuardedBackend`, which
- resolves the host once (getaddrinfo, bounded by the deadline), checks EVERY address it
  resolves to with `address_refusal`, and opens the socket to one of those checked addresses.
  There is no second lookup, so DNS rebinding between check and connect has no window; TLS (SNI,
  certificate) and the Host header still use the name, because httpcore keeps the origin;
- skips the address check only for hosts named in LOFTE_FETCH_ALLOW_HOSTS (`AllowList`);
- cuts every connect, read and write at the fetch's `Deadline`, so a server that trickles one
  byte a second cannot hold a fetch past it (httpx's own timeouts are per read).

`guarded_client` builds the httpx client; it ignores proxy settings from the environment (a
proxy would make the connection itself, out of the guard's sight).
"""

from __future__ import annotations

import functools
import ipaddress
import os
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import httpcore
import httpx

from ..errors import ConfigError, RefusedURLError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOW_SETTING = "LOFTE_FETCH_ALLOW_HOSTS"

_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598)
_PRIVATE = tuple(
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the last 32 bits are an IPv4 address
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated ::a.b.c.d
# Special-purpose blocks named here so the answer does not depend on the Python patch release
# (ipaddress's is_global has changed between releases); is_global is asked as well.
_NOT_PUBLIC = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",  # "this network"
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",
        "198.51.100.0/24",
        "203.0.113.0/24",  # documentation
        "198.18.0.0/15",  # benchmarking
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard-only
        "2001::/23",  # IETF protocol assignments, Teredo among them
        "2001:db8::/32",  # documentation
    )
)


def address_refusal(address: str | IPAddress) -> str | None:
    """Why Löfte will not connect to `address` ("a loopback address", ...), or None if public."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv6 forms that carry an IPv4 address are judged by that address.
        embedded, form = _embedded_ipv4(ip)
        if embedded is not None:
            why = address_refusal(embedded)
            return f"{why} ({form} {embedded})" if why else None
    if ip.is_unspecified:
        return "an unspecified address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_multicast:
        return "a multicast address"
    if ip in _SHARED:
        return "a shared (carrier-grade NAT) address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "a site-local address"
    if any(ip in net for net in _PRIVATE):
        return "a private address"
    if ip in _IPV4_COMPATIBLE:
        return "an IPv4-compatible IPv6 address (deprecated, not routed)"
    if any(ip in net for net in _NOT_PUBLIC) or not ip.is_global and not ip.is_reserved:
        return "not a public address"
    if ip.is_reserved:
        return "a reserved address"
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address | None, str]:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped, "IPv4-mapped"
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "NAT64 of"
    if ip.sixtofour is not None:
        return ip.sixtofour, "6to4 of"
    return None, ""


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


# -- the allow list ------------------------------------------------------------------------------

_NAME = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*")  # a host name or an IPv4 literal


@dataclass(frozen=True)
class AllowList:
    """Hosts that may be fetched whatever they resolve to: by name (any port) or name:port."""

    names: frozenset[str] = frozenset()
    pairs: frozenset[tuple[str, int]] = frozenset()

    @classmethod
    def parse(cls, text: str) -> AllowList:
        names: set[str] = set()
        pairs: set[tuple[str, int]] = set()
        for raw in text.split(","):
            if not raw.strip():
                continue
            host, port = _parse_entry(raw.strip())
            if port is None:
                names.add(host)
            else:
                pairs.add((host, port))
        return cls(frozenset(names), frozenset(pairs))

    def allows(self, host: str, port: int) -> bool:
        key = _normal_host(host)
        return key in self.names or (key, port) in self.pairs


def _normal_host(host: str) -> str:
    return host.strip("[]").lower().rstrip(".")


def _parse_entry(entry: str) -> tuple[str, int | None]:
    bad = ConfigError(f"{ALLOW_SETTING}: {entry!r} is not a host name, host:port or [IPv6]:port")
    port_text: str | None = None
    if entry.startswith("["):  # [IPv6] or [IPv6]:port
        host, close, rest = entry[1:].partition("]")
        if not close or (rest and not rest.startswith(":")):
            raise bad
        port_text = rest[1:] if rest else None
    elif entry.count(":") > 1:  # a bare IPv6 address
        host = entry
    else:
        host, colon, port_text = entry.partition(":")
        port_text = port_text if colon else None
    host = _normal_host(host)
    if ":" in host:
        if _literal(host) is None:
            raise bad
    else:
        try:
            host = host.encode("idna").decode("ascii")  # what the URL's host becomes on the wire
        except UnicodeError as exc:
            raise bad from exc
        if not _NAME.fullmatch(host):
            raise bad
    if port_text is None:
        return host, None
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise bad
    return host, int(port_text)


# -- the deadline --------------------------------------------------------------------------------


class Deadline:
    """When one fetch must be over, on a monotonic clock. Polite waiting is added back."""

    SLACK = 0.05  # a socket timeout may wake up a hair early; still count it as the deadline

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._at = clock() + seconds

    def remaining(self) -> float:
        return self._at - self._clock()

    @property
    def expired(self) -> bool:
        return self.remaining() <= self.SLACK

    def extend(self, seconds: float) -> None:
        self._at += seconds

    def cap(self, timeout: float | None, error: type[Exception]) -> float:
        """`timeout` shortened to what is left; `error` at once if nothing is."""
        left = self.remaining()
        if left <= 0:
            raise error(f"the fetch deadline of {self.seconds:g} s has passed")
        return left if timeout is None else min(timeout, left)


# -- the network backend -------------------------------------------------------------------------


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's sync backend behind the address check and the deadline."""

    def __init__(
        self,
        allow: AllowList,
        deadline: Deadline,
        resolve: Callable[..., list] = socket.getaddrinfo,  # type: ignore[type-arg]
    ) -> None:
        self._allow = allow
        self._deadline = deadline
        self._resolve = resolve
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._addresses(host, port)
        if not self._allow.allows(host, port):
            for address in addresses:
                why = address_refusal(address)
                if why:
                    said = f"{address} is" if _literal(host) else f"{host} resolves to {address},"
                    raise RefusedURLError(
                        f"{host}:{port}",
                        f"{said} {why}, and {host_port(host, port)} is not in {ALLOW_SETTING}",
                    )
        failure: Exception | None = None
        for address in addresses:  # connect only to what was checked
            try:
                timeout_now = self._deadline.cap(timeout, httpcore.ConnectTimeout)
                stream = self._inner.connect_tcp(
                    str(address), port, timeout_now, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc  # try the next address, as socket.create_connection would
                continue
            return _DeadlineStream(stream, self._deadline)
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise RefusedURLError(path, "fetching through a Unix socket is not allowed")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def _addresses(self, host: str, port: int) -> list[IPAddress]:
        """Every address of `host`, looked up in a thread so the deadline bounds the lookup."""
        literal = _literal(host)
        if literal is not None:
            return [literal]
        found: dict[str, object] = {}

        def lookup() -> None:
            try:
                found["infos"] = self._resolve(host, port, type=socket.SOCK_STREAM)
            except (OSError, UnicodeError) as exc:
                found["error"] = exc

        thread = threading.Thread(target=lookup, name="lofte-dns", daemon=True)
        thread.start()
        thread.join(max(self._deadline.remaining(), 0.0))
        if thread.is_alive():
            raise httpcore.ConnectTimeout(f"looking up {host} outlasted the fetch deadline")
        if "error" in found:
            raise httpcore.ConnectError(f"cannot resolve {host}: {found['error']}")
        addresses: list[IPAddress] = []
        for info in found["infos"]:  # type: ignore[attr-defined]
            address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
            if address not in addresses:
                addresses.append(address)
        if not addresses:
            raise httpcore.ConnectError(f"{host} resolves to no address")
        return addresses


def host_port(host: str, port: int) -> str:
    """As written in LOFTE_FETCH_ALLOW_HOSTS."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class _DeadlineStream(httpcore.NetworkStream):
    """A connected socket whose every read and write ends by the deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._deadline.cap(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._deadline.cap(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: object,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        limit = self._deadline.cap(timeout, httpcore.ConnectTimeout)
        tls = self._inner.start_tls(ssl_context, server_hostname, limit)  # type: ignore[arg-type]
        return _DeadlineStream(tls, self._deadline)

    def get_extra_info(self, info: str) -> object:
        return self._inner.get_extra_info(info)


def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context for every client: loading the CA bundle costs ~30 ms, which
    a fresh context per fetch paid again (a watched source's 304 took 40 ms). Kept per
    SSL_CERT_FILE / SSL_CERT_DIR, which choose the bundle."""
    return _ssl_context_for(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


@functools.cache
def _ssl_context_for(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    return httpx.create_ssl_context()


class GuardedTransport(httpx.HTTPTransport):
    def __init__(self, allow: AllowList, deadline: Deadline) -> None:
        ssl_context = _ssl_context()
        super().__init__(verify=ssl_context)
        # HTTPTransport takes no network backend: its pool is replaced by one that connects
        # through the guard (the SSRF tests in tests/sources/test_fetch.py pin that this holds).
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context, network_backend=GuardedBackend(allow, deadline)
        )


def guarded_client(allow: AllowList, deadline: Deadline) -> httpx.Client:
    """An httpx client whose every connection is checked and bounded by `deadline`."""
    return httpx.Client(
        transport=GuardedTransport(allow, deadline), trust_env=False, verify=_ssl_context()
    )
