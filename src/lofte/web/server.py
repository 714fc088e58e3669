"""Run the web app with uvicorn (bound to 127.0.0.1 unless told otherwise)."""

from __future__ import annotations

import uvicorn

from ..config import get_settings
from ..store.db import Store
from .app import create_app


def run_server(store: Store, host: str, port: int) -> None:
    # Forwarded headers decide the client address the login throttle counts and whether the
    # session cookie is Secure: believe them only from the proxies the operator named.
    proxies = get_settings().trusted_proxies.strip()
    uvicorn.run(
        create_app(store),
        host=host,
        port=port,
        log_level="info",
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or None,
    )
