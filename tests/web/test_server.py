"""`lofte serve` believes forwarded headers only from the proxies named in LOFTE_TRUSTED_PROXIES."""

from __future__ import annotations

from typing import Any

import pytest

from lofte.config import get_settings
from lofte.store.db import Store
from lofte.web import server


@pytest.mark.parametrize(
    ("proxies", "expected"),
    [("", (False, None)), ("127.0.0.1, 10.0.0.5", (True, "127.0.0.1, 10.0.0.5"))],
)
def test_forwarded_headers_are_believed_only_from_trusted_proxies(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch, proxies: str, expected: tuple[bool, Any]
) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setenv("LOFTE_TRUSTED_PROXIES", proxies)
    monkeypatch.setenv("LOFTE_SECRET_KEY", "x" * 32)
    get_settings.cache_clear()
    monkeypatch.setattr(server.uvicorn, "run", lambda app, **kw: seen.update(kw))
    try:
        server.run_server(sqlite_store, "127.0.0.1", 8123)
    finally:
        get_settings.cache_clear()
    assert (seen["proxy_headers"], seen["forwarded_allow_ips"]) == expected
