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
* A refused form (CSRF), a forbidden page or a throttled sign-in answers in the user's language.
"""
from __future__ import annotations

import secrets

from flask import current_app, g, jsonify, render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
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


def _refusal(message: str, status: int):
    """The refusal in the user's language: JSON for the REST API, a page for the panel."""
    if request.path.startswith("/api/"):
        return jsonify(message=message), status
    from flask_login import current_user

    # The CSRF check runs before FAB's own before_request, which sets g.user for templates.
    if "user" not in g:
        g.user = current_user
    appbuilder = current_app.appbuilder
    return render_template("office/refused.html", message=message, status=status, appbuilder=appbuilder,
                           base_template=appbuilder.base_template, title=_("Request refused")), status


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
