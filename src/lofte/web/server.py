"""Run the web app with uvicorn (bound to 127.0.0.1 unless told otherwise)."""

from __future__ import annotations

import uvicorn

from ..store.db import Store
from .app import create_app


def run_server(store: Store, host: str, port: int) -> None:
    uvicorn.run(create_app(store), host=host, port=port, log_level="info")
