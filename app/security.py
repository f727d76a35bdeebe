"""Users and the security manager.

The login `User` gets two columns of ours: the language the user picked (so the
choice follows him to any browser) and an optional link to his Personnel record
(from which his department — and later his data scope — is read).
"""
from __future__ import annotations

from typing import Optional

from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import User
from flask_appbuilder.security.views import UserDBModelView
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship


class OfficeUser(User):
    __tablename__ = "ab_user"

    locale: Mapped[Optional[str]] = mapped_column(String(16), nullable=True)
    personnel_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("personnel.id"), nullable=True, index=True)
    personnel = relationship("Personnel", foreign_keys=[personnel_id])

    @property
    def department(self):
        return self.personnel.department if self.personnel else None


class OfficeUserView(UserDBModelView):
    """FAB's user screen plus the link to a Personnel record and the language."""

    label_columns = {**UserDBModelView.label_columns,
                     "personnel": _l("Personnel record"), "locale": _l("Language")}
    list_columns = ["first_name", "last_name", "username", "email", "active", "roles", "personnel"]
    add_columns = UserDBModelView.add_columns + ["personnel"]
    edit_columns = UserDBModelView.edit_columns + ["personnel"]
    show_fieldsets = [
        (title, {**spec, "fields": spec["fields"] + (["personnel", "locale"] if i == 0 else [])})
        for i, (title, spec) in enumerate(UserDBModelView.show_fieldsets)
    ]


class OfficeSecurityManager(SecurityManager):
    user_model = OfficeUser
    userdbmodelview = OfficeUserView
    # FAB's user statistics chart loads Google Charts from the internet: not here.
    userstatschartview = None
