"""CLI commands for `lofte report`: a tracker's final account as HTML and PDF (issue 15).

Registered on the main app by `cli.py`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from .cli import _store, app, console, err_console, handle_errors
from .config import get_settings
from .errors import ValidationError
from .publish.pdf_print import DEFAULT_TIMEOUT, print_pdf
from .publish.report import report_data
from .publish.report_html import LANGUAGES, write_report
from .web.i18n import translate


@app.command("report")
@handle_errors
def report(
    tracker: Annotated[str, typer.Argument(help="The tracker's slug.")],
    out: Annotated[
        Path, typer.Option("--out", help="Folder to write the files to (created when missing).")
    ] = Path("."),
    lang: Annotated[str, typer.Option("--lang", help="Language of the account: sv or en.")] = "sv",
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="The site's public address (e.g. https://lofte.example.se), for links to "
            "archived copies; default LOFTE_PUBLIC_URL.",
        ),
    ] = None,
    no_pdf: Annotated[bool, typer.Option("--no-pdf", help="Write the HTML file only.")] = False,
    draft: Annotated[
        bool, typer.Option("--draft", help="Allow a tracker that is not published yet.")
    ] = False,
    date: Annotated[
        str | None, typer.Option("--date", help="Date of the account, YYYY-MM-DD (default: today).")
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds Chromium may take to print the PDF.")
    ] = DEFAULT_TIMEOUT,
) -> None:
    """Write the term's final account of TRACKER: `<slug>-slutrapport.html` and `.pdf`
    (`-final-account` with --lang en). The PDF is printed with Chromium (LOFTE_CHROMIUM_PATH)."""
    if lang not in LANGUAGES:
        raise ValidationError(f"--lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    day = _parse_date(date)
    settings = get_settings()
    with _store() as store, store.session() as session:
        data = report_data(
            session,
            tracker,
            base_url=base_url or settings.public_url or None,
            include_draft=draft,
            today=day,
        )
    html = write_report(data, out, translate, lang)
    console.print(Text(f"html: {html}"))
    if not data["term_ended"]:  # QA: a "final account" of a term that runs to 2030, unsaid
        end = data["tracker"]["term_end"]
        until = f"runs until {end}" if end else "has no end date"
        day = data["date"]
        err_console.print(Text(f"note: {tracker}'s term {until}: the account is of {day}"))
    if no_pdf:
        return
    pdf = html.with_suffix(".pdf")
    print_pdf(html, pdf, chromium=settings.chromium_path, timeout=timeout)  # a LofteError: exit 1
    console.print(Text(f"pdf: {pdf}"))


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError(f"--date wants YYYY-MM-DD, not {value!r}") from exc
