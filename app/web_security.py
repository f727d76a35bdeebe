"""What every response carries, and what the app believes about the request.

* Security headers on every response: a Content-Security-Policy that lets scripts run
  only from this app and only with the request's nonce (FAB's and flask-admin's templates
  put `csp_nonce()` on each <script>), X-Frame-Options, X-Content-Type-Options and a
  Referrer-Policy. Styles keep 'unsafe-inline': FAB's templates use style attributes,
  which a nonce cannot cover, and a style cannot run code.
* Behind a reverse proxy (TRUSTED_PROXIES > 0) the client's address, scheme and host come
  from the proxy's X-Forwarded-* headers — the throttle and the audit log need the real
  address. Without a trusted proxy those headers are ignored, so a client cannot choose
  its own address.
* The session cookie is Secure whenever the request came over HTTPS.
* A refused form (CSRF), a forbidden page, a throttled sign-in, an unknown address or any
  other HTTP error answers in the user's language, in the panel's layout (JSON under /api/).
  A server error (500) gets a page that needs neither the database nor the user: what
  failed may be exactly those.
"""
from __future__ import annotations

import secrets

from flask import current_app, g, jsonify, render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix


def csp_nonce() -> str:
    """One nonce per request, the same for every script tag of the page."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(16)
    return nonce


def content_security_policy(nonce: str) -> str:
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


class HttpsAwareSessions(SecureCookieSessionInterface):
    """Secure cookie over HTTPS without a setting to forget; SESSION_COOKIE_SECURE forces it."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def _add_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def _refusal(message: str, status: int, title: str | None = None):
    """The refusal in the user's language: JSON for the REST API, a page for the panel."""
    if request.path.startswith("/api/"):
        return jsonify(message=message), status
    from flask_login import current_user

    # The CSRF check runs before FAB's own before_request, which sets g.user for templates.
    if "user" not in g:
        g.user = current_user
    appbuilder = current_app.appbuilder
    return render_template("office/refused.html", message=message, status=status, appbuilder=appbuilder,
                           base_template=appbuilder.base_template, title=title or _("Request refused")), status


def _http_errors() -> dict[int, tuple[str, str]]:
    """What an HTTP error says, by status: (title, message). Any other status reads as a refused request."""
    return {
        400: (_("Request refused"), _("The request could not be understood. Go back and try again.")),
        404: (_("Page not found"), _("There is no page at this address. It may have been mistyped, or the record "
                                     "may have been deleted or be outside your units. Start again from the home "
                                     "page.")),
        405: (_("Request refused"), _("This address cannot be opened this way. Go back and use the page's "
                                      "buttons.")),
        413: (_("Request refused"), _("The file or form sent is too large.")),
    }


def _http_error(error: HTTPException):
    title, message = _http_errors().get(error.code or 400, (None, None))
    if title is None:
        title, message = _("Request refused"), _("The request could not be carried out (error %(code)d). "
                                                 "Go back and try again.", code=error.code or 400)
    return _refusal(message, error.code or 400, title)


def _locale_for_error() -> str:
    """The request's language without failing: the user's saved choice needs the database."""
    from app.i18n import ZH, normalize, select_locale

    try:
        return select_locale()
    except Exception:  # the database (the signed-in user's row) is what failed
        try:
            from flask import session

            return normalize(session.get("locale")) or ZH
        except Exception:
            return ZH


#: The last resort when even the simple page cannot be drawn.
SERVER_ERROR_FALLBACK = ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                         "<title>系统出错 · Server error</title></head><body>"
                         "<h1>系统出错 · Server error</h1>"
                         "<p>系统处理请求时出错，已记录在日志中。请稍后再试。</p>"
                         "<p>The system could not complete the request; the error has been logged. "
                         "Please try again later.</p><p><a href=\"/\">首页 · Home</a></p></body></html>")


def _home_url() -> str:
    try:
        return current_app.appbuilder.get_url_for_index
    except Exception:
        return "/"


def _server_error(_error):
    """A 500 page that reads neither the database nor the signed-in user (either may be
    what failed): the layout's top bar and footer, the message, the way home."""
    locale = _locale_for_error()
    try:
        from app.extensions import db

        db.session.rollback()       # a failed transaction must not poison the next request
    except Exception:
        pass
    if request.path.startswith("/api/"):
        with force_locale(locale):
            return jsonify(message=_("The server could not complete the request. Please try again later.")), 500
    try:
        from app.templating import PRODUCT_NAME

        with force_locale(locale):
            # The bare template, without context processors: those read the user and the menu.
            page = current_app.jinja_env.get_template("office/error_500.html").render(
                html_lang="en" if locale == "en" else "zh-CN", product_name=str(PRODUCT_NAME),
                home_url=_home_url(),
                office_address=_("West Building, Xiamen Municipal Government, 61 North Hubin Road, 361012"),
                title=_("Server error"),
                message=_("The system could not complete the request; the error has been logged. "
                          "Please try again later, or tell the administrator what you were doing."))
    except Exception:
        current_app.logger.exception("the server error page failed")
        page = SERVER_ERROR_FALLBACK
    return page, 500, {"Content-Type": "text/html; charset=utf-8"}


def install(app) -> None:
    proxies = int(app.config.get("TRUSTED_PROXIES", 0) or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_prefix=proxies)
    app.session_interface = HttpsAwareSessions()
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(_add_headers)

    @app.errorhandler(CSRFError)
    def csrf_refused(_error):
        return _refusal(_("The form was refused: it has expired or did not come from this site. "
                          "Go back, reload the page and try again."), 400)

    @app.errorhandler(403)
    def forbidden(_error):
        return _refusal(_("You do not have the right to open this page. Ask an administrator if you need it."), 403)

    @app.errorhandler(429)
    def too_many(_error):
        return _refusal(_("Too many sign-in attempts. Wait a minute, then try again."), 429)

    app.register_error_handler(HTTPException, _http_error)   # 404, 405, … (403 and 429 above win)
    app.register_error_handler(500, _server_error)
