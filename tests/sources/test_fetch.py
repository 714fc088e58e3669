"""Polite fetching: robots.txt, rate limit, conditional GET, size cap, errors. No network:
every request goes to an `httpx.MockTransport`, and time is a fake clock."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from lofte.config import Settings
from lofte.errors import FetchError, RefusedURLError, TooLargeError
from lofte.sources.fetch import (
    MAX_REDIRECTS,
    FetchResult,
    Politeness,
    ValidatorCache,
    fetch,
    fetch_raw,
)
from tests.localweb import finishes_within, local_sites

PAGE = "<html><body><h1>Ny cykelbana längs Ekvägen</h1></body></html>".encode()
ALLOW_ALL = "User-agent: *\nDisallow:\n"


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Site:
    """A fake web: robots.txt per host, pages by URL, and a log of every request."""

    def __init__(self, robots: str | int = ALLOW_ALL) -> None:
        self.robots: dict[str, str | int] = {}
        self.default_robots = robots
        self.pages: dict[str, Callable[[httpx.Request], httpx.Response]] = {}
        self.requests: list[httpx.Request] = []

    def page(self, url: str, body: bytes = PAGE, **kwargs: object) -> None:
        self.pages[url] = lambda request: httpx.Response(200, content=body, **kwargs)  # type: ignore[arg-type]

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == "/robots.txt":
            robots = self.robots.get(request.url.host, self.default_robots)
            if isinstance(robots, int):
                return httpx.Response(robots)
            return httpx.Response(200, text=robots)
        respond = self.pages.get(str(request.url))
        return respond(request) if respond else httpx.Response(404)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handler))

    def paths(self) -> list[str]:
        return [f"{r.url.host}{r.url.path}" for r in self.requests]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def polite(clock: FakeClock) -> Politeness:
    return Politeness(min_interval=1.0, clock=clock, sleep=clock.sleep)


def _fetch(site: Site, url: str, polite: Politeness, **kwargs: object) -> FetchResult:
    with site.client() as client:
        return fetch(url, client=client, politeness=polite, **kwargs)  # type: ignore[arg-type]


def test_a_page_is_fetched_with_its_headers(polite: Politeness) -> None:
    site = Site()
    site.page("https://ekby.example/nyheter", headers={"Content-Type": "text/html; charset=utf-8"})
    result = _fetch(site, "https://ekby.example/nyheter", polite)
    assert result.raw is not None and not result.not_modified
    assert result.raw.data == PAGE
    assert result.raw.origin == "https://ekby.example/nyheter"
    assert result.raw.media_type == "text/html"
    assert result.raw.http_headers["content-type"].startswith("text/html")
    assert result.raw.fetched_at is not None


def test_the_user_agent_from_the_settings_is_sent_everywhere(polite: Politeness) -> None:
    site = Site()
    site.page("https://ekby.example/a")
    settings = Settings(user_agent="Lofte/9.9 (test; election-pledge tracker)")
    with site.client() as client:
        fetch("https://ekby.example/a", client=client, politeness=polite, settings=settings)
    agents = {r.headers["user-agent"] for r in site.requests}
    assert agents == {"Lofte/9.9 (test; election-pledge tracker)"}
    assert Settings().user_agent.startswith("Lofte")  # the default names the project


def test_robots_disallow_stops_the_fetch(polite: Politeness) -> None:
    site = Site("User-agent: *\nDisallow: /intern/\n")
    site.page("https://ekby.example/intern/plan")
    with pytest.raises(FetchError, match="robots.txt") as info:
        _fetch(site, "https://ekby.example/intern/plan", polite)
    assert info.value.origin == "https://ekby.example/intern/plan"
    assert site.paths() == ["ekby.example/robots.txt"]  # the page itself was never asked for


def test_robots_rules_for_our_agent_apply_and_others_do_not(polite: Politeness) -> None:
    site = Site("User-agent: Lofte\nDisallow: /\n\nUser-agent: OtherBot\nAllow: /\n")
    site.robots["andra.example"] = "User-agent: OtherBot\nDisallow: /\n"
    site.page("https://ekby.example/a")
    site.page("https://andra.example/a")
    with pytest.raises(FetchError, match="does not allow"):
        _fetch(site, "https://ekby.example/a", polite)
    assert _fetch(site, "https://andra.example/a", polite).raw is not None


def test_robots_is_read_once_per_host(polite: Politeness) -> None:
    site = Site()
    for path in ("a", "b", "c"):
        site.page(f"https://ekby.example/{path}")
    site.page("https://region.example/a")
    for url in ("https://ekby.example/a", "https://ekby.example/b", "https://ekby.example/c"):
        _fetch(site, url, polite)
    _fetch(site, "https://region.example/a", polite)
    robots = [p for p in site.paths() if p.endswith("/robots.txt")]
    assert robots == ["ekby.example/robots.txt", "region.example/robots.txt"]


def test_missing_robots_allows_and_failing_robots_forbids(polite: Politeness) -> None:
    site = Site(404)
    site.robots["trasig.example"] = 503
    site.page("https://ekby.example/a")
    site.page("https://trasig.example/a")
    assert _fetch(site, "https://ekby.example/a", polite).raw is not None
    with pytest.raises(FetchError, match="503"):
        _fetch(site, "https://trasig.example/a", polite)


def test_rate_limit_waits_between_requests_to_one_host(clock: FakeClock) -> None:
    polite = Politeness(min_interval=2.0, clock=clock, sleep=clock.sleep)
    site = Site()
    for url in ("https://ekby.example/a", "https://ekby.example/b", "https://region.example/a"):
        site.page(url)
    _fetch(site, "https://ekby.example/a", polite)  # robots at t=100, the page 2 s later
    assert clock.sleeps == [2.0]
    _fetch(site, "https://ekby.example/b", polite)  # robots is cached: one more interval
    assert clock.sleeps == [2.0, 2.0]
    _fetch(site, "https://region.example/a", polite)  # another host: only its own robots wait
    assert clock.sleeps == [2.0, 2.0, 2.0]
    assert clock.now == 106.0  # all waiting went through the fake clock


def test_rate_limit_does_not_wait_when_enough_time_passed(clock: FakeClock) -> None:
    polite = Politeness(min_interval=1.0, clock=clock, sleep=clock.sleep)
    site = Site()
    site.page("https://ekby.example/a")
    site.page("https://ekby.example/b")
    _fetch(site, "https://ekby.example/a", polite)
    before = list(clock.sleeps)
    clock.now += 10
    _fetch(site, "https://ekby.example/b", polite)
    assert clock.sleeps == before


def test_exact_wait_is_the_remaining_interval(clock: FakeClock) -> None:
    polite = Politeness(min_interval=1.0, clock=clock, sleep=clock.sleep)
    site = Site()
    site.page("https://ekby.example/a")
    site.page("https://ekby.example/b")
    _fetch(site, "https://ekby.example/a", polite)
    clock.now += 0.25
    _fetch(site, "https://ekby.example/b", polite)
    assert clock.sleeps == [1.0, pytest.approx(0.75)]


def test_crawl_delay_is_honoured(clock: FakeClock) -> None:
    polite = Politeness(min_interval=1.0, clock=clock, sleep=clock.sleep)
    site = Site("User-agent: *\nCrawl-delay: 5\n")
    site.page("https://ekby.example/a")
    site.page("https://ekby.example/b")
    _fetch(site, "https://ekby.example/a", polite)
    _fetch(site, "https://ekby.example/b", polite)
    assert clock.sleeps == [5.0, 5.0]


def test_etag_revalidation_returns_not_modified(polite: Politeness) -> None:
    site = Site()
    url = "https://ekby.example/nyheter"
    seen: list[dict[str, str]] = []

    def respond(request: httpx.Request) -> httpx.Response:
        seen.append(dict(request.headers))
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304)
        headers = {"ETag": '"v1"', "Last-Modified": "Tue, 05 Mar 2024 08:00:00 GMT"}
        return httpx.Response(200, content=PAGE, headers=headers)

    site.pages[url] = respond
    cache = ValidatorCache()
    first = _fetch(site, url, polite, cache=cache)
    second = _fetch(site, url, polite, cache=cache)
    assert first.raw is not None and first.status == 200
    assert "if-none-match" not in seen[0]
    assert seen[1]["if-none-match"] == '"v1"'
    assert seen[1]["if-modified-since"] == "Tue, 05 Mar 2024 08:00:00 GMT"
    assert second.not_modified and second.raw is None and second.status == 304


def test_size_cap_by_declared_length(polite: Politeness) -> None:
    site = Site()
    site.page("https://ekby.example/stor", body=b"x" * 5000)
    with pytest.raises(TooLargeError, match="1,000"):
        _fetch(site, "https://ekby.example/stor", polite, settings=Settings(max_input_bytes=1000))


def test_size_cap_while_streaming_without_a_length(polite: Politeness) -> None:
    site = Site()
    sent: list[int] = []

    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            sent.append(1)
            yield b"y" * 300

    site.pages["https://ekby.example/strom"] = lambda request: httpx.Response(200, content=chunks())
    with pytest.raises(TooLargeError) as info:
        _fetch(site, "https://ekby.example/strom", polite, settings=Settings(max_input_bytes=1000))
    assert info.value.origin == "https://ekby.example/strom"
    assert len(sent) < 100  # reading stopped at the cap


def test_timeout_becomes_fetch_error(polite: Politeness) -> None:
    site = Site()

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("read timed out", request=request)

    site.pages["https://ekby.example/seg"] = slow
    with pytest.raises(FetchError, match="timed out after 3 s"):
        _fetch(site, "https://ekby.example/seg", polite, timeout=3.0)


def test_a_server_breaking_off_its_answer_is_said_in_words(polite: Politeness) -> None:
    site = Site()

    def liar(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError("peer closed connection", request=request)

    site.pages["https://ekby.example/kort"] = liar
    with pytest.raises(FetchError, match="the server broke off the answer") as caught:
        _fetch(site, "https://ekby.example/kort", polite)
    assert "RemoteProtocolError" not in str(caught.value)  # QA: the class name was the message


def test_connection_error_becomes_fetch_error(polite: Politeness) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    with (
        httpx.Client(transport=httpx.MockTransport(refuse)) as client,
        pytest.raises(FetchError, match="cannot read .*robots.txt"),
    ):
        fetch("https://ekby.example/a", client=client, politeness=polite)


def test_connection_error_on_the_page_itself(polite: Politeness) -> None:
    site = Site()

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    site.pages["https://ekby.example/a"] = refuse
    with pytest.raises(FetchError, match="cannot connect"):
        _fetch(site, "https://ekby.example/a", polite)


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_error_status_becomes_fetch_error(polite: Politeness, status: int) -> None:
    site = Site()
    site.pages["https://ekby.example/x"] = lambda request: httpx.Response(status)
    with pytest.raises(FetchError, match=f"HTTP {status}"):
        _fetch(site, "https://ekby.example/x", polite)


def test_redirects_are_followed_with_robots_checked_on_each_host(polite: Politeness) -> None:
    site = Site()
    site.robots["ny.example"] = "User-agent: *\nDisallow: /stangt/\n"
    site.pages["https://ekby.example/gammal"] = lambda r: httpx.Response(
        301, headers={"Location": "https://ny.example/nyheter"}
    )
    site.pages["https://ny.example/nyheter"] = lambda r: httpx.Response(
        302, headers={"Location": "/nyheter/2024"}
    )
    site.page("https://ny.example/nyheter/2024")
    result = _fetch(site, "https://ekby.example/gammal", polite)
    assert result.final_url == "https://ny.example/nyheter/2024"
    assert result.raw is not None and result.raw.origin == "https://ekby.example/gammal"
    assert result.raw.http_headers["content-location"] == "https://ny.example/nyheter/2024"
    assert "ny.example/robots.txt" in site.paths()

    site.pages["https://ekby.example/till-stangt"] = lambda r: httpx.Response(
        307, headers={"Location": "https://ny.example/stangt/x"}
    )
    with pytest.raises(FetchError, match="does not allow"):
        _fetch(site, "https://ekby.example/till-stangt", polite)


def test_redirect_loop_is_an_error(polite: Politeness) -> None:
    site = Site()
    site.pages["https://ekby.example/loop"] = lambda r: httpx.Response(
        302, headers={"Location": "/loop"}
    )
    with pytest.raises(FetchError, match="redirects"):
        _fetch(site, "https://ekby.example/loop", polite)


@pytest.mark.parametrize("url", ["http://[zz]/", "http://[::1", "https://[fe80::1%zz/"])
def test_a_malformed_url_is_refused_naming_it(polite: Politeness, url: str) -> None:
    """QA: `lofte ingest 'http://[zz]/' a.txt` stopped the batch with urlsplit's ValueError."""
    site = Site()
    with pytest.raises(RefusedURLError, match="not a valid URL"):
        _fetch(site, url, polite)
    assert site.requests == []


