"""Print an HTML file to PDF with headless Chromium (its print CSS: A4, page breaks).

Chromium runs with a fresh temporary profile, no network of its own (background networking
off; the final account makes no request anyway) and a time-out. A missing browser, a time-out
or a failed run is a LofteError naming the cause; the HTML file is left as it was, and no
partial PDF is left behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import LofteError
from ..files import remove_quietly

DEFAULT_TIMEOUT = 120.0


def chromium_command(chromium: str, html: Path, pdf: Path, profile: Path) -> list[str]:
    return [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-extensions",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        html.resolve().as_uri(),
    ]


def print_pdf(
    html: Path, pdf: Path, *, chromium: str = "chromium", timeout: float = DEFAULT_TIMEOUT
) -> Path:
    """Print `html` to `pdf` with the Chromium at `chromium` (a path or a name on PATH)."""
    executable = shutil.which(chromium)
    if executable is None:
        raise LofteError(
            f"cannot make the PDF: Chromium not found at {chromium!r} "
            "(install it or set LOFTE_CHROMIUM_PATH); the HTML file is written"
        )
    # an earlier PDF would no longer match the HTML just written: it goes, and the new one is
    # printed beside its place and moved in only when Chromium finished well, so a crash or a
    # time-out part way never leaves half a PDF under the account's name
    pdf.unlink(missing_ok=True)
    tmp = pdf.with_name(f".{pdf.name}.{os.getpid()}.tmp")
    try:
        with tempfile.TemporaryDirectory(prefix="lofte-chromium-") as profile:
            command = chromium_command(executable, html, tmp, Path(profile))
            returncode, stderr = _run(command, timeout)
        if returncode != 0 or not tmp.is_file() or tmp.stat().st_size == 0:
            tail = stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise LofteError(
                f"cannot make the PDF: Chromium exited with {returncode}"
                + (f": {' / '.join(tail)}" if tail else "")
            )
        tmp.replace(pdf)
    finally:
        remove_quietly(tmp)
    return pdf


def _run(command: list[str], timeout: float) -> tuple[int, bytes]:
    """Run Chromium in its own process group, so a time-out ends its helper processes too."""
    try:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as exc:
        raise LofteError(f"cannot make the PDF: Chromium did not start: {exc}") from exc
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill_group(proc)
        raise LofteError(
            f"cannot make the PDF: Chromium did not finish within {timeout:g} s"
        ) from exc
    _kill_group(proc)  # helpers left behind by a finished browser
    return proc.returncode, stderr


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
