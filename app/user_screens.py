"""FAB's security screens (users, roles, groups) in the reader's language.

* Roles keep their names in the database — permissions, `AUTH_ROLE_ADMIN` and the
  seeding in app/roles.py go by them — and read as a label wherever they are shown:
  the user list, record and profile, the role and group screens, the drop-downs of the
  user and group forms (`Role.__str__`), the console's workflow matrix. A role an
  admin creates reads by its name.
* Names in Chinese characters read without a space between first and last name.
* Values read like the rest of the panel: Yes/No rather than True/False, nothing
  rather than "None", times to the minute.
* The groups screen gets labels (FAB builds them from column names, untranslated).
"""
from __future__ import annotations

import datetime as dt
import re

from flask_appbuilder.security.views import RoleModelView as FabRoleModelView
from flask_appbuilder.security.views import UserGroupModelView as FabUserGroupModelView
from flask_appbuilder.widgets import ListWidget, ShowWidget
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from models.base import current_lang

#: How the seeded roles read. Order: the order the console's workflow matrix shows them.
ROLE_LABELS = {
    "Admin": _l("System administrator"),
    "Leader": _l("Municipal leader"),
    "Manager": _l("Division head"),
    "Clerk": _l("Data-entry clerk"),
    "Viewer": _l("Read-only user"),
    "Public": _l("Visitors not signed in"),
}

#: The languages a user may have saved (app.i18n's locale keys).
LANGUAGE_NAMES = {"zh_Hans_CN": "中文", "en": "English"}


#: Letters of Chinese (and Japanese, Korean) names: such a name is written without a space.
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]")


def full_name(first: str | None, last: str | None) -> str:
    """FAB joins first and last name with a space: right for "Li Ming", wrong for "李明"
    or "文电处录入员" — a name in Chinese characters is written without one."""
    parts = [p.strip() for p in (first or "", last or "") if p and p.strip()]
    if len(parts) == 2 and CJK.search(parts[0][-1]) and CJK.search(parts[1][0]):
        return "".join(parts)
    return " ".join(parts)


def role_label(role) -> str:
    """A role (or a role's name) in the reader's language."""
    name = getattr(role, "name", role)
    label = ROLE_LABELS.get(name)
    return str(label) if label is not None else str(name or "")


def listed(items) -> str:
    """A list in a sentence: 甲、乙 in Chinese, A, B in English."""
    return ("、" if current_lang() == "zh" else ", ").join(str(i) for i in items)


def roles_text(roles) -> str:
    return listed(role_label(role) for role in (roles or []))


def groups_text(groups) -> str:
    return listed(getattr(group, "label", None) or getattr(group, "name", group) for group in (groups or []))


def yes_no(value) -> str:
    if value is None:
        return ""
    return gettext("Yes") if value else gettext("No")


def blank(value):
    return "" if value is None else value


def when(value) -> str:
    if value is None:
        return ""
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else str(value)


def language_name(value) -> str:
    return LANGUAGE_NAMES.get(value or "", value or "")


#: The user screens' columns as the reader sees them (list, record page, profile).
USER_FORMATTERS = {
    "roles": roles_text, "groups": groups_text, "active": yes_no, "last_login": when, "created_on": when,
    "changed_on": when, "login_count": blank, "fail_login_count": blank, "created_by": blank,
    "changed_by": blank, "personnel": blank, "department": blank, "locale": language_name,
}


class RoleModelView(FabRoleModelView):
    """FAB's role screen with the roles' labels. Same class name as FAB's: the name is the
    screen's permission (can_list on RoleModelView) and endpoint, which stay as they were.
    FAB's own role widgets print raw values (no formatters) for the sake of FAB_ROLES'
    built-in roles, which this app does not use: the plain list and record widgets do."""

    list_widget = ListWidget
    show_widget = ShowWidget
    label_columns = {**FabRoleModelView.label_columns, "user": _l("Users"), "groups": _l("Groups")}
    formatters_columns = {"name": role_label, "user": listed, "groups": groups_text, "permissions": listed}


class UserGroupModelView(FabUserGroupModelView):
    """FAB's group screen, labelled (FAB leaves its column labels untranslated); same
    class name as FAB's for the same reason as the role screen."""

    label_columns = {"name": _l("Name"), "label": _l("Label"), "description": _l("Description"),
                     "users": _l("Users"), "roles": _l("Roles")}
    description_columns = {
        "name": _l("A short code for the group"),
        "label": _l("The group's name as users read it"),
        "roles": _l("Every user in the group holds these roles"),
    }
    formatters_columns = {"roles": roles_text, "users": listed}
