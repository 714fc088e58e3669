"""The shape of Löfte's own log lines when it runs as a server: a time, the level, the logger's
name and the process id before each message, on standard error.

Kept apart from the web package and light to import: uvicorn applies its logging
configuration (which names `StderrHandler`) in each worker process before that worker answers
its supervisor's health checks, so importing the whole app here would make a slow start look
like a hung worker.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s[%(process)d]: %(message)s"
LOGGER = "lofte"


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to the standard error of the moment (not the one when it was made), as
    logging's own last-resort handler does."""

    def __init__(self, level: int = logging.NOTSET) -> None:
        logging.Handler.__init__(self, level)

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr


def configure_logging(log_level: str) -> None:
    """Löfte's log lines in this process in LOG_FORMAT at `log_level` and above (once)."""
    logger = logging.getLogger(LOGGER)
    if not any(isinstance(h, StderrHandler) for h in logger.handlers):
        handler = StderrHandler()
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        logger.addHandler(handler)
    logger.setLevel(log_level.upper())