@pytest.mark.parametrize("url", ["ftp://ekby.example/fil", "file:///etc/passwd", "https://"])
def test_only_http_urls_are_fetched(polite: Politeness, url: str) -> None:
    site = Site()
    with pytest.raises(FetchError, match="only http and https"):
        _fetch(site, url, polite)
    assert site.requests == []


def test_fetch_raw_returns_the_raw_input(polite: Politeness) -> None:
    site = Site()
    site.page("https://ekby.example/rss", headers={"Content-Type": "application/rss+xml"})
    with site.client() as client:
        raw = fetch_raw("https://ekby.example/rss", client=client, politeness=polite)
    assert raw.data == PAGE and raw.media_type == "application/rss+xml"


# -- the SSRF guard, on real sockets ---------------------------------------------------------------
# Both test servers listen on 127.0.0.1: what is allowed is named in LOFTE_FETCH_ALLOW_HOSTS
# (by port, or by the name "localhost"), and a redirect to anything else on 127.0.0.1 must fail.

SECRET = "<html><body><h1>Intern</h1><p>lösenord: hunter2</p></body></html>".encode()


def _fetch_local(url: str, allow: str = "", **overrides: float) -> FetchResult:
    """`fetch` as ingest calls it (own client, so the guard is on), without politeness waits."""
    values: dict[str, float] = {"fetch_min_interval": 0.0, "fetch_timeout": 5.0, **overrides}
    settings = Settings(fetch_allow_hosts=allow, **values)  # type: ignore[arg-type]
    return fetch(url, settings=settings, politeness=Politeness(min_interval=0.0))


