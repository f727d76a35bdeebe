"""Self-edit: nothing a Clerk may write widens his own scope. His scope unit is set by an
admin on his account; his own Personnel record, the units, the function owners, roles and
accounts are either refused to him or do not feed his scope. Generated over every link to
a unit he can write, and every entity only admins change (issue 16 item 1)."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect as sa_inspect

import views  # noqa: F401  (registers every entity)
from app.extensions import db
from app.registry.spec import REGISTRY
from models.org import Department, Personnel
from models.supervision import SupervisionItem
from tests.factories import make
from tests.helpers import api_client, version_of
from tests.test_scope import _foreign_record

#: Every (entity, column) that links a record a Clerk may write to a unit.
UNIT_LINKS = sorted(((entity, next(iter(rel.local_columns)).key)
                     for entity in REGISTRY.values()
                     if entity.is_business and not entity.admin_only and not entity.read_only
                     for rel in sa_inspect(entity.model).relationships
                     if rel.direction.name == "MANYTOONE" and rel.mapper.class_ is Department),
                    key=lambda link: (link[0].name, link[1]))
#: What only admins change: configuration tables and the units themselves.
ADMINS_ONLY = sorted((e for e in REGISTRY.values() if e.admin_only or e.admin_edits), key=lambda e: e.name)


def _scope_of_clerk(app):
    """His account's unit, and whether a foreign unit's supervision item reaches him."""
    with app.app_context():
        user = app.appbuilder.sm.find_user("clerk")
        return user.department_id


def _foreign_unit_and_item(app):
    item, _version = _foreign_record(app, REGISTRY[SupervisionItem])
    with app.app_context():
        return db.session.get(SupervisionItem, item).lead_department_id, item


def _columns(record) -> dict:
    return {c.key: getattr(record, c.key) for c in sa_inspect(type(record)).column_attrs}


def _still_out_of_reach(app, item):
    client, headers = api_client(app, "clerk", "en")
    assert client.get(f"/api/v1/supervision_item/{item}", headers=headers).status_code == 404


def test_there_are_unit_links_to_try():
    assert any(e.model is Personnel for e, _c in UNIT_LINKS)


@pytest.mark.parametrize("link", UNIT_LINKS, ids=lambda link: f"{link[0].name}.{link[1]}")
def test_pointing_his_own_record_at_another_unit_widens_nothing(app, link):
    entity, column = link
    unit, item = _foreign_unit_and_item(app)
    before = _scope_of_clerk(app)
    with app.app_context():
        if entity.model is Personnel:            # his own personnel record, the first thing tried
            pk = app.appbuilder.sm.find_user("clerk").personnel_id
        else:
            record = make(db.session, entity.model, created_by="clerk")
            db.session.commit()
            pk = record.id
    client, headers = api_client(app, "clerk", "en")
    client.put(f"/api/v1/{entity.slug}/{pk}", headers=headers,
               json={column: unit, "row_version": version_of(app, entity.model, pk)})
    assert _scope_of_clerk(app) == before
    _still_out_of_reach(app, item)


@pytest.mark.parametrize("entity", ADMINS_ONLY, ids=lambda e: e.name)
def test_a_clerk_cannot_change_what_only_admins_change(app, as_role, entity):
    with app.app_context():
        record = make(db.session, entity.model)
        db.session.commit()
        pk, version, before = record.id, getattr(record, "row_version", 1), _columns(record)
    client, headers = api_client(app, "clerk", "en")
    put = client.put(f"/api/v1/{entity.slug}/{pk}", headers=headers, json={"row_version": version})
    assert put.status_code in (403, 404, 405), entity.name
    web = as_role("clerk", "en")
    edit = web.post(f"/{entity.name.lower()}view/edit/{pk}", data={"row_version": version})
    assert edit.status_code in (302, 403, 404) and "/edit/" not in (edit.location or ""), entity.name
    with app.app_context():
        assert _columns(db.session.get(entity.model, pk)) == before


def test_a_clerk_cannot_move_a_unit_under_his_own(app):
    """`PUT /api/v1/department/22 {"parent_id": <his unit>}` brought unit 22 into his scope."""
    unit, item = _foreign_unit_and_item(app)
    with app.app_context():
        mine = app.appbuilder.sm.find_user("clerk").department_id
    client, headers = api_client(app, "clerk", "en")
    answer = client.put(f"/api/v1/department/{unit}", headers=headers,
                        json={"parent_id": mine, "row_version": version_of(app, Department, unit)})
    assert answer.status_code in (403, 404, 405)
    _still_out_of_reach(app, item)


def test_his_account_screens_do_not_let_him_change_his_unit_or_roles(app, as_role):
    unit, item = _foreign_unit_and_item(app)
    web = as_role("clerk", "en")
    with app.app_context():
        me = app.appbuilder.sm.find_user("clerk")
        pk, before, roles = me.id, me.department_id, sorted(r.name for r in me.roles)
    web.post("/users/userinfoedit/", data={"first_name": "Clerk", "last_name": "Test",
                                          "department": str(unit), "department_id": str(unit)})
    assert web.get(f"/users/edit/{pk}").status_code in (302, 403, 404)
    assert web.get("/roles/list/").status_code in (302, 403, 404)
    with app.app_context():
        me = app.appbuilder.sm.find_user("clerk")
        assert (me.department_id, sorted(r.name for r in me.roles)) == (before, roles)
    _still_out_of_reach(app, item)
