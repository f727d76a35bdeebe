"""Column mapping (issue 18, item 2): a ledger's headers as clerks write them are mapped to
fields without renaming — by label in either language, by the synonyms the registry
declares, by a close enough word — and the clerk sees the proposal, changes it, and finds
his choice proposed again for his next file (not for anyone else's). Every ledger whose
entity can be imported comes back from its own export with no manual mapping."""
from __future__ import annotations

import datetime as dt
import io
import os
import re
import uuid
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from app.extensions import db
from app.importer.fields import header_index, import_fields
from app.importer.mapping import automatic
from app.importer.run import ROW_NUMBER_HEADERS
from app.ledgers.columns import detail_columns
from app.ledgers.spec import LEDGERS
from app.registry.spec import entity_for
from models.documents import Document
from models.hotline import HotlineCase
from models.import_mappings import ImportMapping
from models.leaders import LeaderInstruction
from models.proposals import Proposal
from models.services import Reception, VehicleDispatch
from models.supervision import SupervisionItem
from tests.factories import make
from tests.test_import_ledgers import workbook
from tests.test_ledgers import list_url

VIEW = "supervisionitemview"


def proposed(app, model, headers: list, lang: str = "zh", strict: bool = True) -> dict[str, str]:
    """{header: field name} as the importer proposes it for a file with these headers."""
    with app.test_request_context(), force_locale(lang):
        entity = entity_for(model)
        fields = import_fields(entity)
        index, skip = header_index(entity, fields)
        chosen = automatic(headers, fields, index, skip, ROW_NUMBER_HEADERS, strict=strict)
    return {headers[i]: f.name for i, f in chosen.items()}


def marker() -> str:
    return uuid.uuid4().hex[:8].upper()


def items(app, prefix: str) -> dict[str, SupervisionItem]:
    with app.app_context():
        rows = db.session.scalars(select(SupervisionItem).where(SupervisionItem.item_no.like(f"{prefix}%"))).all()
        db.session.expunge_all()
        return {row.item_no: row for row in rows}


def remembered_rows(app, username: str) -> list[dict]:
    with app.app_context():
        return [row.columns for row in db.session.scalars(
            select(ImportMapping).where(ImportMapping.username == username,
                                        ImportMapping.entity == "SupervisionItem"))]


def review(client, data: bytes, view: str = VIEW) -> str:
    """Upload for the mapping step; the page."""
    form = {"file": (io.BytesIO(data), "台账.xlsx"), "review": "1"}
    return client.post(f"/{view}/import/", data=form, content_type="multipart/form-data",
                       follow_redirects=True).get_data(as_text=True)


