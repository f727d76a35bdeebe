"""Guessing a password must not pay: throttled sign-in, and an account that locks.

* Throttle (Flask-Limiter, which FAB already carries): sign-in attempts are counted per
  client address *and* user name, so a whole office behind one NAT address is not shut
  out by one colleague's typos, plus a looser count per address whatever the name, so
  that trying many names from one machine is slowed too.
* Lockout: FAB counts failed sign-ins on the user (`fail_login_count`) and resets the
  count on success, but never acts on it. Here an account with AUTH_LOCKOUT_AFTER
  failures in a row refuses even the right password until an administrator unlocks it
  (the *Unlock* action on the user screen, or setting a new password).
* Every failed sign-in, lockout and unlock goes to the audit log with the client address.
"""
from __future__ import annotations

from flask import current_app, g, request
from flask_appbuilder.security.views import AuthDBView
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address

USER_ENTITY = "User"


def lockout_after() -> int:
    return int(current_app.config.get("AUTH_LOCKOUT_AFTER", 0) or 0)


def is_locked(user) -> bool:
    limit = lockout_after()
    return bool(limit) and (user.fail_login_count or 0) >= limit


def throttle_key() -> str:
    """Address and the name being tried: the sign-in form's, or the API login's JSON body's."""
    name = ""
    if request.method == "POST":
        body = request.get_json(silent=True) if request.is_json else None
        name = (body.get("username") if isinstance(body, dict) else None) or request.form.get("username") or ""
    return f"{get_remote_address()}|{str(name).strip().lower()}"


def audit_sign_in(action: str, username: str, detail: str | None = None, user_id: int | None = None,
                  *, by_admin: bool = False) -> None:
    """Written in its own short transaction: a refused sign-in has no other commit. Before
    sign-in there is no current user, so the name tried is recorded as the actor."""
    from sqlalchemy import insert

    from app.audit import audit_row
    from app.extensions import db
    from models.audit import AuditLog

    row = audit_row(action, USER_ENTITY, user_id, username, None, detail)
    if not by_admin:
        row["username"] = username
    db.session.execute(insert(AuditLog.__table__), [row])
    db.session.commit()


class OfficeAuthDBView(AuthDBView):
    """FAB's sign-in page, saying *why* when the account is locked."""

    @property
    def invalid_login_message(self):
        if g.get("login_locked"):
            return _("This account is locked after %(n)d failed sign-ins in a row. "
                     "Ask an administrator to unlock it.", n=lockout_after())
        return _l("Invalid login. Please try again.")


class LockoutMixin:
    """Security-manager methods; mixed into OfficeSecurityManager."""

    def auth_user_db(self, username, password):
        from app.audit import coded

        user = self.find_user(username=username) if username else None
        if user is None and username:
            user = self.find_user(email=username)
        if user is not None and user.is_active and is_locked(user):
            g.login_locked = True
            # Same work as a real check, so a locked account does not answer faster.
            from werkzeug.security import check_password_hash

            check_password_hash(user.password, password or "")
            audit_sign_in("LOGIN_FAILED", user.username, coded("account_locked"), user.id)
            return None
        result = super().auth_user_db(username, password)
        if result is None and username:
            if user is not None and user.is_active and is_locked(user):
                g.login_locked = True
                audit_sign_in("LOCKED", user.username, coded("failed_in_a_row", n=user.fail_login_count), user.id)
            else:
                audit_sign_in("LOGIN_FAILED", username[:100], None, user.id if user is not None else None)
        return result

    def unlock_user(self, user) -> None:
        """Clear the failure count (an administrator's act, audited)."""
        was_locked = is_locked(user)
        user.fail_login_count = 0
        self.update_user(user)
        if was_locked:
            audit_sign_in("UNLOCKED", user.username, None, user.id, by_admin=True)

    def reset_password(self, userid, password):
        """A new password set by an administrator also unlocks the account."""
        result = super().reset_password(userid, password)
        user = self.get_user_by_id(userid)
        if user is not None and user.fail_login_count:
            self.unlock_user(user)
        return result


def install_throttle(security_manager) -> None:
    """The per-address limit beside FAB's own per-(address, name) one on the sign-in page, and
    both on the REST API's login (FAB leaves it unthrottled, and it takes no CSRF token)."""
    app = current_app
    if not app.config.get("AUTH_RATE_LIMITED"):
        return
    limiter = security_manager.limiter
    per_address = app.config["LOGIN_ADDRESS_RATE_LIMIT"]
    limiter.limit(per_address, key_func=get_remote_address, methods=["POST"])(security_manager.auth_view.blueprint)
    api = next(view for view in security_manager.appbuilder.baseviews
               if isinstance(view, security_manager.security_api))
    limiter.limit(app.config["AUTH_RATE_LIMIT"], methods=["POST"])(api.blueprint)
    limiter.limit(per_address, key_func=get_remote_address, methods=["POST"])(api.blueprint)
