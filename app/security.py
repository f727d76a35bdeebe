"""Users and the security manager.

The login `User` gets columns of ours: the language the user picked (so the choice
follows him to any browser), the unit his data scope comes from (set by an admin on the
account), an optional link to his Personnel record (his staff file; it does not decide
what he sees, since a Clerk may edit Personnel records), the counter that ends his
sessions (app/sessions.py) and the time of his last failed sign-in (the lockout's clock,
app/login_guard.py).
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from flask import flash, g, has_request_context, redirect
from flask_appbuilder.actions import action
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import (
    Permission,
    PermissionView,
    Role,
    User,
    ViewMenu,
    assoc_permissionview_role,
)
from flask_appbuilder.security.views import UserDBModelView
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from app import sessions
from app.login_guard import (
    LockoutMixin,
    OfficeAuthDBView,
    audit_sign_in,
    describe_audit_codes,
    install_throttle,
    is_locked,
    locked_until,
)
from app.password_screens import ADD_FORM_PASSWORD_FIELDS, ResetMyPasswordView, ResetPasswordView
from app.seams import SecuritySeams
from app.sessions import SessionRevocationMixin
from app.user_screens import USER_FORMATTERS, RoleModelView, UserGroupModelView, full_name
from models.cache_stamps import SharedCache


class OfficeUser(User):
    __tablename__ = "ab_user"

    locale: Mapped[Optional[str]] = mapped_column(String(16), nullable=True)
    personnel_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("personnel.id"), nullable=True, index=True)
    personnel = relationship("Personnel", foreign_keys=[personnel_id])
    #: The unit the user's data scope comes from (app/registry/scope.py). On the account,
    #: which only an admin edits — never read from a record the user could edit himself.
    department_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("department.id"), nullable=True, index=True)
    department = relationship("Department", foreign_keys=[department_id])
    #: Raised by logout, a new password, deactivation and "End sessions": every session and
    #: token signed with an older value is refused (app/sessions.py).
    session_epoch: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    #: The lockout runs AUTH_LOCKOUT_MINUTES from here (app/login_guard.py).
    last_failed_login: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, nullable=True)

    def get_full_name(self) -> str:
        """FAB joins first and last name with a space: right for "Li Ming", wrong for
        "李明" or "文电处录入员" — a name in Chinese characters is written without one."""
        return full_name(self.first_name, self.last_name)

    def locked(self) -> str:
        """For the user list: a locked account says so (and until when), an open one says nothing."""
        if not is_locked(self):
            return ""
        until = locked_until(self)
        return _("Locked until %(time)s", time=until.strftime("%H:%M")) if until else _("Locked")


sessions.watch(OfficeUser)


class OfficeUserView(UserDBModelView):
    """FAB's user screen plus the link to a Personnel record and the language."""

    label_columns = {**UserDBModelView.label_columns, "personnel": _l("Personnel record"),
                     "department": _l("Unit (data scope)"),
                     "locale": _l("Language"), "locked": _l("Sign-in locked")}
    description_columns = {**UserDBModelView.description_columns, "department": _l(
        "The user sees the records of this unit and the units under it, and every record of the functions "
        "it runs (Configuration console → Function owners)")}
    list_columns = ["first_name", "last_name", "username", "email", "active", "locked", "roles", "department"]
    formatters_columns = USER_FORMATTERS      # role labels, Yes/No, nothing for "None" (app/user_screens.py)
    add_form_extra_fields = ADD_FORM_PASSWORD_FIELDS     # the policy knows whose password it is
    add_columns = UserDBModelView.add_columns + ["department", "personnel"]
    edit_columns = UserDBModelView.edit_columns + ["department", "personnel"]
    show_fieldsets = [
        (title, {**spec, "fields": spec["fields"] + (["department", "personnel", "locale"] if i == 0 else [])})
        for i, (title, spec) in enumerate(UserDBModelView.show_fieldsets)
    ]

    @action("unlock", _l("Unlock sign-in"), _l("Unlock the selected accounts?"), "fa-unlock", multiple=True)
    def unlock(self, items):
        """After AUTH_LOCKOUT_AFTER failed sign-ins an account waits for this (or a new password)."""
        items = items if isinstance(items, list) else [items]
        sm = self.appbuilder.sm
        locked = [user for user in items if is_locked(user)]
        for user in locked:
            sm.unlock_user(user)
        if locked:
            flash(_("Unlocked: %(names)s", names=", ".join(user.username for user in locked)), "success")
        else:
            flash(_("None of the selected accounts was locked."), "info")
        self.update_redirect()
        return redirect(self.get_redirect())

    @action("end_sessions", _l("End sessions"), _l("Sign the selected users out everywhere (browsers and API "
                                                     "tokens)?"), "fa-sign-out", multiple=True)
    def end_sessions(self, items):
        """For a lost laptop or a colleague who left a desk signed in: out everywhere, now."""
        from app.audit import coded

        items = items if isinstance(items, list) else [items]
        for user in items:
            self.appbuilder.sm.end_sessions(user)
            audit_sign_in("UPDATE", user.username, coded("sessions_ended"), user.id, by_admin=True)
        flash(_("Signed out everywhere: %(names)s", names=", ".join(user.username for user in items)), "success")
        self.update_redirect()
        return redirect(self.get_redirect())