def token_of(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def selected(page: str, field: str) -> str:
    """The option chosen in the field's select: the column's header, or "" for none."""
    select_html = re.search(rf'<select[^>]*name="map-{field}".*?</select>', page, re.S).group(0)
    found = re.search(r'<option value="(\d*)" selected>([^<·]*)', select_html)
    return found.group(2).strip() if found and found.group(1) else ""


def send(client, token: str, mapping: dict[str, str], check_only: bool = False, view: str = VIEW):
    form = {"token": token, **{f"map-{name}": value for name, value in mapping.items()}}
    if check_only:
        form["check_only"] = "1"
    return client.post(f"/{view}/import/", data=form, follow_redirects=True)


# --- automatic mapping --------------------------------------------------------------------------------
def test_paper_headers_are_mapped_by_the_registrys_synonyms(app):
    assert proposed(app, Proposal, ["序号", "建议号", "领衔人", "类别", "分类", "标题", "办结时限"]) == {
        "建议号": "number", "领衔人": "lead_proposer", "类别": "kind", "分类": "topic_category",
        "标题": "title", "办结时限": "due_date"}
    assert proposed(app, SupervisionItem, ["事项来源", "督办内容", "办结时限", "办结时间", "责任单位"]) == {
        "事项来源": "source_type", "督办内容": "content", "办结时限": "due_date", "办结时间": "closed_at",
        "责任单位": "lead_department"}
    assert proposed(app, HotlineCase, ["工单号", "受理时间", "分类", "摘要", "区", "办结时间"]) == {
        "工单号": "case_no", "受理时间": "received_at", "分类": "topic_l1", "摘要": "content",
        "区": "district", "办结时间": "closed_at"}


def test_a_close_word_is_matched_and_an_unrelated_column_is_left_out(app):
    found = proposed(app, SupervisionItem, ["督办编号", "办理时限要求", "是否公开", "联系人", "标题"])
    assert found == {"督办编号": "item_no", "办理时限要求": "due_date", "标题": "title"}
    found = proposed(app, SupervisionItem, ["Supervision No", "Title", "Published?"], lang="en")
    assert found == {"Supervision No": "item_no", "Title": "title"}


def test_two_columns_naming_one_field_are_refused_unless_the_clerk_chooses(app, as_role):
    from app.importer.errors import FileRefused

    with pytest.raises(FileRefused):
        proposed(app, SupervisionItem, ["牵头单位", "责任单位", "标题"])
    # the mapping step proposes the first, the second is his to choose
    assert proposed(app, SupervisionItem, ["牵头单位", "责任单位", "标题"], strict=False) == {
        "牵头单位": "lead_department", "标题": "title"}
    page = review(as_role("clerk", "en"), workbook([["牵头单位", "责任单位", "标题"], ["", "", "一"]]))
    assert selected(page, "lead_department") == "牵头单位" and selected(page, "title") == "标题"


# --- every ledger export imports back -----------------------------------------------------------------
#: Ledgers whose entity imports from their own export (every list ledger), and the ledger
#: column a synonym maps to another field (the 12345 list's summary is the case's content).
IMPORTS_BACK = {"duty_roster", "incident_reporting", "gazette_contents", "hotline_cases", "info_adoption",
                "it_projects", "meeting_decisions", "staff_roster", "retirees_roster", "proposals", "supervision",
                "incoming_documents", "outgoing_documents", "normative_documents", "leader_instructions", "receptions",
                "vehicle_use", "room_use"}
#: A computed column is named by its English header: the leaders' instructions ledger's
#: carrier document (a registered document's name, or the reference typed) is the source reference.
MAPPED_TO_ANOTHER = {("hotline_cases", "content_brief"): "content",
                     ("leader_instructions", "Carrier document"): "source_ref",
                     # columns that create child records (tests/test_import_children.py)
                     ("proposals", "lead_department"): "assignments.lead",
                     ("proposals", "co_departments"): "assignments.co",
                     ("proposals", "joint_departments"): "assignments.joint",
                     ("proposals", "reply_date"): "replies.date",
                     ("proposals", "answer_category"): "replies.category",
                     ("proposals", "evaluation_result"): "evaluations.result",
                     ("supervision", "co_departments"): "assignments.co",
                     ("supervision", "latest_progress"): "progress_reports.progress",
                     ("supervision", "latest_report_date"): "progress_reports.date"}
#: Ledgers that are a filtered view of their entity: the required field their fixed filter
#: sets has no column, and every row of their file takes the filter's value.
FIXED_BY_THE_LEDGER = {"incoming_documents": {"direction"}, "outgoing_documents": {"direction"},
                       "normative_documents": {"direction", "is_normative"}}


def _ledger_mapping(app, key: str, lang: str):
    ledger = LEDGERS[key]
    with app.test_request_context(), force_locale(lang):
        entity = entity_for(ledger.model)
        headers = [column.header for column in detail_columns(ledger, unmasked=True)]
        fields = import_fields(entity)
        index, skip = header_index(entity, fields)
        chosen = automatic(headers, fields, index, skip, ROW_NUMBER_HEADERS)
    assert len(headers) == len(ledger.columns)
    return ledger, fields, {i: f.name for i, f in chosen.items()}


def _column_name(column) -> str:
    """A field column's name, a computed column's English header."""
    if isinstance(column, str):
        return column
    with force_locale("en"):
        return str(column.header)


def test_every_ledger_is_classified():
    list_ledgers = {key for key, ledger in LEDGERS.items() if ledger.report is None}
    assert list_ledgers == IMPORTS_BACK
    assert {key: set(LEDGERS[key].where) for key in list_ledgers if LEDGERS[key].where} == FIXED_BY_THE_LEDGER


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("key", sorted(IMPORTS_BACK))
def test_a_ledger_export_maps_back_to_its_fields_without_help(app, key, lang):
    ledger, fields, chosen = _ledger_mapping(app, key, lang)
    importable = {f.name for f in fields}
    expected = {i: column for i, column in enumerate(ledger.columns)
                if isinstance(column, str) and column in importable}
    names = [_column_name(column) for column in ledger.columns]
    expected.update({i: MAPPED_TO_ANOTHER[(key, name)] for i, name in enumerate(names)
                     if (key, name) in MAPPED_TO_ANOTHER})
    assert chosen == expected
    missing = {f.name for f in fields if f.required} - set(chosen.values())
    assert missing == {f.name for f in fields if f.required} & FIXED_BY_THE_LEDGER.get(key, set())


def _supervision_items(_session, prefix: str) -> list[dict]:
    return [dict(item_no=f"{prefix}-{i}", title=f"往返事项{prefix}{i}", source_type="HUIYI",
                 source_ref=f"会议纪要{i}", content=f"内容{i}", opened_at=dt.date(2026, 3, 1 + i),
                 due_date=dt.date(2026, 6, 30), remark=f"备注{i}") for i in range(2)]


def _hotline_cases(_session, prefix: str) -> list[dict]:
    return [dict(case_no=f"{prefix}-{i}", received_at=dt.datetime(2026, 3, 1 + i, 9, 30),
                 content=f"路灯不亮{prefix}{i}", due_at=dt.datetime(2026, 3, 8 + i, 18, 0)) for i in range(2)]


def _incoming_documents(_session, prefix: str) -> list[dict]:
    """Incoming documents: the register has no direction column, its rows are incoming."""
    return [dict(direction="INCOMING", status="PENDING_SIGN", receive_no=f"{prefix}-{i}",
                 title=f"关于往返{prefix}{i}的函", received_at=dt.datetime(2026, 3, 2 + i, 10, 15),
                 source_doc_no=f"闽政办函〔2026〕{i + 1}号", secrecy_level="FEIMI", urgency="PUTONG",
                 copies=2 + i, proposed_opinion=f"拟请市发改委牵头办理{i}", due_date=dt.date(2026, 3, 20 + i),
                 handling_result=f"已办结{i}", archive_no=f"WS-{prefix}-{i}")
            for i in range(2)]


def _leader_instructions(_session, prefix: str) -> list[dict]:
    """The instruction's whole text, longer than a list's summary, comes back as it was."""
    text = "请市发改委会同市财政局认真研究，提出具体落实意见，于月底前报市政府。涉及跨部门事项的，由市发改委牵头协调。"
    return [dict(leader=f"{prefix}-{i}", leader_level="SHENG", instructed_at=dt.datetime(2026, 3, 3 + i, 16, 0),
                 instruction_type="YUESHI", content=f"{text}{prefix}{i}", due_date=dt.date(2026, 3, 31),
                 result=f"已按批示办理{i}", is_done=bool(i), remark=f"备注{i}") for i in range(2)]


def _vehicle_trips(session, prefix: str) -> list[dict]:
    """Trips of one car for two requests: each row finds its request by the register's column."""
    from models.services import LogisticsRequest, Vehicle

    car = make(session, Vehicle, plate_no=f"闽D{prefix[-6:]}")
    out = []
    for i in range(2):
        request = make(session, LogisticsRequest, request_type="YONGCHE", reason=f"赴机场接站{prefix}{i}",
                       start_at=dt.datetime(2026, 3, 4 + i, 8, 0), end_at=dt.datetime(2026, 3, 4 + i, 12, 0))
        out.append(dict(request_id=request.id, vehicle_id=car.id, route=f"{prefix}-{i} 市政府—高崎机场",
                        odometer_out=12000 + 100 * i, odometer_in=12046 + 100 * i))
    return out


def _receptions(_session, prefix: str) -> list[dict]:
    """The guest level, and the head and his post apart, come back with the reception."""
    return [dict(guest_org=f"{prefix}-{i} 省发改委调研组", guest_type="SHANGJI", guest_level="TINGJU",
                 head_name=f"李{i}", head_post="副主任", headcount=6 + i, official_letter_no=f"闽发改函〔2026〕{i}号",
                 purpose="调研重点项目", arrive_at=dt.datetime(2026, 3, 9 + i, 9, 0),
                 depart_at=dt.datetime(2026, 3, 10 + i, 17, 0), meal_count=2, meal_companions=3,
                 hotel="市政府接待中心", room_standard="BIAOZHUN", cost_lodging=Decimal("1200.00"),
                 cost_meals=Decimal("960.50"), approver="王五") for i in range(2)]


ROUND_TRIPS = {
    "supervision list": (SupervisionItem, "item_no", "export/", _supervision_items),
    "supervision ledger": (SupervisionItem, "item_no", "ledger/supervision/", _supervision_items),
    "12345 ledger": (HotlineCase, "case_no", "ledger/hotline_cases/", _hotline_cases),
    "incoming documents register": (Document, "receive_no", "ledger/incoming_documents/", _incoming_documents),
    "leaders' instructions ledger": (LeaderInstruction, "leader", "ledger/leader_instructions/",
                                     _leader_instructions),
    "vehicle use register": (VehicleDispatch, "route", "ledger/vehicle_use/", _vehicle_trips),
    "reception ledger": (Reception, "guest_org", "ledger/receptions/", _receptions),
}


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def kept_by_hand(exported: bytes) -> bytes:
    """The export as a clerk's copy of it looks a year later: a title and a note row and a
    blank row above it, a 序号 column in front, each date typed the Chinese way (2026年3月2日,
    every other one in full-width digits, a time as 9时30分), a blank row among the data."""
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(exported)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    filled = [sum(cell not in (None, "") for cell in row) for row in rows]
    header = filled.index(max(filled[:5]))
    out: list[list] = [["2026年度工作台账（整理稿）"], ["填报单位：办公厅", None, None, "填报日期：2026年12月"], []]
    for i, row in enumerate(rows):
        number = "序号" if i == header else (i - header if i > header else None)
        cells = []
        for cell in row:
            if isinstance(cell, dt.datetime):
                cell = f"{cell.year}年{cell.month}月{cell.day}日" + (
                    f" {cell.hour}时{cell.minute}分" if (cell.hour, cell.minute) != (0, 0) else "")
            elif isinstance(cell, dt.date):
                cell = f"{cell.year}年{cell.month}月{cell.day}日"
            if isinstance(cell, str) and "年" in cell and i % 2:
                cell = cell.translate(FULL_WIDTH)
            cells.append(cell)
        out.append([number, *cells])
        if i == header + 1:
            out.append([])
    typed = [cell for row in out[header + 4:] for cell in row[1:] if isinstance(cell, str) and "日" in cell]
    assert typed and any("２" in cell for cell in typed), "no date in the export to type by hand"
    return workbook(out)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("trip", sorted(ROUND_TRIPS))
@pytest.mark.parametrize("by_hand", [False, True], ids=["as exported", "kept by hand"])
def test_an_export_imports_back_as_it_was(app, as_role, trip, lang, by_hand):
    """Export the list or the ledger, remove the records for good, upload the file as it is
    (no mapping step, no renamed header): the same records — also after a clerk kept it by
    hand for a year (title rows, 序号, Chinese dates, full-width digits, blank rows)."""
    model, key, path, rows = ROUND_TRIPS[trip]
    prefix = f"RT{marker()}"
    with app.app_context():
        values = rows(db.session, prefix)
        for row in values:
            make(db.session, model, **row)
        db.session.commit()
    column = getattr(model, key)
    client = as_role("admin", lang)
    url = list_url(app, model, (key, "sw", prefix)).replace("/list/", "/" + path)
    exported = client.get(url).data
    with app.app_context():
        db.session.execute(model.__table__.delete().where(column.like(f"{prefix}%")))
        db.session.commit()
    from tests.test_import import upload

    view = url.split("/")[1]
    page = upload(client, kept_by_hand(exported) if by_hand else exported, view=view,
                  name="export.xlsx").get_data(as_text=True)
    assert ("导入 2 条记录" if lang == "zh" else "Imported 2 records") in page
    with app.app_context():
        found = db.session.scalars(select(model).where(column.like(f"{prefix}%")).order_by(column)).all()
        assert [{name: getattr(record, name) for name in row} for record in found] == values


# --- the mapping step ---------------------------------------------------------------------------------
def two_titles(prefix: str) -> bytes:
    """A ledger with two columns that could be the title: the proposal takes 标题, the clerk wants 事项名称."""
    return workbook([
        ["督办编号", "标题", "事项名称", "办理时限要求", "是否公开"],
        [f"{prefix}-1", "简称一", "推进重点项目前期工作", "2026-06-30", "是"],
        [f"{prefix}-2", "简称二", "防汛备汛检查", "2026年6月30日", "否"],
    ])


def test_the_mapping_step_shows_each_field_with_its_proposed_column_and_a_sample(as_role):
    page = review(as_role("clerk", "en"), two_titles("DB-SHOW"))
    assert selected(page, "item_no") == "督办编号" and selected(page, "title") == "标题"
    assert selected(page, "due_date") == "办理时限要求"          # by a close word
    assert selected(page, "content") == ""                      # nothing proposed: "don't import"
    assert "Don&#39;t import" in page or "Don't import" in page
    assert "DB-SHOW-1" in page and "简称一" in page              # sample values
    assert re.search(r'for="map-title">Title <span class="text-danger"', page)   # required marked
    zh = review(as_role("clerk", "zh"), two_titles("DB-SHOW"))
    assert "不导入" in zh and "示例值" in zh


def test_the_clerks_changed_mapping_is_what_gets_imported(app, as_role):
    prefix = f"DB-CH{marker()}"
    client = as_role("admin", "en")
    page = review(client, two_titles(prefix))
    response = send(client, token_of(page), {"item_no": "0", "title": "2", "due_date": "3", "content": "1"})
    assert "Imported 2 records" in response.get_data(as_text=True)
    found = items(app, prefix)
    assert found[f"{prefix}-1"].title == "推进重点项目前期工作" and found[f"{prefix}-1"].content == "简称一"
    assert {item.due_date for item in found.values()} == {dt.date(2026, 6, 30)}


def test_the_mapping_step_keeps_the_mode_chosen_with_the_upload(app, as_role):
    """Update by key through the mapping step: the page carries the mode the clerk chose
    beside the file, and the rows change the records their keys name."""
    prefix = f"DB-UM{marker()}"
    client = as_role("admin", "en")
    send(client, token_of(review(client, two_titles(prefix))), {"item_no": "0", "title": "1"})
    form = {"file": (io.BytesIO(two_titles(prefix)), "台账.xlsx"), "review": "1", "mode": "update"}
    page = client.post(f"/{VIEW}/import/", data=form, content_type="multipart/form-data").get_data(as_text=True)
    mode = re.search(r'<form[^>]*id="import-mapping".*?name="mode" value="([^"]*)"', page, re.S).group(1)
    assert mode == "update"
    # the key and the changed column are enough: an update leaves the other fields as they are
    response = client.post(f"/{VIEW}/import/", data={"token": token_of(page), "mode": mode, "map-item_no": "0",
                                                      "map-content": "2"}, follow_redirects=True)
    assert "updated 2" in response.get_data(as_text=True)
    found = items(app, prefix).values()
    assert {(item.title, item.content) for item in found} == {("简称一", "推进重点项目前期工作"),
                                                              ("简称二", "防汛备汛检查")}


def test_a_field_set_to_dont_import_stays_empty(app, as_role):
    prefix = f"DB-NO{marker()}"
    client = as_role("admin", "en")
    page = review(client, two_titles(prefix))
    send(client, token_of(page), {"item_no": "0", "title": "1", "due_date": ""})
    assert {item.due_date for item in items(app, prefix).values()} == {None}


def test_the_remembered_mapping_is_proposed_next_time_and_not_to_another_user(app, as_role):
    admin = as_role("admin", "en")
    page = review(admin, two_titles(f"DB-RM{marker()}"))
    send(admin, token_of(page), {"item_no": "0", "title": "2", "content": "1"}, check_only=True)
    again = review(admin, two_titles(f"DB-RM{marker()}"))
    assert selected(again, "title") == "事项名称" and selected(again, "content") == "标题"
    assert selected(again, "due_date") == ""            # he left it out: left out again
    assert "The columns you chose last time are proposed" in again
    other = review(as_role("clerk", "en"), two_titles(f"DB-RM{marker()}"))
    assert selected(other, "title") == "标题" and "you chose last time" not in other


def test_a_remembered_mapping_is_not_proposed_for_a_file_with_other_columns(as_role):
    admin = as_role("admin", "en")
    page = review(admin, two_titles(f"DB-RO{marker()}"))
    send(admin, token_of(page), {"item_no": "0", "title": "2"}, check_only=True)
    other_file = workbook([["督办编号", "标题", "办理时限"], ["DB-RO-X", "标题一", "2026-06-30"]])
    page = review(admin, other_file)
    assert selected(page, "title") == "标题" and "you chose last time" not in page


# --- refusals -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("mapping, said", [
    ({"item_no": "0", "title": "99"}, "The chosen column is not one of the file&#39;s columns."),
    ({"item_no": "0", "title": "x"}, "The chosen column is not one of the file&#39;s columns."),
    ({"title": "1", "status": "0"}, "The field status cannot be imported."),
    ({"title": "1", "created_at": "0"}, "The field created_at cannot be imported."),
    ({"title": "1", "content": "1"}, "The column 标题 is chosen for two fields."),
    ({"item_no": "0", "title": ""}, "Choose a column for every required field: Title."),
])
def test_a_bad_mapping_is_refused_and_nothing_changes(app, as_role, mapping, said):
    prefix = f"DB-BAD{marker()}"
    client = as_role("clerk", "en")
    remembered_before = remembered_rows(app, "clerk")
    page = review(client, two_titles(prefix))
    response = send(client, token_of(page), mapping)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert said in text.replace("'", "&#39;")
    assert 'name="map-title"' in text                # the step is shown again to correct
    assert items(app, prefix) == {}
    assert remembered_rows(app, "clerk") == remembered_before


