"""The five roles of DESIGN.md, seeded from code.

`sync_roles()` writes every permission FAB knows about, then gives each role the
permissions its rule grants. It only adds, and only what is new: a default right is
granted when its permission (or the role) is created, so a right an admin revoked — in
FAB's role screen or the console's workflow matrix — stays revoked at the next start, and
rights an admin granted stay (pass `strict=True` to reset a role to exactly its rule).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask_appbuilder.security.manager import BaseSecurityManager

from app.console.access import CONSOLE
from app.ledgers.spec import PAGE_GROUP, PAGE_NAME
from app.masking import SEE_SENSITIVE
from app.registry.need_to_know import EXPORT_INTERNAL, READ_ALL_INTERNAL
from app.registry.scope import ALL_DEPARTMENTS
from app.registry.spec import REGISTRY
from app.saved_views import SHARE_VIEWS

#: Screens every logged-in user needs: his own profile and password, the API's docs.
SELF_SERVICE = {
    ("can_userinfo", "OfficeUserView"),            # the user screen is ours (app/security.py)
    ("resetmypassword", "OfficeUserView"),
    ("can_this_form_get", "ResetMyPasswordView"),
    ("can_this_form_post", "ResetMyPasswordView"),
    ("menu_access", "Profile"),
    ("can_read", "SwaggerView"),
}


#: Rights not tied to one entity, as (permission, pseudo view), and the roles holding them
#: by default. An admin grants them to other roles in the role screen.
SPECIAL_RIGHTS = {
    ALL_DEPARTMENTS: {"Leader"},      # sees every department's records
    SEE_SENSITIVE: set(),             # reads ID numbers, mobiles, addresses unmasked (audited)
    READ_ALL_INTERNAL: {"Leader"},    # reads every 内部 record whatever its need-to-know list
    EXPORT_INTERNAL: set(),           # exports 内部 records in bulk (Excel, ledgers, the API's list)
    CONSOLE: set(),                   # the configuration console /console (Admin holds every right)
    SHARE_VIEWS: {"Manager"},         # shares a saved view of a list with his unit
}


#: The menu group and page of the ledger reports (app/ledgers), open to the roles that export.
LEDGER_VIEWS = {PAGE_GROUP, PAGE_NAME}


@dataclass(frozen=True)
class RoleRule:
    name: str
    acts: frozenset[str]          # what it may do on business entities
    description: str


ROLES = [
    RoleRule("Leader", frozenset({"read", "export", "approve"}), "市政府领导 — reads all, decides in workflows"),
    RoleRule("Manager", frozenset({"read", "export", "approve"}), "处室负责人 — reads and approves in scope, exports"),
    RoleRule("Clerk", frozenset({"read", "add", "edit", "import"}), "录入员 — registers and edits, never deletes"),
    RoleRule("Viewer", frozenset({"read"}), "只读 — reads in scope"),
]


def _business_views() -> tuple[set[str], set[str]]:
    """(entity permission names, menu names) of entities open to non-admin roles."""
    entities = {e.name for e in REGISTRY.values() if not e.admin_only}
    menus = {e.name for e in REGISTRY.values() if not e.admin_only and e.menu}
    menus |= {e.group for e in REGISTRY.values() if not e.admin_only and e.menu}
    return entities, menus


def _workflow_grants() -> set[tuple[str, str, str]]:
    """(role, permission, entity) for every transition's default roles."""
    out = set()
    for entity in REGISTRY.values():
        if entity.workflow is None or entity.admin_only:
            continue
        for t in entity.workflow.transitions:
            out |= {(role, t.permission, entity.name) for role in t.roles}
    return out


#: What only admins may do on an entity declared `admin_edits` (units). Acts no rule above
#: names (purge, the historical import `import_history`) are Admin's alone by default on
#: every entity; an admin may grant them to another role.
ADMIN_ONLY_ACTS = {"add", "edit", "delete", "import", "purge", "import_history"}


def _admin_edited() -> set[str]:
    return {e.name for e in REGISTRY.values() if e.admin_edits}


def _admin_only_right(pvm, admin_edited: set[str]) -> bool:
    return bool(pvm.view_menu and pvm.permission and pvm.view_menu.name in admin_edited
                and pvm.permission.name.removeprefix("can_") in ADMIN_ONLY_ACTS)


def rule_grants(rule: RoleRule) -> Callable[[str, str], bool]:
    entities, menus = _business_views()
    transitions = _workflow_grants()
    admin_edited = _admin_edited()

    def grants(permission: str, view: str) -> bool:
        if (permission, view) in SELF_SERVICE:
            return True
        if view in LEDGER_VIEWS:                # the ledger reports page: whoever exports
            return "export" in rule.acts and permission in ("menu_access", "can_export")
        if permission == "menu_access":
            return view in menus
        if permission.startswith("wf_"):
            return (rule.name, permission, view) in transitions
        if (permission, view) in SPECIAL_RIGHTS:
            return rule.name in SPECIAL_RIGHTS[(permission, view)]
        act = permission.removeprefix("can_")
        if view in admin_edited and act in ADMIN_ONLY_ACTS:
            return False
        return view in entities and act in rule.acts
    return grants


