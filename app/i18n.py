"""Which language a request speaks.

Order: an explicit `_l_` argument (FAB's API convention), the language saved on the
logged-in user, the session's choice, then the browser's Accept-Language on a first
visit, then the default (Chinese). A REST client states its language on each call: on
/api/ an Accept-Language header comes before the user's saved choice.
"""
from __future__ import annotations

from functools import cached_property
from urllib.parse import urlparse

from babel import support
from flask import Request, abort, current_app, g, has_request_context, redirect, request, session
from flask_babel import Domain, get_babel, get_locale, get_translations, refresh
from flask_login import current_user
from wtforms.i18n import messages_path

ZH = "zh_Hans_CN"
EN = "en"


def supported() -> dict:
    return current_app.config["LANGUAGES"]


def normalize(value: str | None) -> str | None:
    """Map what browsers, users and URLs say to one of our locale keys."""
    if not value:
        return None
    value = value.replace("-", "_")
    if value in supported():
        return value
    lang = value.split("_")[0].lower()
    if lang == "zh":
        return ZH
    if lang == "en":
        return EN
    return None


def select_locale() -> str:
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    explicit = normalize(request.args.get("_l_"))
    if explicit:
        return explicit
    if request.path.startswith("/api/") and request.headers.get("Accept-Language"):
        stated = normalize(request.accept_languages.best_match(["zh", "zh-CN", "zh-Hans", "en", "en-US", "en-GB"]))
        if stated:
            return stated
    user = getattr(g, "user", None) or current_user
    user_locale = normalize(getattr(user, "locale", None)) if getattr(user, "is_authenticated", False) else None
    if user_locale:
        return user_locale
    chosen = normalize(session.get("locale"))
    if chosen:
        return chosen
    best = request.accept_languages.best_match(["zh", "zh-CN", "zh-Hans", "en", "en-US", "en-GB"])
    return normalize(best) or default


def switch_locale(locale: str | None = None):
    """The language picker: remember the choice in the session and on the user.

    A POST from the navbar's small form (so CSRF-protected: a link or an image on another
    site cannot change a user's saved language)."""
    from app.extensions import db

    key = normalize(locale or request.form.get("locale"))
    if key is None:
        abort(404)
    session["locale"] = key
    if getattr(current_user, "is_authenticated", False):
        current_user.locale = key
        db.session.commit()
    refresh()
    target = request.referrer
    if not target or urlparse(target).netloc not in ("", request.host):
        target = current_app.appbuilder.get_url_for_index
    return redirect(target)


def refuse_get(locale: str):
    """FAB's GET /lang/<locale> link changed state on a GET: answer 405 and change nothing."""
    abort(405, valid_methods=["POST"])


def declare_language(response):
    """Say the page's language on its <html> element. FAB's and flask-admin's base
    templates write a bare <html>; without `lang` Chromium draws Chinese with Japanese
    glyph forms and screen readers guess. Patched here rather than by copying both base
    templates, which would then have to follow every upgrade of either library."""
    if response.mimetype != "text/html" or response.direct_passthrough or response.is_streamed:
        return response
    body = response.get_data()
    at = body.find(b"<html>", 0, 600)
    if at >= 0:
        lang = b"en" if select_locale() == EN else b"zh-CN"
        response.set_data(body[:at] + b'<html lang="' + lang + b'">' + body[at + 6:])
    return response


def _catalog():
    """The request's translations, looked up once per request and language. Flask-Babel finds
    them again for each string (the request context, the domain, the locale, its cache):
    a list page's ~250 template strings made that a sixth of its time. Kept on Flask-Babel's
    own request namespace beside the locale it is for, so a language switched in the
    request (`refresh()`) finds the other catalogue."""
    space = g.get("_flask_babel")
    if space is not None:
        kept = space.__dict__.get("office_catalog")
        locale = space.__dict__.get("babel_locale")
        if kept is not None and locale is not None and kept[0] is locale:
            return kept[1]
    translations = get_translations()
    space = g.get("_flask_babel")
    if space is not None:
        space.office_catalog = (space.__dict__.get("babel_locale"), translations)
    return translations


def template_gettext(string: str, **variables) -> str:
    """Flask-Babel's `gettext`, with the catalogue of `_catalog()`."""
    text = _catalog().ugettext(string)
    return text % variables if variables else text


def template_ngettext(singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    return _catalog().ungettext(singular, plural, num) % variables


class RequestCatalogDomain(Domain):
    """Flask-Babel's domain, its strings looked up in `_catalog()`: each of the ~300 labels
    a list page shows is a lazy string (`lazy_gettext`) resolved by the domain, which found
    the catalogue again for each one. Outside a request, Flask-Babel's own lookup."""

    def gettext(self, string, **variables):
        if not g:
            return super().gettext(string, **variables)
        text = _catalog().ugettext(string)
        return text % variables if variables else text

    def ngettext(self, singular, plural, num, **variables):
        if not g:
            return super().ngettext(singular, plural, num, **variables)
        variables.setdefault("num", num)
        return _catalog().ungettext(singular, plural, num) % variables


_WTFORMS_CATALOGS: dict[str, object] = {}


class OfficeRequest(Request):
    """Flask-WTF reads WTForms' own messages ("Not a valid choice") from
    `request.wtforms_translations`, and when it is unset parses the catalogue file again:
    a form's every request. Here it is the catalogue of the request's language, parsed once
    per process (Flask-WTF's assignment, were it to make one, still wins)."""

    @cached_property
    def wtforms_translations(self):
        locale = get_locale()
        key = str(locale)
        if key not in _WTFORMS_CATALOGS:
            _WTFORMS_CATALOGS[key] = support.Translations.load(messages_path(), [locale], domain="wtforms")
        return _WTFORMS_CATALOGS[key]


def install(app) -> None:
    """Replace FAB's locale selector, and its GET /lang/<locale> view with our POST one;
    templates translate through `template_gettext`."""
    app.extensions["babel"].locale_selector = select_locale
    app.request_class = OfficeRequest
    babel = get_babel(app).instance
    babel.domain_instance = RequestCatalogDomain(domain=get_babel(app).default_domain)
    app.jinja_env.install_gettext_callables(gettext=template_gettext, ngettext=template_ngettext, newstyle=True)
    app.after_request(declare_language)
    app.view_functions["LocaleView.index"] = refuse_get
    app.add_url_rule("/lang/", "office_language", switch_locale, methods=["POST"])
    app.add_url_rule("/lang/<locale>", "office_language_of", switch_locale, methods=["POST"])
