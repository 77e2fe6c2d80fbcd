"""zh-CN by default, English on request: `t(key, **values)` over Flask-Babel's gettext catalogs.

The interface strings live in web/translations/<locale>/LC_MESSAGES/messages.po, keyed by a
symbolic msgid (`"check.submit"`) with the Chinese text in zh_CN and the English one in en;
`make install` / `make test` compile them to .mo files (web/i18n_tools.py maintains them, see
docs/web.md). Texts use `{name}` fields filled by `str.format`, as before the catalogs.
The language comes from `?lang=` (or a posted `lang`), remembered in a cookie, then that cookie,
then zh. Dates, times and money are formatted in web/formats.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel.support import NullTranslations, Translations
from flask import Flask, Response, current_app, g, request
from flask_babel import Babel, Domain
from werkzeug.exceptions import HTTPException

LANGS = ("zh", "en")
LOCALES = {"zh": "zh_CN", "en": "en"}  # our language code -> the catalog's locale
COOKIE = "lang"
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


class MissingTranslation(KeyError):
    """A template asked for a key the catalog of the current language does not have."""


class CatalogsNotCompiled(RuntimeError):
    """The .mo files are build output; without them every page would show bare keys."""


class CatalogDomain(Domain):
    """Flask-Babel's message domain, reading the folder named by our locale (`zh_CN`: Babel
    would look for `zh_Hans_CN`) and keeping each loaded catalog for the life of the process
    (Flask-Babel's default domain is built anew, and reloads the files, on every request)."""

    def get_translations(self) -> NullTranslations:
        lang = current_lang()
        if lang not in self.cache:
            self.cache[lang] = Translations.load(str(TRANSLATIONS), [LOCALES[lang]], "messages")
        return self.cache[lang]  # type: ignore[no-any-return]


DOMAIN = CatalogDomain(str(TRANSLATIONS))


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


def _locale() -> str:
    return LOCALES[current_lang()]


def has(key: str) -> bool:
    """Whether the current language's catalog translates `key`."""
    return DOMAIN.get_translations().gettext(key) != key


def t(key: str, **values: Any) -> str:
    """The message `key` in the current language, with `{name}` fields filled from `values`."""
    text = DOMAIN.get_translations().gettext(key)
    if text == key:
        if current_app.config["I18N_STRICT"]:
            raise MissingTranslation(key)
        return key
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


def _check_compiled() -> None:
    missing = [loc for loc in LOCALES.values()
               if not (TRANSLATIONS / loc / "LC_MESSAGES" / "messages.mo").exists()]
    if missing:
        raise CatalogsNotCompiled(
            f"no compiled catalog for {', '.join(missing)} in {TRANSLATIONS}: run `make catalogs` "
            "(pybabel compile -d web/translations)")


def init_app(app: Flask) -> None:
    _check_compiled()
    Babel(app, locale_selector=_locale, default_locale="zh_CN",
          default_timezone="Asia/Shanghai", default_translation_directories=str(TRANSLATIONS),
          configure_jinja=False)
    app.before_request(DOMAIN.as_default)  # flask_babel.gettext reads the same catalogs
    app.after_request(_remember)
    # Globals (not context variables) so that imported macros can translate too.
    app.add_template_global(t, "t")
    app.add_template_global(switch_url, "switch_url")

    @app.context_processor
    def _globals() -> dict[str, Any]:
        lang = current_lang()
        return {"lang": lang, "other_lang": "en" if lang == "zh" else "zh"}