def test_a_redirect_to_another_local_port_is_refused() -> None:
    with local_sites(2) as (public, internal):
        internal.page("/secret", SECRET)
        public.redirect("/x", internal.url("/secret"))
        with pytest.raises(RefusedURLError, match="127.0.0.1 is a loopback address") as info:
            _fetch_local(public.url("/x"), f"127.0.0.1:{public.port}")
        assert info.value.origin == public.url("/x")
        assert internal.url("/secret") in info.value.message
        assert public.seen == ["/robots.txt", "/x"]
        assert internal.seen == []  # not even its robots.txt: nothing was sent there


def test_a_redirect_from_an_allowed_name_to_a_loopback_address_is_refused() -> None:
    with local_sites(2) as (public, internal):
        internal.page("/secret", SECRET)
        public.redirect("/x", internal.url("/secret"))
        with pytest.raises(RefusedURLError, match="loopback"):
            _fetch_local(public.url("/x", host="localhost"), "localhost")
        assert "/x" in public.seen
        assert internal.seen == []


def test_an_allowed_host_is_fetched_and_may_redirect_within_itself() -> None:
    with local_sites(1) as (site,):
        site.page("/ny", PAGE)
        site.redirect("/gammal", "/ny", status=301)
        result = _fetch_local(site.url("/gammal"), f"127.0.0.1:{site.port}")
        assert result.raw is not None and result.raw.data == PAGE
        assert result.final_url == site.url("/ny")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "127.1", "2130706433", "0x7f.0.0.1"])
