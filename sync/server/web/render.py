"""Pages from Jinja2 templates, in the person's language, with the headers every page carries.

Jinja2 is the template engine the Python web world keeps best (Flask's, Starlette's own), and
autoescapes HTML: a name typed at a counter can never become markup here.
"""

from __future__ import annotations

from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from sync.server.web import charts, numbers
from sync.server.web.csrf import FIELD
from sync.server.web.i18n import Lang, tr

_env = Environment(
    loader=FileSystemLoader(str(resources.files("sync.server.web") / "templates")),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,  # a misspelt name is an error in the tests, not an empty cell
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters.update(
    grouped=numbers.grouped,
    percent=numbers.percent,
    decimal=numbers.decimal,
    day=numbers.day,
)
_env.globals.update(bar_chart=charts.bar_chart, csrf_field=FIELD)


def render(request: Request, template: str, lang: Lang, status: int, **values: Any) -> HTMLResponse:
    """A page; never cached, since it shows one person's figures."""

    other = "en" if lang == "lo" else "lo"

    def t(key: str, **more: Any) -> str:
        return tr(lang, key, **more)

    html = _env.get_template(template).render(
        lang=lang,
        t=t,
        money=lambda value: numbers.money(value, lang),
        moment=lambda stamp: numbers.moment(stamp, lang),
        month_name=lambda number: numbers.month_name(number, lang),
        here=request.url.path,
        other_lang=other,
        lang_link=request.url.path + "?" + urlencode({**request.query_params, "lang": other}),
        period_name=lambda period: numbers.period_name(period, lang),
        bucket_name=lambda start, timeframe: numbers.bucket_name(start, timeframe, lang),
        **values,
    )
    return HTMLResponse(html, status, headers={"Cache-Control": "no-store"})
