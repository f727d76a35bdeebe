"""The print view of every record page (app/screens/print_screens.py): each registered entity's
record prints on a sheet without menus, in the user's language, within his scope, masked as on
the page, marked with its secrecy level; each print is in the audit log.

Generated over the registry: an entity registered later prints without a line here."""
from __future__ import annotations

import html

import pytest

import views  # noqa: F401  (registers every entity)
from app.extensions import db
from app.registry.spec import REGISTRY
from models.audit import AuditLog
from models.documents import Document
from models.org import Personnel
from tests.conftest import login
from tests.factories import make
from tests.test_scope import _foreign_record

ENTITIES = sorted(REGISTRY.values(), key=lambda e: e.name)


@pytest.fixture(scope="module")
def admin(app):
    return login(app.test_client(), "admin", lang="zh")


def _printed(app, entity_name: str, pk: int) -> list[AuditLog]:
    with app.app_context():
        rows = (db.session.query(AuditLog).filter(AuditLog.entity == entity_name, AuditLog.record_id == pk,
                                                  AuditLog.action == "EXPORT").all())
        db.session.expunge_all()
        return [row for row in rows if '"print"' in (row.detail or "")]


@pytest.mark.parametrize("entity", ENTITIES, ids=lambda e: e.name)
def test_every_record_prints_on_a_sheet_without_menus_and_the_print_is_audited(app, admin, entity):
    with app.app_context():
        record = make(db.session, entity.model)
        db.session.commit()
        pk, name = record.id, str(record)
    answer = admin.get(f"/{entity.name.lower()}view/print/{pk}")
    assert answer.status_code == 200, answer.status_code
    page = answer.get_data(as_text=True)
    assert 'class="office-print"' in page and "厦门市人民政府办公厅" in page
    assert 'class="office-top"' not in page and "office-sidebar" not in page      # no menus
    assert html.escape(name) in page or not name
    assert len(_printed(app, entity.name, pk)) == 1
    # the record page offers it
    assert f"/{entity.name.lower()}view/print/{pk}" in admin.get(f"/{entity.name.lower()}view/show/{pk}").get_data(
        as_text=True)


def test_a_clerk_prints_masked_values_and_an_admin_unmasked_with_the_read_audited(app, as_role):
    with app.app_context():
        pk = make(db.session, Personnel, name="打印敏感", id_card_no="350203198801011234", mobile="13812345678").id
        db.session.commit()
    sheet = as_role("clerk", "en").get(f"/personnelview/print/{pk}").get_data(as_text=True)
    assert "350203********1234" in sheet and "350203198801011234" not in sheet
    assert "General Office of the Xiamen Municipal People's Government" in html.unescape(sheet)
    assert "350203198801011234" in as_role("admin", "zh").get(f"/personnelview/print/{pk}").get_data(as_text=True)
    with app.app_context():
        assert db.session.query(AuditLog).filter_by(action="UNMASK", entity="Personnel", record_id=pk).count() == 1


@pytest.mark.parametrize("level, marked", [("NEIBU", "内部"), ("MIMI", "秘密"), ("FEIMI", None)])
def test_the_sheet_carries_the_records_secrecy_marking(app, admin, level, marked):
    with app.app_context():
        pk = make(db.session, Document, title="打印密级", secrecy_level=level).id
        db.session.commit()
    page = admin.get(f"/documentview/print/{pk}").get_data(as_text=True)
    found = page.split('class="office-print-secrecy">', 1)
    assert (found[1].split("<", 1)[0] if len(found) == 2 else None) == marked


def test_a_record_out_of_scope_does_not_print_and_nothing_is_audited(app, as_role):
    entity = REGISTRY[Document]
    pk, _version = _foreign_record(app, entity)
    assert as_role("clerk", "en").get(f"/documentview/print/{pk}").status_code == 404
    assert _printed(app, "Document", pk) == []


def test_the_history_says_who_printed(app, admin):
    with app.app_context():
        pk = make(db.session, Document, title="打印留痕").id
        db.session.commit()
    admin.get(f"/documentview/print/{pk}")
    assert "打印了该记录" in admin.get(f"/documentview/show/{pk}").get_data(as_text=True)