def test_another_users_upload_cannot_be_imported(app, as_role):
    prefix = f"DB-OU{marker()}"
    page = review(as_role("admin", "en"), two_titles(prefix))
    response = send(as_role("clerk", "en"), token_of(page), {"item_no": "0", "title": "1"})
    assert "The uploaded file is no longer available; upload it again." in response.get_data(as_text=True)
    assert items(app, prefix) == {}


def test_an_upload_kept_for_one_list_is_not_imported_into_another(app, as_role):
    client = as_role("admin", "en")
    page = review(client, two_titles(f"DB-OL{marker()}"))
    response = send(client, token_of(page), {"case_no": "0"}, view="hotlinecaseview")
    assert "The uploaded file is no longer available" in response.get_data(as_text=True)


def test_the_refusals_read_in_chinese(app, as_role):
    client = as_role("clerk", "zh")
    page = review(client, two_titles(f"DB-ZH{marker()}"))
    text = send(client, token_of(page), {"item_no": "0", "title": ""}).get_data(as_text=True)
    assert "请为每个必填字段选择一列：标题" in text


def test_a_file_that_is_not_a_workbook_is_refused_before_the_mapping_step(app, as_role):
    directory = app.config["IMPORT_REPORT_DIR"]
    before = set(os.listdir(directory)) if os.path.isdir(directory) else set()
    form = {"file": (io.BytesIO(b"not a workbook"), "台账.xlsx"), "review": "1"}
    page = as_role("clerk", "en").post(f"/{VIEW}/import/", data=form, content_type="multipart/form-data",
                                       follow_redirects=True).get_data(as_text=True)
    assert "This is not an Excel workbook" in page and 'name="token"' not in page
    after = set(os.listdir(directory)) if os.path.isdir(directory) else set()
    assert not {name for name in after - before if name.startswith("upload-")}   # nothing kept
