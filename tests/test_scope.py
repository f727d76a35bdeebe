"""Department scope, and the IDOR sweep: a Clerk of unit X tries every way to reach a
record of unit Y — list, show, edit, delete, bulk action, workflow, export, API — and
gets nothing and changes nothing, for every scoped entity."""
from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import inspect as sa_inspect

import views  # noqa: F401  (registers every entity, so the sweep can be parametrized)
from app.extensions import db
from app.registry.scope import paths_of
from app.registry.spec import REGISTRY
from models.org import Department
from tests.factories import make
from tests.helpers import api_client

SCOPED = sorted((e for e in REGISTRY.values()
                 if e.is_business and not e.admin_only and paths_of(e, REGISTRY)), key=lambda e: e.name)


def _move_to(record, paths, unit, session):
    """Point every department link of `record` along its scope paths at `unit`."""
    for path in paths:
        targets = [record]
        *steps, last = path.split(".")
        for step in steps:
            nxt = []
            for target in targets:
                rel = sa_inspect(type(target)).relationships[step]
                value = getattr(target, step)
                if rel.uselist:
                    nxt += list(value)
                    continue
                if value is None:           # reach the unit through a parent, made if missing
                    value = make(session, rel.mapper.class_)
                    setattr(target, step, value)
                nxt.append(value)
            targets = nxt
        for target in targets:
            setattr(target, last, unit)
    session.flush()


def _foreign_record(app, entity):
    """A record of `entity` that belongs to a unit outside the test users' unit."""
    with app.app_context():
        other = make(db.session, Department, name_zh="外单位", parent_id=None)
        record = make(db.session, entity.model)
        _move_to(record, paths_of(entity, REGISTRY), other, db.session)
        db.session.commit()
        return record.id, record.row_version


def _unchanged(app, entity, pk, version):
    with app.app_context():
        record = db.session.get(entity.model, pk)
        return record is not None and not record.is_deleted and record.row_version == version


@pytest.mark.parametrize("entity", SCOPED, ids=lambda e: e.name)
def test_clerk_cannot_reach_another_units_record(app, as_role, entity):
    pk, version = _foreign_record(app, entity)
    base = f"/{entity.name.lower()}view"
    clerk = as_role("clerk", "en")
    assert clerk.get(f"{base}/show/{pk}").status_code == 404
    assert clerk.get(f"{base}/print/{pk}").status_code == 404
    assert clerk.get(f"{base}/edit/{pk}").status_code in (302, 404)
    clerk.post(f"{base}/edit/{pk}", data={"remark": "越权"})
    clerk.post(f"{base}/delete/{pk}")
    clerk.post(f"{base}/action_post", data={"action": "muldelete", "rowid": [str(pk)]})
    if entity.workflow is not None:
        for t in entity.workflow.transitions:
            clerk.post(f"{base}/transition/{pk}/{t.name}", data={"comment": "越权"})
    assert _unchanged(app, entity, pk, version)
    # the record appears neither in the list nor in its export
    with app.app_context():
        name = str(db.session.get(entity.model, pk))
    listing = clerk.get(f"{base}/list/?_flt_0_id={pk}")
    if listing.status_code == 200 and name:
        assert f"/show/{pk}\"" not in listing.get_data(as_text=True)
    # API
    api, headers = api_client(app, "clerk", "en")
    url = f"/api/v1/{entity.slug}/{pk}"
    assert api.get(url, headers=headers).status_code == 404
    assert api.put(url, json={}, headers=headers).status_code in (403, 404)
    assert api.delete(url, headers=headers).status_code in (403, 404)
    listed = api.get(f"/api/v1/{entity.slug}/", headers=headers,
                     query_string={"q": f'(filters:!((col:id,opr:eq,value:{pk})))'}).json
    assert listed.get("count", 0) == 0
    if entity.workflow is not None:
        name = entity.workflow.transitions[0].name
        assert api.post(f"{url}/transition/{name}", json={}, headers=headers).status_code == 404
    assert _unchanged(app, entity, pk, version)


def test_export_leaves_out_other_units_records(app, as_role):
    from models.supervision import SupervisionItem
    from tests.conftest import TEST_UNIT_CODE
    with app.app_context():
        mine = make(db.session, SupervisionItem, title="范围内事项",
                    lead_department=db.session.query(Department).filter_by(code=TEST_UNIT_CODE).one())
        other = make(db.session, SupervisionItem, title="范围外事项",
                     lead_department=make(db.session, Department, parent_id=None))
        db.session.commit()
        assert mine.id and other.id
    response = as_role("manager").get("/supervisionitemview/export/?_flt_2_title=范围")
    cells = {str(c) for row in CalamineWorkbook.from_filelike(io.BytesIO(response.data))
             .get_sheet_by_index(0).to_python() for c in row}
    assert "范围内事项" in cells and "范围外事项" not in cells
    page = as_role("leader").get("/supervisionitemview/list/?_flt_2_title=范围").get_data(as_text=True)
    assert "范围内事项" in page and "范围外事项" in page      # a Leader sees every unit


def test_a_user_without_a_unit_sees_only_unassigned_and_his_own_records(app):
    from models.supervision import SupervisionItem
    with app.app_context():
        sm = app.appbuilder.sm
        sm.add_user("nounit", "No", "Unit", "nounit@test.xm.gov.cn", [sm.find_role("Clerk")], "Test-Pass-2026!")
        placed = make(db.session, SupervisionItem, lead_department=make(db.session, Department))
        loose = make(db.session, SupervisionItem, lead_department=None)
        db.session.commit()
        placed_id, loose_id = placed.id, loose.id
    client, headers = api_client(app, "nounit")
    assert client.get(f"/api/v1/supervision_item/{placed_id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/supervision_item/{loose_id}", headers=headers).status_code == 200