def _wanted_rights(appbuilder) -> set[tuple[str, str]]:
    """(permission, view) of every right FAB's `add_permissions` makes: each view's
    permissions under its permission name, `menu_access` on each menu entry."""
    wanted = {(permission, view.class_permission_name) for view in appbuilder.baseviews
              for permission in view.base_permissions or ()}
    views = {name for _permission, name in wanted}
    menus = set()
    for category in appbuilder.menu.get_list() if appbuilder.menu is not None else ():
        menus.add(category.name)
        menus.update(item.name for item in category.childs if item.name != "-")
    # A menu entry named as a view (Meeting) is left to FAB's menu step, after the views: made
    # before, FAB's view step takes its menu_access for a right the view lost and tries to drop it.
    return wanted | {("menu_access", name) for name in menus - views}


def _create_rights(appbuilder) -> None:
    """Write the rights FAB would make, missing ones only, in one commit, each granted to
    Admin. FAB makes each one with three commits of its own and its queries around them:
    ~800 rights were most of init-office, and of every test session's start. FAB's
    `add_permissions` still runs after this, to find what is left and drop rights of views
    that are gone; it finds everything made."""
    sm = appbuilder.sm
    session = sm.session()
    wanted = _wanted_rights(appbuilder)
    permissions = {p.name: p for p in session.query(sm.permission_model)}
    views = {v.name: v for v in session.query(sm.viewmenu_model)}
    have = {(pv.permission.name, pv.view_menu.name) for pv in session.query(sm.permissionview_model)
            if pv.permission is not None and pv.view_menu is not None}
    missing = sorted(wanted - have)
    if not missing:
        return
    admin = sm.find_role(current_app.config["AUTH_ROLE_ADMIN"])
    for permission_name, view_name in missing:
        permission = permissions.get(permission_name)
        if permission is None:
            permission = permissions[permission_name] = sm.permission_model(name=permission_name)
            session.add(permission)
        view = views.get(view_name)
        if view is None:
            view = views[view_name] = sm.viewmenu_model(name=view_name)
            session.add(view)
        pv = sm.permissionview_model(permission=permission, view_menu=view)
        session.add(pv)
        if admin is not None:
            admin.permissions.append(pv)
    session.commit()


def sync_roles(strict: bool = False) -> dict[str, int]:
    """Create permissions and roles; returns how many permissions each role holds."""
    appbuilder = current_app.appbuilder
    sm = appbuilder.sm
    known = {pvm.id for pvm in sm.session.query(sm.permissionview_model)}   # before anything is created
    # FAB's own role set-up (Admin, Public), skipped at start-up since FAB_CREATE_DB=False
    BaseSecurityManager.create_db(sm)
    # FAB commits each of its ~800 new rights, and every commit expired the Admin role's
    # grown collection, reloaded for the next one: 25 s of init-office (and of each test
    # session's start). Nothing else writes these rows meanwhile, so nothing needs expiring.
    session = sm.session()
    expiring, session.expire_on_commit = session.expire_on_commit, False
    try:
        _create_rights(appbuilder)
        appbuilder.add_permissions(update_perms=True)
    finally:
        session.expire_on_commit = expiring
    for permission, view in SPECIAL_RIGHTS:
        sm.add_permission_view_menu(permission, view)
    pvms = sm.session.query(sm.permissionview_model).all()

    held: dict[str, set[int]] = {}   # by role name: id() of a collected role object gets reused

    def grant(role, pvm) -> None:
        """FAB's add_permission_role commits each grant: 2,800 commits made init-office take 25 s."""
        ids = held.setdefault(role.name, {p.id for p in role.permissions})
        if pvm.id not in ids:
            role.permissions.append(pvm)
            ids.add(pvm.id)

    admin_edited = _admin_edited()
    admin = sm.find_role(current_app.config["AUTH_ROLE_ADMIN"])
    for pvm in pvms:
        grant(admin, pvm)
    counts = {admin.name: len(admin.permissions)}
    for rule in ROLES:
        role = sm.find_role(rule.name)
        fresh = role is None
        role = role or sm.add_role(rule.name)
        grants = rule_grants(rule)
        wanted = [p for p in pvms if p.permission and p.view_menu and grants(p.permission.name, p.view_menu.name)]
        if strict:
            wanted_ids = {pvm.id for pvm in wanted}
            role.permissions = [pvm for pvm in role.permissions if pvm.id in wanted_ids]
        for pvm in wanted:
            if strict or fresh or pvm.id not in known:
                grant(role, pvm)
        # not a default an admin may widen: units, roles and rights are changed by admins only
        role.permissions = [pvm for pvm in role.permissions if not _admin_only_right(pvm, admin_edited)]
        counts[rule.name] = len(role.permissions)
    sm.session.commit()
    return counts