def _rights_by_role(session) -> dict[int, frozenset[tuple[str, str]]]:
    """{role id: its (permission, view) pairs}: ~800 pairs for the Admin, read in one query."""
    rows = session.execute(
        select(assoc_permissionview_role.c.role_id, Permission.name, ViewMenu.name)
        .select_from(assoc_permissionview_role)
        .join(PermissionView, PermissionView.id == assoc_permissionview_role.c.permission_view_id)
        .join(Permission, Permission.id == PermissionView.permission_id)
        .join(ViewMenu, ViewMenu.id == PermissionView.view_menu_id))
    by_role: dict[int, set[tuple[str, str]]] = {}
    for role_id, permission, view in rows:
        by_role.setdefault(role_id, set()).add((permission, view))
    return {role_id: frozenset(rights) for role_id, rights in by_role.items()}


#: Every role's rights, kept by each process until a role, a right or a grant is written
#: anywhere (the console's matrix, FAB's role screens, init-office): read per request they
#: were a tenth of a list page.
RIGHTS = SharedCache("rights", Role, _rights_by_role, also=(PermissionView, Permission, ViewMenu),
                     tables=(assoc_permissionview_role.name,))


def _signed_in() -> tuple:
    """The request's signed-in user objects (session, JWT, API key), by identity."""
    return id(g.get("_login_user")), id(g.get("_jwt_extended_jwt_user")), g.get("_api_key_user", False)


class OfficeSecurityManager(SessionRevocationMixin, LockoutMixin, SecuritySeams, SecurityManager):
    user_model = OfficeUser
    userdbmodelview = OfficeUserView
    rolemodelview = RoleModelView              # roles and groups read in the user's language
    groupmodelview = UserGroupModelView
    authdbview = OfficeAuthDBView
    resetmypasswordview = ResetMyPasswordView  # asks for the current password
    resetpasswordview = ResetPasswordView
    # FAB's user statistics chart loads Google Charts from the internet: not here.
    userstatschartview = None

    def register_views(self):
        super().register_views()
        install_throttle(self)
        describe_audit_codes()

    def get_user_by_id(self, pk):
        """The user with his roles and groups in one query: every request loads him, and
        FAB's lazy loads made it three round trips before the page began."""
        return self.session.get(self.user_model, pk,
                                options=[joinedload(self.user_model.roles), joinedload(self.user_model.groups)])

    def has_access(self, permission_name: str, view_name: str) -> bool:
        """FAB finds the request's user again through three proxies for each of the ~80
        questions a list page asks (every menu entry and button). The user its first
        answer checked (`view_access` notes him) answers the rest of the request's
        questions from his set of rights; a sign-in or sign-out within the request — other
        user objects in `g` — asks FAB again."""
        if not has_request_context() or self.builtin_roles:
            return super().has_access(permission_name, view_name)
        known = g.get("_office_access_user")
        if known is not None and known[0] == _signed_in():
            return self.view_access(known[1], permission_name, view_name)
        g._office_checked_user = None
        answer = super().has_access(permission_name, view_name)
        user = g.pop("_office_checked_user", None)
        if user is not None:
            g._office_access_user = (_signed_in(), user)
        return answer

    def view_access(self, user, permission_name: str, view_name: str) -> bool:
        """FAB asks the database once per check, and a page makes dozens (every menu
        entry, every button): the rights of every role are kept by the process while
        no role or grant changes (`RIGHTS`); a user's roles, and so his set, once per request."""
        if not has_request_context() or self.builtin_roles:
            return super().view_access(user, permission_name, view_name)
        if "_office_checked_user" in g:
            g._office_checked_user = user
        return (permission_name, view_name) in self.rights_of(user)

    def rights_by_role(self) -> dict[int, frozenset]:
        """{role id: its (permission, view) pairs}, as kept per process (`RIGHTS`)."""
        return RIGHTS.get(self.session)

    def rights_of(self, user) -> frozenset:
        """The user's (permission, view) pairs, gathered once per request from his roles'."""
        cache = g.setdefault("_office_rights", {})
        rights = cache.get(user.id)
        if rights is None:
            by_role = RIGHTS.get(self.session)
            rights = cache[user.id] = frozenset().union(
                *(by_role.get(role.id, ()) for role in self.get_user_roles(user)))
        return rights
