"""Import in update and upsert mode (app/importer/run.py): a row finds its record by the
entity's declared key (a supervision item by 督办编号), changes only the cells it fills,
runs the rules of a form save and leaves the changed fields in the audit log. A key that
names no record — or one the clerk may not see — is reported without saying which, and
any problem anywhere writes nothing.
"""
from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from sqlalchemy import func, select, update

import app.importer.run as run
from app.extensions import db
from app.registry.spec import REGISTRY
from app.screens.views import EntityView
from models.audit import AuditLog
from models.proposals import Proposal
from models.supervision import SupervisionItem
from tests.factories import make
from tests.test_import import xlsx
from tests.test_scope import _foreign_record

VIEW = "supervisionitemview"


def send(client, rows, mode, check_only=False, view=VIEW):
    form = {"file": (io.BytesIO(xlsx(rows)), "督办台账.xlsx"), "mode": mode}
    if check_only:
        form["check_only"] = "1"
    return client.post(f"/{view}/import/", data=form, content_type="multipart/form-data", follow_redirects=True)


def own_item(app, **values) -> tuple[int, str]:
    """An item the Clerk registered (in his scope), with a fresh 督办编号."""
    number = f"DB-{uuid.uuid4().hex[:8].upper()}"
    with app.app_context():
        item = make(db.session, SupervisionItem, item_no=number, title="原标题", created_by="clerk",
                    remark="原备注", **values)
        db.session.commit()
        return item.id, number


def stored(app, pk: int) -> SupervisionItem:
    with app.app_context():
        item = db.session.get(SupervisionItem, pk)
        db.session.expunge(item)
        return item


def items_numbered(app, number: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SupervisionItem)
                                 .where(SupervisionItem.item_no == number))


def update_audits(app, pk: int) -> list[AuditLog]:
    with app.app_context():
        rows = db.session.scalars(select(AuditLog).where(
            AuditLog.action == "UPDATE", AuditLog.entity == "SupervisionItem", AuditLog.record_id == pk)).all()
        db.session.expunge_all()
        return rows


def test_update_changes_the_filled_cells_and_audits_them_like_a_form_edit(app, as_role):
    pk, number = own_item(app)
    version = stored(app, pk).row_version
    page = send(as_role("clerk", "en"), [["督办编号", "标题", "备注"], [number, "新标题", None]], "update")
    assert "updated 1" in page.get_data(as_text=True)
    item = stored(app, pk)
    assert item.title == "新标题"
    assert item.remark == "原备注"                              # an empty cell leaves the field as it is
    assert item.row_version == version + 1
    [audit] = update_audits(app, pk)
    assert audit.changes["title"] == ["原标题", "新标题"]
    assert "remark" not in audit.changes and audit.username == "clerk"


def test_upsert_inserts_the_new_rows_and_updates_the_found_ones_in_one_file(app, as_role):
    pk, number = own_item(app)
    new_number = f"NEW-{uuid.uuid4().hex[:8].upper()}"
    page = send(as_role("clerk", "en"), [["督办编号", "标题"], [number, "改过的标题"], [new_number, "新事项"]],
                "upsert").get_data(as_text=True)
    assert "Imported 1 records and updated 1" in page
    assert stored(app, pk).title == "改过的标题"
    assert items_numbered(app, new_number) == 1
    with app.app_context():
        new = db.session.scalar(select(SupervisionItem).where(SupervisionItem.item_no == new_number))
        assert new.status == "DRAFT"                           # a new record starts at the beginning


@pytest.mark.parametrize("lang,message", [
    ("en", "No record with 督办编号 {} that you may change"),
    ("zh", "没有您可修改的督办编号为 {} 的记录"),
])
def test_a_key_no_record_has_is_a_row_problem_and_nothing_is_written(app, as_role, lang, message):
    pk, number = own_item(app)
    missing = f"NONE-{uuid.uuid4().hex[:8].upper()}"
    page = send(as_role("clerk", lang), [["督办编号", "标题"], [number, "不应写入"], [missing, "无此事项"]],
                "update").get_data(as_text=True)
    assert message.format(missing) in page
    assert stored(app, pk).title == "原标题"                    # the good row was not written either
    assert items_numbered(app, missing) == 0                    # update mode never inserts


def test_a_key_of_a_record_outside_the_users_scope_is_no_record_and_changes_nothing(app, as_role):
    foreign, version = _foreign_record(app, REGISTRY[SupervisionItem])
    number = f"FOREIGN-{uuid.uuid4().hex[:8].upper()}"
    missing = f"NONE-{uuid.uuid4().hex[:8].upper()}"
    with app.app_context():
        db.session.get(SupervisionItem, foreign).item_no = number
        db.session.commit()
    version = stored(app, foreign).row_version
    client = as_role("clerk", "en")
    outside = send(client, [["督办编号", "标题"], [number, "越权修改"]], "update").get_data(as_text=True)
    absent = send(client, [["督办编号", "标题"], [missing, "越权修改"]], "update").get_data(as_text=True)
    # Worded exactly as for a key no record has: the file cannot tell the two apart.
    assert f"No record with 督办编号 {number} that you may change" in outside
    assert f"No record with 督办编号 {missing} that you may change" in absent
    assert stored(app, foreign).title != "越权修改"
    assert stored(app, foreign).row_version == version


