"""Which roles may fire which workflow transition: a matrix per entity.

A tick is FAB's permission `wf_<transition>` on the entity (app/workflow/spec.py) held by
the role — the very permission the workflow engine asks `sm.has_access` about, so a save
applies to the next request. Each role whose rights changed gets one audit entry
(granted / revoked). `flask sync-roles` grants a default only when its permission is new,
so a revocation made here survives restarts (app/roles.py).
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.audit import coded, record_act
from app.console.base import ConsoleView, joined
from app.menu import BY_KEY
from app.registry.permissions import EntityRight, granted_per_role
from app.registry.spec import REGISTRY, Entity
from app.user_screens import ROLE_LABELS, role_label
from app.workflow.engine import state_label
from app.workflow.spec import Transition


def workflow_entities() -> list[Entity]:
    """Entities with a workflow that non-admin roles work with, in menu order."""
    entities = [e for e in REGISTRY.values() if e.workflow is not None and not e.admin_only]
    return sorted(entities, key=lambda e: (BY_KEY[e.group].number if e.group in BY_KEY else 99, str(e.title)))


def matrix_roles() -> list:
    """Every role but Admin (who may do everything) and Public (nobody logged in)."""
    sm = current_app.appbuilder.sm
    skip = {current_app.config["AUTH_ROLE_ADMIN"], current_app.config["AUTH_ROLE_PUBLIC"]}
    roles = [r for r in sm.get_all_roles() if r.name not in skip]
    order = list(ROLE_LABELS)
    return sorted(roles, key=lambda r: (order.index(r.name) if r.name in order else len(order), r.name))


def _permission(entity: Entity, transition: Transition | EntityRight):
    sm = current_app.appbuilder.sm
    return (sm.find_permission_view_menu(transition.permission, entity.name)
            or sm.add_permission_view_menu(transition.permission, entity.name))


def held(entity: Entity, roles) -> set[tuple[int, str]]:
    """(role id, transition or right name) of every tick."""
    names = {t.permission: t.name for t in granted_per_role(entity)}
    out = set()
    for role in roles:
        for pvm in role.permissions:
            if pvm.view_menu and pvm.view_menu.name == entity.name and pvm.permission.name in names:
                out.add((role.id, names[pvm.permission.name]))
    return out


def save(entity: Entity, roles, ticked: set[tuple[int, str]], session) -> list[str]:
    """Grant and revoke so that the roles hold exactly `ticked`; one audit entry per role
    changed. Returns a line per role changed."""
    lines = []
    for role in roles:
        granted, revoked = [], []
        for t in granted_per_role(entity):
            pvm = _permission(entity, t)
            want, has = (role.id, t.name) in ticked, pvm in role.permissions
            if want and not has:
                role.permissions.append(pvm)
                granted.append(t)
            elif has and not want:
                role.permissions.remove(pvm)
                revoked.append(t)
        if granted or revoked:
            line = gettext("%(role)s on %(entity)s: granted %(granted)s; revoked %(revoked)s",
                           role=role_label(role), entity=entity.title, granted=_names(granted),
                           revoked=_names(revoked))
            record_act(session, "UPDATE", "Role", record_id=role.id, record_name=role.name,
                       detail=coded("role_rights", role=role.name, entity=entity.name,
                                    granted=[t.name for t in granted], revoked=[t.name for t in revoked]))
            lines.append(line)
    session.commit()
    return lines


def _names(transitions: list[Transition | EntityRight]) -> str:
    return joined(f"{t.label} ({t.permission})" for t in transitions) or "—"


class WorkflowMatrixView(ConsoleView):
    intro = _l("Tick who may take each step. Administrators may take every step. A change applies to the next "
               "request and is written to the audit log; restarting the system does not undo it.")

    @expose("/", methods=["GET", "POST"])
    def index(self):
        entities = workflow_entities()
        name = request.values.get("entity") or entities[0].name
        entity = next((e for e in entities if e.name == name), None)
        if entity is None:
            abort(404)
        session = current_app.appbuilder.sm.session
        roles = matrix_roles()
        if request.method == "POST":
            ticked = {_tick(value) for value in request.form.getlist("grant")}
            lines = save(entity, roles, ticked - {None}, session)
            for line in lines:
                flash(line, "success")
            if not lines:
                flash(gettext("Nothing changed."), "info")
            return redirect(url_for(".index", entity=entity.name))
        rows = [(t, [state_label(entity, s) for s in t.source],
                 state_label(entity, t.target) if t.target is not None else gettext("(stays in its state)"))
                for t in entity.workflow.transitions]
        rows += [(right, ["—"], gettext("The state each row of the file states"))
                 for right in granted_per_role(entity) if isinstance(right, EntityRight)]
        return self.render("console/workflow.html", entities=entities, entity=entity, roles=roles, rows=rows,
                           held=held(entity, roles), role_label=role_label)


def _tick(value: str):
    """'<role id>:<transition>' → (role id, transition)."""
    role_id, _, transition = value.partition(":")
    return (int(role_id), transition) if role_id.isdigit() and transition else None
