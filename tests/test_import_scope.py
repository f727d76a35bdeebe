"""An import names linked records only among those the importing user may see, on both
ways of writing (app/importer/run.py): the ORM path (records built, rules run) and the
bulk path (one INSERT per chunk, no records). A row naming another unit's record is
refused like a row naming no record, with its row number, in the user's language, and
nothing of the file is written.

The bulk path is forced on UrgeRecord here (its own entities with links all take the ORM
path today); and the reference resolver is opened up in two tests, to show that the
writer's own bulk scope check (app/importer/links.py) holds even if a resolver let a
foreign record through.
"""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

import app.importer.run as run
from app.extensions import db
from app.importer.references import References
from app.registry.spec import REGISTRY
from models.supervision import SupervisionItem, UrgeRecord
from tests.factories import make
from tests.test_import import sheet_rows, upload, xlsx
from tests.test_scope import _foreign_record

MESSAGES = {"en": "No such record that you may use: {}", "zh": "找不到您可使用的记录：{}"}


def urge_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(UrgeRecord))


def items(app) -> tuple[str, str]:
    """(item_no of the Clerk's own item, item_no of another unit's item)."""
    foreign, _version = _foreign_record(app, REGISTRY[SupervisionItem])
    tag = uuid.uuid4().hex[:8].upper()
    with app.app_context():
        make(db.session, SupervisionItem, item_no=f"OWN-{tag}", title="本处导入事项", created_by="clerk")
        db.session.get(SupervisionItem, foreign).item_no = f"FOREIGN-{tag}"
        db.session.commit()
    return f"OWN-{tag}", f"FOREIGN-{tag}"


@pytest.fixture(params=["orm", "bulk"])
def path(request, monkeypatch):
    if request.param == "bulk":
        monkeypatch.setattr(run, "needs_records", lambda entity: False)
    return request.param


def _unscoped_resolver(monkeypatch):
    """A resolver that finds every record not in the Trash, whoever imports."""
    monkeypatch.setattr(References, "_live", lambda self, model: (
        [model.is_deleted.is_(False)] if hasattr(model, "is_deleted") else []))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_row_naming_another_units_record_is_refused(app, as_role, path, lang):
    own, foreign = items(app)
    before = urge_count(app)
    data = xlsx([["督办事项", "催办方式"], [own, "电话"], [foreign, "电话"], [own, "电话"]])
    client = as_role("clerk", lang)
    page = upload(client, data, view="urgerecordview").get_data(as_text=True)
    assert MESSAGES[lang].format(foreign) in page
    assert urge_count(app) == before                           # not even the two good rows
    token = page.split("/urgerecordview/import/report/")[1].split("/")[0]
    rows = sheet_rows(client.get(f"/urgerecordview/import/report/{token}/").data)
    assert [int(r[0]) for r in rows[1:]] == [3] and rows[1][1] == foreign


def test_the_writers_own_check_refuses_what_a_resolver_let_through(app, as_role, path, monkeypatch):
    _unscoped_resolver(monkeypatch)
    own, foreign = items(app)
    before = urge_count(app)
    data = xlsx([["督办事项", "催办方式"], [own, "电话"], [foreign, "电话"]])
    page = upload(as_role("clerk", "en"), data, view="urgerecordview").get_data(as_text=True)
    assert MESSAGES["en"].format(foreign) in page
    assert "Nothing was imported: 1 of 2 rows have problems" in page
    assert urge_count(app) == before


def test_the_same_file_imports_for_a_user_who_sees_every_unit(app, as_role, path):
    own, foreign = items(app)
    before = urge_count(app)
    data = xlsx([["督办事项", "催办方式"], [own, "电话"], [foreign, "电话"]])
    page = upload(as_role("admin", "en"), data, view="urgerecordview").get_data(as_text=True)
    assert "Imported 2 records" in page
    assert urge_count(app) == before + 2
