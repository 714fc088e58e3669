"""Rendering pages: Jinja2 with autoescape, the UI language, the user and the CSRF token.

Every value a template prints passes `_finalize`, which drops bidi controls (a title holding
U+202E, right-to-left override, would otherwise reverse the page text that follows it) and any
control character a row written straight into the database may hold.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from ..language.controls import xml_safe
from ..publish.dates import format_date, format_value
from ..publish.meter import STATUS_ORDER
from . import auth
from .i18n import LANGUAGES, translate

HERE = Path(__file__).parent


def language(request: Request) -> str:
    default = getattr(request.app.state, "default_language", "sv")
    lang = request.query_params.get("lang") or request.cookies.get("lang") or default
    return lang if lang in LANGUAGES else "sv"


def url_with(request: Request, **changes: Any) -> str:
    """The current path with some query parameters replaced (None drops one)."""
    params = {k: v for k, v in request.query_params.items()}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return Markup(xml_safe(value))
    if isinstance(value, str):
        return xml_safe(value)
    return value


def date_filter(value: Any, lang: str = "sv", precision: str | None = None) -> str:
    """`{{ value | date(lang) }}`: a date at its precision (publish/dates.py), never a made-up
    day. `value` is a record's {"value", "precision"}, an ISO string, a date or a datetime."""
    if precision is not None:
        return format_date(
            value.get("value") if isinstance(value, dict) else value, precision, lang
        )
    return format_value(value, lang)


class Pages:
    def __init__(self) -> None:
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))  # autoescapes .html
        self.templates.env.finalize = _finalize  # before any template is compiled
        self.templates.env.globals["status_order"] = [s.value for s in STATUS_ORDER]
        self.templates.env.filters["date"] = date_filter

    def render(
        self, request: Request, name: str, context: dict[str, Any], status: int = 200
    ) -> Response:
        lang = language(request)

        def t(key: str, **values: Any) -> str:
            text = translate(key, lang)
            return text.format(**values) if values else text

        flash = request.session.pop("flash", None) if "flash" in request.session else None
        response = self.templates.TemplateResponse(
            request,
            name,
            {
                **context,
                "lang": lang,
                "t": t,
                "user": auth.current_user(request),
                "csrf_token": lambda: auth.csrf_token(request),
                "url_with": lambda **kw: url_with(request, **kw),
                "flash": flash,
            },
            status_code=status,
        )
        if request.query_params.get("lang") in LANGUAGES:
            response.set_cookie("lang", lang, samesite="lax", httponly=True)
        return response
