"""The final account (report.py's data) as one self-contained HTML file.

Everything is inside the file: the CSS, and the charts as SVG `data:` images (drawn by
charts.py, the same as the meter pages), so it opens offline, prints the same anywhere and
makes no request. No JavaScript. Jinja2 autoescapes every value; the charts are images, so
no markup is ever inserted unescaped. The UI strings come from the caller (`translate(key,
lang)`, the web's i18n tables), which keeps publish/ free of web/ imports.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2

from ..errors import ValidationError
from ..files import remove_quietly
from . import charts
from .dates import format_date
from .numbers import decimal, percent

TEMPLATES = Path(__file__).parent / "templates"
LANGUAGES = ("sv", "en")

Translate = Callable[[str, str], str]


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["percent"] = percent
    env.filters["decimal"] = decimal
    env.filters["date_at"] = format_date  # at its precision: never a made-up day (QA)
    return env


def svg_data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def report_charts(data: Mapping[str, Any], t: Callable[[str], str]) -> dict[str, str | None]:
    """The account's charts as data URIs; None where there is nothing to draw."""
    parties = [(r["party"] or t("no_party"), r["counts"]) for r in data["by_party"]]
    return {
        "status": svg_data_uri(charts.status_chart(data["meter"]["counts"], t))
        if data["meter"]["total"]
        else None,
        "party": svg_data_uri(charts.stacked_chart(parties, t("report_party_chart_title"), t))
        if any(r["total"] for r in data["by_party"])  # a tracker's parties with no pledge: none
        else None,
        "area": svg_data_uri(charts.area_chart(data["by_area"], t)) if data["by_area"] else None,
        "term": svg_data_uri(charts.term_chart(data["over_term"], t))
        if data["over_term"]
        else None,
    }


def render_report(data: Mapping[str, Any], translate: Translate, lang: str = "sv") -> str:
    """The account as an HTML document in `lang` (sv or en)."""
    lang = lang if lang in LANGUAGES else LANGUAGES[0]

    def t(key: str, **values: Any) -> str:
        text = translate(key, lang)
        return text.format(**values) if values else text

    template = _environment().get_template("report.html")
    return template.render(data, t=t, lang=lang, charts=report_charts(data, t))


FILE_STEMS = {"sv": "slutrapport", "en": "final-account"}


def report_stem(slug: str, lang: str) -> str:
    """The account's file name without suffix: `<slug>-slutrapport` (`-final-account` in
    English)."""
    return f"{slug}-{FILE_STEMS.get(lang, FILE_STEMS['sv'])}"


def write_report(
    data: Mapping[str, Any], out_dir: Path, translate: Translate, lang: str = "sv"
) -> Path:
    """Render the account into `out_dir` (created when missing); returns the HTML file.

    A folder that cannot be made or written (a file of that name, no permission) is a
    ValidationError naming it, and leaves no partial or temporary file."""
    text = render_report(data, translate, lang)
    path = out_dir / f"{report_stem(data['tracker']['slug'], lang)}.html"
    if out_dir.exists() and not out_dir.is_dir():
        raise ValidationError(f"cannot write the account into {out_dir}: it is not a folder")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)  # a reader never sees half a file
    except OSError as exc:
        raise ValidationError(f"cannot write the account into {out_dir}: {exc}") from exc
    finally:
        remove_quietly(tmp)
    return path
