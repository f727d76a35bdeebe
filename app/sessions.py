"""Server-side session revocation: a signed cookie or token alone is not enough.

Sessions are signed cookies and API tokens are signed JWTs (DESIGN: nothing kept in
process memory), so without help a cookie copied before a logout, or a token issued
before a password change, stays valid until it expires. Each account therefore has a
counter, `session_epoch` (a column of `ab_user`). Every web session (Flask session key
`_epoch`) and every JWT, access and refresh (claim `epoch`), carries the value it saw at
sign-in; a request whose value is not the account's current one is treated as signed
out — the web answers with the sign-in page and a message, the API with 401.

The counter goes up, ending every session and token of the account at once, on:
logout (so the cookie that was used is dead even if replayed), a new password (own or
set by an administrator; the session that changed its own password stays signed in),
deactivation, and an administrator's *End sessions* on the user list. Password and
deactivation are caught on the model (`watch`), whatever path changes them: the
screens, `flask create-admin`, the API.

Cost: none extra. Flask-Login and flask-jwt-extended already load the user once per
request by primary key; the check compares a column of that same row.
"""
from __future__ import annotations

from flask import current_app, g, has_request_context, jsonify, request, session
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import user_logged_in
from sqlalchemy import event, inspect

EPOCH_KEY = "_epoch"        # in the Flask session
CLAIM = "epoch"             # in every JWT
#: What Flask-Login keeps in the session for a signed-in user (as its logout_user pops them).
LOGIN_KEYS = ("_user_id", "_fresh", "_id", EPOCH_KEY)


def watch(user_model) -> None:
    """Raise the counter whenever a password changes or an account is deactivated."""
    event.listen(user_model, "before_update", _bump_on_change)


def _bump_on_change(_mapper, _connection, user) -> None:
    state = inspect(user)
    password_changed = state.attrs.password.history.has_changes()
    deactivated = state.attrs.active.history.has_changes() and not user.active
    if password_changed or deactivated:
        # In SQL, so two changes at the same moment both count.
        user.session_epoch = type(user).session_epoch + 1


def _remember_epoch(_app, user=None, **_extra) -> None:
    """Flask-Login's signal on every sign-in: the session carries the account's counter."""
    if user is not None:
        session[EPOCH_KEY] = user.session_epoch


def _language_of(user) -> str:
    """The user's language without asking the locale selector, which would load the user
    again (we are inside that load)."""
    from app.i18n import normalize

    best = request.accept_languages.best_match(["zh", "zh-CN", "en", "en-US"])
    return (normalize(getattr(user, "locale", None)) or normalize(session.get("locale")) or normalize(best)
            or current_app.config["BABEL_DEFAULT_LOCALE"])


def _sign_out_this_request(user) -> None:
    for key in LOGIN_KEYS:
        session.pop(key, None)
    from flask import flash

    with force_locale(_language_of(user)):
        flash(_("Your session has ended: you signed out, your password was changed, or an administrator "
                "ended your sessions. Please sign in again."), "warning")
    g._office_session_ended = True


def _one_message_for_an_ended_session(response):
    """The page the ended session asked for then refuses it as to anyone signed out, and
    FAB adds "Access is Denied" under our message: the user reads one message, the one that
    says why (after_request)."""
    if g.get("_office_session_ended") and "_flashes" in session:
        from flask_appbuilder.const import FLAMSG_ERR_SEC_ACCESS_DENIED

        denied = {str(FLAMSG_ERR_SEC_ACCESS_DENIED)}
        for locale in current_app.config.get("LANGUAGES", {}):
            with force_locale(locale):
                denied.add(str(FLAMSG_ERR_SEC_ACCESS_DENIED))
        session["_flashes"] = [(category, message) for category, message in session["_flashes"]
                               if str(message) not in denied]
    return response


def _token_refused(_jwt_header, _jwt_data):
    """A token of a signed-out session (or of an account gone or deactivated)."""
    return jsonify(message=_("This token is no longer valid: the session has ended. Sign in again.")), 401


class SessionRevocationMixin:
    """Security-manager methods; mixed into OfficeSecurityManager."""

    def create_login_manager(self, app):
        manager = super().create_login_manager(app)
        app.after_request(_one_message_for_an_ended_session)
        # FAB passes `current_app`, a proxy: the signal's sender is the app behind it.
        user_logged_in.connect(_remember_epoch, getattr(app, "_get_current_object", lambda: app)())
        return manager

    def create_jwt_manager(self, app):
        manager = super().create_jwt_manager(app)
        manager.additional_claims_loader(self._token_claims)
        manager.user_lookup_error_loader(_token_refused)
        return manager

    def _token_claims(self, identity) -> dict:
        """At API sign-in and refresh: the account's counter goes into the token."""
        user = self.get_user_by_id(int(identity))
        return {CLAIM: user.session_epoch} if user is not None else {}

    def load_user(self, pk):
        """Flask-Login's per-request load: a cookie of an ended session signs nobody in."""
        user = super().load_user(pk)
        if user is None or not has_request_context():
            return user
        if session.get(EPOCH_KEY) != user.session_epoch:
            _sign_out_this_request(user)
            return None
        return user

    def load_user_jwt(self, _jwt_header, jwt_data):
        """flask-jwt-extended's per-request load: same rule for access and refresh tokens."""
        user = self.get_user_by_id(int(jwt_data["sub"]))
        if user is None or not user.is_active or jwt_data.get(CLAIM) != user.session_epoch:
            return None
        g.user = user
        return user

    def on_user_logout(self, user) -> None:
        """Logout ends the account's sessions everywhere, this cookie included: a copy of
        it taken before the logout signs nobody in afterwards."""
        super().on_user_logout(user)
        self.end_sessions(user)
        session.pop(EPOCH_KEY, None)

    def end_sessions(self, user) -> None:
        """Sign the account out everywhere: every browser, every API token."""
        user.session_epoch = type(user).session_epoch + 1
        self.session.commit()

    def reset_password(self, userid, password):
        """A new password ends the account's sessions (`watch`); the one that set its own
        password goes on, with the new counter, rather than being thrown out mid-step."""
        result = super().reset_password(userid, password)
        if has_request_context() and _is_this_session(userid):
            user = self.get_user_by_id(int(userid))
            session[EPOCH_KEY] = user.session_epoch
        return result


def _is_this_session(user_id) -> bool:
    """Is the web session of this request the account's own? (Not a bearer token.)"""
    return session.get("_user_id") is not None and str(session.get("_user_id")) == str(user_id)
