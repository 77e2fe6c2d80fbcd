"""zh-CN by default, English on request: one `t(key)` over a zh/en dictionary (messages.py).

Why not Flask-Babel: two languages, both written by us beside each other, and the engine already
keeps its own texts as zh/en pairs. A dictionary needs no extraction or compile step, a missing
key is a KeyError a test can catch, and both languages of a string are reviewed in one place.
The language comes from `?lang=`, which is remembered in a cookie, then that cookie, then zh.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException

from engine import beijing_text, wan

from .messages import MESSAGES

LANGS = ("zh", "en")
COOKIE = "lang"


class MissingTranslation(KeyError):
    """A template asked for a key the catalogue does not have."""


def current_lang() -> str:
    if "lang" not in g:
        asked = _asked()
        g.lang = asked if asked in LANGS else request.cookies.get(COOKIE)
        if g.lang not in LANGS:
            g.lang = current_app.config["DEFAULT_LANG"]
    return str(g.lang)


def _asked() -> str | None:
    """The language the request asks for: `lang` in the query or in a posted form."""
    if request.args.get("lang"):
        return request.args["lang"]
    try:
        return request.form.get("lang")
    except HTTPException:  # a body too large to read: the error page still needs a language
        return None


def t(key: str, **values: Any) -> str:
    """The message `key` in the current language, with `{name}` fields filled from `values`."""
    pair = MESSAGES.get(key)
    if pair is None:
        if current_app.config["I18N_STRICT"]:
            raise MissingTranslation(key)
        return key
    text = pair[1] if current_lang() == "en" else pair[0]
    return text.format(**values) if values else text


def switch_url(lang: str) -> str:
    """This page's address in another language (other query parameters kept)."""
    args = request.args.to_dict()
    args["lang"] = lang
    return f"{request.path}?{urlencode(args)}"


def _remember(response: Response) -> Response:
    asked = _asked()
    if asked in LANGS and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, httponly=True,
                            samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    response.headers["Content-Language"] = "en" if current_lang() == "en" else "zh-CN"
    return response


def wan_filter(value: Decimal) -> str:
    """A figure given in 万元 (budgets): '3000万元' in Chinese, 'CNY 30,000,000' in English."""
    return wan(Decimal(value) * 10000, current_lang())


def beijing_filter(value: Any, precision: str = "minutes", label: bool = True) -> str:
    """A stored (UTC) time as Beijing time, labelled unless the column heading says it."""
    return beijing_text(value, current_lang(), precision, label)


def init_app(app: Flask) -> None:
    app.after_request(_remember)
    app.add_template_filter(wan_filter, "wan")
    app.add_template_filter(beijing_filter, "bj")
    # Globals (not context variables) so that imported macros can translate too.
    app.add_template_global(t, "t")
    app.add_template_global(switch_url, "switch_url")

    @app.context_processor
    def _globals() -> dict[str, Any]:
        lang = current_lang()
        return {"lang": lang, "other_lang": "en" if lang == "zh" else "zh"}