def test_insert_mode_refuses_a_key_already_used(app, as_role):
    pk, number = own_item(app)
    page = send(as_role("clerk", "en"), [["督办编号", "标题"], [number, "重复"]], "insert").get_data(as_text=True)
    assert "Already used by an existing record" in page
    assert stored(app, pk).title == "原标题" and items_numbered(app, number) == 1


def test_an_update_breaking_a_rule_writes_nothing(app, as_role):
    opened = dt.date(2026, 3, 1)
    first, number = own_item(app, opened_at=opened)
    second, other = own_item(app, opened_at=opened)
    page = send(as_role("clerk", "en"), [["督办编号", "标题", "办理时限"],
                                         [number, "好的一行", dt.date(2026, 6, 1)],
                                         [other, "坏的一行", dt.date(2026, 1, 1)]], "update").get_data(as_text=True)
    assert "The due date cannot be earlier than the opening date." in page
    assert stored(app, first).title == "原标题" and stored(app, second).title == "原标题"
    assert update_audits(app, first) == []


def test_the_same_key_twice_in_a_file_is_reported(app, as_role):
    pk, number = own_item(app)
    page = send(as_role("clerk", "en"), [["督办编号", "标题"], [number, "甲"], [number, "乙"]],
                "update").get_data(as_text=True)
    assert "Same as row 2: must be unique" in page
    assert stored(app, pk).title == "原标题"


def test_check_only_in_update_mode_writes_nothing(app, as_role):
    pk, number = own_item(app)
    page = send(as_role("clerk", "en"), [["督办编号", "标题"], [number, "只检查"]], "update",
                check_only=True).get_data(as_text=True)
    assert stored(app, pk).title == "原标题" and update_audits(app, pk) == []
    assert "No record" not in page and "Same as row" not in page         # the check itself found nothing


def test_update_needs_the_key_column(app, as_role):
    page = send(as_role("clerk", "en"), [["标题"], ["没有编号"]], "update").get_data(as_text=True)
    assert "The key columns are missing: Supervision number." in page


def test_a_list_without_a_key_offers_insert_only(app, as_role):
    client = as_role("clerk", "en")
    offered = client.get(f"/{VIEW}/import/").get_data(as_text=True)
    assert 'name="mode"' in offered and "an empty cell leaves the field as it is" in offered
    page = client.get("/personnelview/import/").get_data(as_text=True)
    assert 'name="mode"' not in page
    refused = send(client, [["姓名"], ["甲"]], "update", view="personnelview").get_data(as_text=True)
    assert "Unknown import mode update" in refused


def test_a_role_without_the_edit_right_may_not_update(app, as_role, monkeypatch):
    pk, number = own_item(app)
    real = EntityView.can
    monkeypatch.setattr(EntityView, "can", lambda self, act: act != "edit" and real(self, act))
    page = send(as_role("clerk", "en"), [["督办编号", "标题"], [number, "无权修改"]], "update").get_data(as_text=True)
    assert "You may not change records of this list." in page
    assert stored(app, pk).title == "原标题"


def test_a_record_saved_by_someone_else_between_check_and_write_refuses_the_file(app, as_role, monkeypatch):
    """The version the file changes is the one the import read: a save in between wins, the
    import writes nothing and says so."""
    pk, number = own_item(app)
    write = run._write_records

    def someone_saves_first(entity, records, session, **how):
        with db.engine.begin() as other:          # another request's transaction, committed
            other.execute(update(SupervisionItem).where(SupervisionItem.id == pk).values(
                remark="别人刚改的", row_version=SupervisionItem.row_version + 1))
        return write(entity, records, session, **how)

    monkeypatch.setattr(run, "_write_records", someone_saves_first)
    page = send(as_role("clerk", "en"), [["督办编号", "标题"], [number, "导入的标题"]], "update").get_data(as_text=True)
    assert "changed by someone else while it was being imported" in page
    item = stored(app, pk)
    assert item.title == "原标题" and item.remark == "别人刚改的"


def test_a_composite_key_finds_its_record(app, as_role):
    """A proposal is known by kind, session and number together; the kind as the file writes it."""
    session_label = f"十六届{uuid.uuid4().hex[:4]}"
    with app.app_context():
        proposal = make(db.session, Proposal, kind="NPC_JIANYI", session_label=session_label, number=7,
                        title="原建议标题", created_by="clerk")
        db.session.commit()
        pk = proposal.id
    rows = [["建议提案类型", "届次", "建议提案号", "标题"], ["人大代表建议", session_label, 7, "改过的建议标题"]]
    page = send(as_role("clerk", "en"), rows, "update", view="proposalview").get_data(as_text=True)
    assert "updated 1" in page
    with app.app_context():
        assert db.session.get(Proposal, pk).title == "改过的建议标题"
    other_kind = send(as_role("clerk", "en"), [rows[0], ["政协提案", session_label, 7, "不应写入"]], "update",
                      view="proposalview").get_data(as_text=True)
    assert f"No record with 建议提案类型 + 届次 + 建议提案号 政协提案 / {session_label} / 7" in other_kind
