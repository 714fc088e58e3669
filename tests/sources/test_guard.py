"""The SSRF guard's rules: which addresses are refused, and how the allow list reads."""

from __future__ import annotations

import socket
import time

import httpcore
import pytest

from lofte.errors import RefusedURLError
from lofte.sources.guard import AllowList, Deadline, GuardedBackend, address_refusal


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.255.254", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("172.31.255.255", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("0.1.2.3", "not a public"),  # "this network"
        ("100.64.0.1", "shared"),  # carrier-grade NAT
        ("100.127.255.254", "shared"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("192.0.2.1", "not a public"),  # documentation
        ("198.18.0.1", "not a public"),  # benchmarking
        ("192.0.0.8", "not a public"),  # IETF protocol assignments
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("fc00::1", "private"),
        ("fd12:3456::1", "private"),
        ("fec0::1", "site-local"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:169.254.169.254", "link-local"),
        ("::ffff:0.0.0.0", "unspecified"),
        ("::127.0.0.1", "IPv4-compatible"),  # deprecated form
        ("64:ff9b::7f00:1", "loopback"),  # NAT64 of 127.0.0.1
        ("64:ff9b:1::a00:1", "not a public"),  # local-use NAT64
        ("2002:7f00:1::1", "loopback"),  # 6to4 of 127.0.0.1
        ("2002:a9fe:a9fe::1", "link-local"),
        ("2001:db8::1", "not a public"),
        ("2001::1", "not a public"),  # Teredo
        ("100::1", "not a public"),  # discard-only
    ],
)
def test_internal_addresses_are_refused_with_their_class(address: str, why: str) -> None:
    reason = address_refusal(address)
    assert reason is not None and why in reason, reason


@pytest.mark.parametrize(
    "address",
    [
        "8.8.8.8",
        "1.1.1.1",
        "193.10.1.1",
        "2606:4700:4700::1111",
        "2a00:1450:4010::64",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::1",
    ],
)
def test_public_addresses_pass(address: str) -> None:
    assert address_refusal(address) is None


def test_the_allow_list_takes_names_and_host_port_pairs() -> None:
    allow = AllowList.parse(" localhost, Intern.Example.:8080,[::1]:81, 10.0.0.7 ,, ")
    assert allow.allows("localhost", 80) and allow.allows("LOCALHOST", 9999)
    assert allow.allows("intern.example", 8080) and not allow.allows("intern.example", 80)
    assert allow.allows("::1", 81) and not allow.allows("::1", 82)
    assert allow.allows("10.0.0.7", 443)
    assert not allow.allows("127.0.0.1", 80)
    assert not AllowList.parse("").allows("localhost", 80)


@pytest.mark.parametrize("entry", ["http://localhost", "host:port", "a b", "[::1"])
def test_a_malformed_allow_list_entry_is_a_config_error(entry: str) -> None:
    from lofte.errors import ConfigError

    with pytest.raises(ConfigError, match="LOFTE_FETCH_ALLOW_HOSTS"):
        AllowList.parse(entry)


# -- the network backend, with a fake resolver and a fake socket layer ----------------------------


class _Inner:
    """Stands in for httpcore's SyncBackend: records where it was asked to connect."""

    def __init__(self) -> None:
        self.connects: list[tuple[str, int]] = []

    def connect_tcp(self, host: str, port: int, *args: object) -> object:
        self.connects.append((host, port))
        return object()


def _resolver(*answers: str, calls: list[str] | None = None):  # type: ignore[no-untyped-def]
    def resolve(host: str, port: int, **kwargs: object) -> list[tuple]:  # type: ignore[type-arg]
        if calls is not None:
            calls.append(host)
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in answers
        ]

    return resolve


def _backend(  # type: ignore[no-untyped-def]
    resolve, allow: str = "", seconds: float = 5.0
) -> tuple[GuardedBackend, _Inner]:
    backend = GuardedBackend(AllowList.parse(allow), Deadline(seconds), resolve=resolve)
    inner = _Inner()
    backend._inner = inner  # type: ignore[assignment]
    return backend, inner


def test_every_address_of_a_name_is_checked() -> None:
    backend, inner = _backend(_resolver("93.184.216.34", "10.0.0.1"))
    with pytest.raises(RefusedURLError, match="blandat.example resolves to 10.0.0.1, a private"):
        backend.connect_tcp("blandat.example", 80)
    assert inner.connects == []


def test_the_socket_goes_to_the_checked_address_not_to_a_second_lookup() -> None:
    calls: list[str] = []
    backend, inner = _backend(_resolver("93.184.216.34", calls=calls))
    backend.connect_tcp("nyheter.example", 443)
    assert calls == ["nyheter.example"]  # one lookup ...
    assert inner.connects == [("93.184.216.34", 443)]  # ... and the socket layer gets its answer


def test_an_allowed_name_skips_the_check_but_not_the_single_lookup() -> None:
    calls: list[str] = []
    backend, inner = _backend(_resolver("10.1.1.1", calls=calls), allow="intranat.example")
    backend.connect_tcp("intranat.example", 8080)
    assert calls == ["intranat.example"] and inner.connects == [("10.1.1.1", 8080)]


def test_a_slow_lookup_ends_at_the_deadline() -> None:
    def slow(host: str, port: int, **kwargs: object) -> list[tuple]:  # type: ignore[type-arg]
        time.sleep(3)
        return []

    backend, _ = _backend(slow, seconds=0.3)
    start = time.monotonic()
    with pytest.raises(httpcore.ConnectTimeout):
        backend.connect_tcp("seg.example", 80)
    assert time.monotonic() - start < 1.5


def test_unix_sockets_are_refused() -> None:
    backend, _ = _backend(_resolver())
    with pytest.raises(RefusedURLError):
        backend.connect_unix_socket("/var/run/docker.sock")
