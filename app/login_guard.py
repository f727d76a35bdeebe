"""Guessing a password must not pay: throttled sign-in, and an account that locks.

* Throttle (Flask-Limiter, which FAB already carries): sign-in attempts are counted per
  client address *and* user name, so a whole office behind one NAT address is not shut
  out by one colleague's typos, plus a looser count per address whatever the name, so
  that trying many names from one machine is slowed too.
* Lockout: FAB counts failed sign-ins on the user (`fail_login_count`) and resets the
  count on success, but never acts on it. Here an account with AUTH_LOCKOUT_AFTER
  failures in a row refuses even the right password — for AUTH_LOCKOUT_MINUTES after
  the last failure, then it opens by itself. A lock that lasted until an administrator
  acted would let anyone who knows a user name (the admin's included) shut its owner
  out for good with five wrong guesses; a lock that cools off still makes guessing
  hopeless (five tries per quarter hour). Attempts while locked do not extend the lock.
  An administrator can unlock at once (the *Unlock* action on the user screen, or a new
  password). Failures older than the lock time no longer count towards a lock.
* Every failed sign-in, lockout and unlock goes to the audit log with the client
  address; a lock that ended by itself is logged at the next sign-in attempt.
"""
from __future__ import annotations

import datetime as dt
import math

from flask import current_app, g, redirect, request
from flask_appbuilder import expose
from flask_appbuilder.security.views import AuthDBView
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user

from models.base import now_cn

USER_ENTITY = "User"


def lockout_after() -> int:
    return int(current_app.config.get("AUTH_LOCKOUT_AFTER", 0) or 0)


def lockout_minutes() -> int:
    """0: a lock lasts until an administrator lifts it."""
    return int(current_app.config.get("AUTH_LOCKOUT_MINUTES", 0) or 0)


def locked_until(user) -> dt.datetime | None:
    """When the user's lock ends by itself; None for no end (or no failure time known)."""
    minutes = lockout_minutes()
    if not minutes or user.last_failed_login is None:
        return None
    return user.last_failed_login + dt.timedelta(minutes=minutes)


def _over_limit(user) -> bool:
    limit = lockout_after()
    return bool(limit) and (user.fail_login_count or 0) >= limit


def _failures_stale(user) -> bool:
    """The last failure is older than the lock time. A failure count without a time comes
    from before the lock had a clock (migration 0012): it is stale too."""
    if not lockout_minutes():
        return False
    until = locked_until(user)
    return until is None or until <= now_cn()


def lock_expired(user) -> bool:
    """Locked once, and the lock time has passed since the last failure."""
    return _over_limit(user) and _failures_stale(user)


def is_locked(user) -> bool:
    return _over_limit(user) and not lock_expired(user)


def minutes_left(user) -> int:
    until = locked_until(user)
    return max(1, math.ceil((until - now_cn()).total_seconds() / 60)) if until else 0


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
    sign-in there is no current user, so the name tried is recorded as the actor; acts of
    an administrator (or of the system, for a lock that ended by itself) name their actor."""
    from sqlalchemy import insert

    from app.audit import audit_row
    from app.extensions import db
    from models.audit import AuditLog

    row = audit_row(action, USER_ENTITY, user_id, username, None, detail)
    if not by_admin:
        row["username"] = username
    db.session.execute(insert(AuditLog.__table__), [row])
    db.session.commit()


def describe_audit_codes() -> None:
    """The audit screen's words for the details written here (app/history.py's table)."""
    from app.history import MESSAGES

    MESSAGES.setdefault("lock_expired", lambda p, _e: _("the lock ended by itself after %(n)d minutes",
                                                         n=p.get("minutes", 0)))
    MESSAGES.setdefault("sessions_ended", lambda _p, _e: _("signed out everywhere by an administrator"))


class OfficeAuthDBView(AuthDBView):
    """FAB's sign-in page, saying *why* when the account is locked, and until when; and a
    logout that only a form of the panel can trigger.

    Logout ends the account's sessions everywhere (app/sessions.py), so a GET link would let
    any page on the web (an ``<img src=".../logout/">``) sign a user out of every browser:
    it takes a POST with the CSRF token. A GET (an old bookmark, a typed address) asks."""

    @expose("/logout/", methods=["GET", "POST"])
    def logout(self):
        if request.method == "GET":
            if not current_user.is_authenticated:
                return redirect(self.appbuilder.get_url_for_login)
            return self.render_template("office/logout.html", title=_("Sign out"),
                                        appbuilder=self.appbuilder)
        return super().logout()

    @property
    def invalid_login_message(self):
        minutes = g.get("login_locked")
        if minutes:
            return _("This account is locked after %(n)d failed sign-ins in a row. Try again in %(m)d "
                     "minutes, or ask an administrator to unlock it.", n=lockout_after(), m=minutes)
        if g.get("login_locked") is not None:
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
        if user is not None and user.is_active and lock_expired(user):
            self._lift_expired_lock(user)
        if user is not None and user.is_active and is_locked(user):
            g.login_locked = minutes_left(user)
            # Same work as a real check, so a locked account does not answer faster.
            from werkzeug.security import check_password_hash

            check_password_hash(user.password, password or "")
            audit_sign_in("LOGIN_FAILED", user.username, coded("account_locked"), user.id)
            return None
        result = super().auth_user_db(username, password)
        if result is None and username:
            if user is not None and user.is_active and is_locked(user):
                g.login_locked = minutes_left(user)
                audit_sign_in("LOCKED", user.username, coded("failed_in_a_row", n=user.fail_login_count), user.id)
            else:
                audit_sign_in("LOGIN_FAILED", username[:100], None, user.id if user is not None else None)
        return result

    def update_user_auth_stat(self, user, success=True):
        """Keep the time of the last failure (the lock runs from it); a failure long after
        the previous ones starts a new count."""
        if not success:
            if _failures_stale(user):
                user.fail_login_count = 0
            user.last_failed_login = now_cn()
        return super().update_user_auth_stat(user, success)

    def _lift_expired_lock(self, user) -> None:
        from app.audit import coded

        user.fail_login_count = 0
        user.last_failed_login = None
        self.update_user(user)
        audit_sign_in("UNLOCKED", user.username, coded("lock_expired", minutes=lockout_minutes()), user.id,
                      by_admin=True)

    def unlock_user(self, user) -> None:
        """Clear the failure count (an administrator's act, audited)."""
        was_locked = is_locked(user)
        user.fail_login_count = 0
        user.last_failed_login = None
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
