"""Function ownership: the unit that runs a function sees every record of it, over every
scoped entity of the registry; without the ownership row the same record is out of reach
again; and a user's unit is the one on his account, not the one on a record he can edit."""
from __future__ import annotations

from contextlib import contextmanager

import pytest

import views  # noqa: F401  (registers every entity)
from app.extensions import db
from app.registry.scope import paths_of
from app.registry.spec import REGISTRY
from models.org import Department, Personnel
from models.ownership import FunctionOwner
from tests.conftest import TEST_UNIT_CODE
from tests.factories import make
from tests.helpers import api_client
from tests.test_scope import SCOPED, _foreign_record


@contextmanager
def owning(app, function: str):
    """The test users' unit runs `function` for the duration of the block."""
    with app.app_context():
        unit = db.session.query(Department).filter_by(code=TEST_UNIT_CODE).one()
        row = FunctionOwner(function=function, department=unit)
        db.session.add(row)
        db.session.commit()
        pk = row.id
    try:
        yield
    finally:
        with app.app_context():
            db.session.delete(db.session.get(FunctionOwner, pk))
            db.session.commit()


@pytest.mark.parametrize("entity", SCOPED, ids=lambda e: e.name)
def test_the_owning_unit_sees_every_record_of_its_function(app, as_role, entity):
    pk, _version = _foreign_record(app, entity)
    base = f"/{entity.name.lower()}view"
    with owning(app, entity.group):
        clerk = as_role("clerk", "en")
        assert clerk.get(f"{base}/show/{pk}").status_code == 200
        api, headers = api_client(app, "clerk", "en")
        assert api.get(f"/api/v1/{entity.slug}/{pk}", headers=headers).status_code == 200
    # the same record, once the unit no longer runs the function
    assert as_role("clerk", "en").get(f"{base}/show/{pk}").status_code == 404


def test_owning_one_function_opens_no_other(app, as_role):
    from models.hotline import HotlineCase
    from models.supervision import SupervisionItem

    supervision, hotline = REGISTRY[SupervisionItem], REGISTRY[HotlineCase]
    item, _ = _foreign_record(app, supervision)
    case, _ = _foreign_record(app, hotline)
    with owning(app, supervision.group):
        manager = as_role("manager", "en")
        assert manager.get(f"/supervisionitemview/show/{item}").status_code == 200
        assert manager.get(f"/hotlinecaseview/show/{case}").status_code == 404


def test_the_scope_unit_is_on_the_account_not_on_the_personnel_record(app):
    """A Clerk may edit Personnel records, his own included: moving his record to another
    unit must not move what he sees."""
    from models.supervision import SupervisionItem

    with app.app_context():
        sm = app.appbuilder.sm
        other = make(db.session, Department, name_zh="另一单位", parent_id=None)
        item = make(db.session, SupervisionItem, lead_department=other)
        user = sm.find_user(username="clerk")
        person = db.session.get(Personnel, user.personnel_id)
        home = person.department_id
        person.department_id = other.id
        db.session.commit()
        item_id, person_id = item.id, person.id
    try:
        client, headers = api_client(app, "clerk", "en")
        assert client.get(f"/api/v1/supervision_item/{item_id}", headers=headers).status_code == 404
    finally:
        with app.app_context():
            db.session.get(Personnel, person_id).department_id = home
            db.session.commit()


def test_admin_edits_function_owners_in_the_console(app, as_role):
    admin = as_role("admin", "zh")
    page = admin.get("/console/function-owners/")
    assert page.status_code == 200
    assert "职能归口" in page.get_data(as_text=True) or "归口" in page.get_data(as_text=True)
    assert as_role("clerk", "zh").get("/console/function-owners/").status_code in (302, 403)


def test_every_function_of_the_menu_can_be_owned():
    from app.menu import GROUPS
    from models.lookups import CATEGORIES
    from models.ownership import OFFICE_FUNCTION

    codes = {code for code, _zh, _en in CATEGORIES[OFFICE_FUNCTION].codes}
    functions = {e.group for e in REGISTRY.values() if not e.admin_only and paths_of(e, REGISTRY)}
    assert functions <= codes
    assert codes <= {g.key for g in GROUPS}
