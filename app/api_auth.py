"""How the REST API refuses a request without a usable token: 401, in the user's language.

flask-jwt-extended answers a malformed or wrongly signed token with 422 and an English
message ("Not enough segments"), as if the token were a form field to correct. For a
client a bad token, an expired one and a missing one mean the same — sign in (again) —
and HTTP's word for that is 401.
"""
from __future__ import annotations

from flask import jsonify
from flask_babel import gettext


def _unauthorized(message: str):
    response = jsonify(message=message)
    response.status_code = 401
    response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def install(app) -> None:
    jwt = app.appbuilder.sm.jwt_manager
    if jwt is None:
        return

    @jwt.unauthorized_loader
    def _missing(_reason):
        return _unauthorized(gettext("Sign in first: the request carries no access token."))

    @jwt.invalid_token_loader
    def _invalid(_reason):
        return _unauthorized(gettext("The access token is not valid. Sign in again."))

    @jwt.expired_token_loader
    def _expired(_header, _payload):
        return _unauthorized(gettext("The access token has expired. Sign in again."))

    @jwt.needs_fresh_token_loader
    def _stale(_header, _payload):
        return _unauthorized(gettext("The access token has expired. Sign in again."))

    @jwt.token_verification_failed_loader
    def _failed(_header, _payload):
        return _unauthorized(gettext("The access token is not valid. Sign in again."))