def test_a_local_address_is_refused_without_sending_anything(host: str) -> None:
    with local_sites(1) as (site,):
        site.page("/x", PAGE)
        url = site.url("/x", host=host)
        with pytest.raises(RefusedURLError, match="loopback") as caught:
            _fetch_local(url)
        assert site.seen == []
        assert str(caught.value).count(url) == 1, str(caught.value)  # QA: named twice


def test_the_allow_list_names_a_port_not_every_port() -> None:
    with local_sites(1) as (site,):
        site.page("/x", PAGE)
        with pytest.raises(RefusedURLError):
            _fetch_local(site.url("/x"), f"127.0.0.1:{site.port + 1}")
        assert site.seen == []


def test_a_robots_redirect_to_an_internal_address_is_refused() -> None:
    with local_sites(2) as (public, internal):
        internal.page("/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
        public.redirect("/robots.txt", internal.url("/robots.txt"))
        public.page("/x", PAGE)
        with pytest.raises(RefusedURLError, match="loopback"):
            _fetch_local(public.url("/x"), f"127.0.0.1:{public.port}")
        assert internal.seen == []


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback on this machine")
def test_an_ipv6_loopback_server_is_refused_unless_allowed() -> None:
    with local_sites(1, host="::1") as (site,):
        site.page("/x", PAGE)
        with pytest.raises(RefusedURLError, match="::1 is a loopback address"):
            _fetch_local(site.url("/x"))
        assert site.seen == []
        assert _fetch_local(site.url("/x"), f"[::1]:{site.port}").raw is not None


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[str, str]:
    """A self-signed certificate for the name "localhost" only."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


def test_https_connects_to_the_checked_address_but_verifies_the_name(
    certificate: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", certificate[0])  # trust our certificate, as a CA
    with local_sites(1, tls=certificate) as (site,):
        site.page("/x", PAGE)
        result = _fetch_local(site.url("/x", host="localhost"), "localhost")
        assert result.raw is not None and result.raw.data == PAGE
        # The same server by address fails: the certificate is checked against the URL's name
        # (SNI and verification), not against the address the guard connected to.
        with pytest.raises(FetchError, match="CERTIFICATE_VERIFY_FAILED|certificate"):
            _fetch_local(site.url("/x"), f"127.0.0.1:{site.port}")


# -- the SSRF guard, on a mock transport (no sockets) -------------------------------------------


@pytest.mark.parametrize(
    ("location", "why"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.0.0.5/admin", "private"),
        ("http://[::1]:8080/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://[::ffff:a9fe:a9fe]/", "link-local"),
        ("http://0.0.0.0:8080/", "unspecified"),
        ("http://[::]/", "unspecified"),
        ("http://100.64.1.1/", "shared"),
        ("http://224.0.0.1/", "multicast"),
        ("http://[fd00::1]/", "private"),
    ],
)
def test_a_redirect_to_a_literal_internal_address_is_refused(
    polite: Politeness, location: str, why: str
) -> None:
    site = Site()
    site.pages["https://ekby.example/x"] = lambda r: httpx.Response(
        302, headers={"Location": location}
    )
    with pytest.raises(RefusedURLError, match=why):
        _fetch(site, "https://ekby.example/x", polite)
    assert all(r.url.host == "ekby.example" for r in site.requests)


@pytest.mark.parametrize(
    "url", ["https://user:pass@ekby.example/a", "https://token@ekby.example/a"]
)
def test_urls_with_credentials_are_refused(polite: Politeness, url: str) -> None:
    site = Site()
    site.page("https://ekby.example/a")
    with pytest.raises(RefusedURLError, match="credentials") as refused:
        _fetch(site, url, polite)
    assert site.requests == []
    # the refusal names the URL without the secret it refuses to send
    assert "pass" not in str(refused.value) and "token" not in str(refused.value)
    assert "https://***@ekby.example/a" in str(refused.value)


@pytest.mark.parametrize(
    "location", ["https://user:pass@ekby.example/b", "file:///etc/passwd", "gopher://ekby.example/"]
)
def test_a_redirect_to_credentials_or_another_scheme_is_refused(
    polite: Politeness, location: str
) -> None:
    site = Site()
    site.pages["https://ekby.example/a"] = lambda r: httpx.Response(
        302, headers={"Location": location}
    )
    site.page("https://ekby.example/b")
    with pytest.raises(FetchError, match="credentials|only http and https"):
        _fetch(site, "https://ekby.example/a", polite)
    assert "ekby.example/b" not in site.paths()


@pytest.mark.parametrize(("hops", "ok"), [(MAX_REDIRECTS, True), (MAX_REDIRECTS + 1, False)])
def test_the_redirect_limit(polite: Politeness, hops: int, ok: bool) -> None:
    site = Site()
    for i in range(hops):
        site.pages[f"https://ekby.example/{i}"] = lambda r, i=i: httpx.Response(
            302, headers={"Location": f"/{i + 1}"}
        )
    site.page(f"https://ekby.example/{hops}")
    if ok:
        assert _fetch(site, "https://ekby.example/0", polite).raw is not None
    else:
        with pytest.raises(FetchError, match=f"more than {MAX_REDIRECTS} redirects"):
            _fetch(site, "https://ekby.example/0", polite)


# -- the overall deadline ---------------------------------------------------------------------


def test_a_trickling_server_fails_at_the_deadline() -> None:
    with local_sites(1) as (site,):
        site.trickle("/drop", interval=0.3)
        allow = f"127.0.0.1:{site.port}"
        error, took = finishes_within(
            10, lambda: _fetch_local(site.url("/drop"), allow, fetch_deadline=1.0)
        )
    assert isinstance(error, FetchError), error
    assert "deadline of 1 s" in error.message and "LOFTE_FETCH_DEADLINE" in error.message
    assert error.origin == site.url("/drop")
    assert took < 2.5


@pytest.mark.parametrize("after_headers", [False, True])
def test_a_silent_server_fails_at_the_deadline_not_the_read_timeout(after_headers: bool) -> None:
    with local_sites(1) as (site,):
        site.stall("/tyst", after_headers=after_headers)
        allow = f"127.0.0.1:{site.port}"
        error, took = finishes_within(
            10,
            lambda: _fetch_local(site.url("/tyst"), allow, fetch_deadline=1.0, fetch_timeout=30.0),
        )
    assert isinstance(error, FetchError), error
    assert "deadline" in error.message
    assert took < 2.5


def test_the_deadline_is_a_setting_with_a_sane_default() -> None:
    assert 10 <= Settings().fetch_deadline <= 300
    assert Settings(fetch_deadline=7).fetch_deadline == 7.0
