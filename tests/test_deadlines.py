"""Deadlines (DESIGN.md "Deadlines"): due dates counted on the work calendar (holidays and
make-up working days 调休), the light and overdue days on every list with a due date, the
"past due" and "due within N days" filters, and the document time limits table."""
from __future__ import annotations

import datetime as dt
import re
import uuid

import prison
import pytest

import views  # noqa: F401  (registers every entity)
from app.extensions import db
from app.registry import deadlines
from app.registry.spec import entity_for
from models.base import today_cn
from models.calendar import (
    HOLIDAY,
    WORKDAY,
    WorkCalendar,
    add_working_days,
    is_working_day,
    working_days_between,
)
from models.districts import Consultation, DistrictRequest
from models.documents import Document
from models.hotline import HotlineCase, HotlineSLA
from models.meetings import MeetingDecision
from models.org import Department
from models.proposals import Proposal
from models.sla import DocumentSLA
from models.supervision import SupervisionItem
from tests.factories import make
from tests.helpers import api_client
from tests.pages import alerts


def _uid() -> str:
    return uuid.uuid4().hex[:8]


def _view(app, model):
    return next(v for v in app.appbuilder.baseviews if getattr(v, "entity", None) is entity_for(model)
                and hasattr(v, "deadline_filter_args"))


@pytest.fixture()
def calendar_rows(app):
    """Calendar days a test adds through the screens, removed afterwards (the database is shared)."""
    added: list[dt.date] = []
    yield added
    with app.app_context():
        db.session.query(WorkCalendar).filter(WorkCalendar.day.in_(added)).delete(synchronize_session=False)
        db.session.commit()


# --- the work calendar ---------------------------------------------------------------------------
def test_2026_calendar_follows_the_state_council_notice(app):
    with app.app_context():
        assert is_working_day(dt.date(2026, 2, 14))          # Saturday, make-up working day of 春节
        assert not is_working_day(dt.date(2026, 2, 16))      # Monday, 春节
        assert is_working_day(dt.date(2026, 10, 8))          # Thursday after 国庆节: worked
        assert is_working_day(dt.date(2026, 10, 10))         # Saturday, make-up working day of 国庆节
        assert not is_working_day(dt.date(2026, 10, 11))     # an ordinary Sunday
        # Thursday 12 Feb → Saturday 28 Feb: Fri 13, Sat 14 (调休), the holiday, Tue 24 … Fri 27, Sat 28 (调休)
        assert add_working_days(dt.date(2026, 2, 12), 7) == dt.date(2026, 2, 28)
        assert working_days_between(dt.date(2026, 2, 12), dt.date(2026, 2, 28)) == 7
        assert working_days_between(dt.date(2026, 2, 28), dt.date(2026, 2, 12)) == -7


def test_consultation_due_date_counts_make_up_days_and_skips_holidays(app, as_role):
    """7 working days from Thursday 12 Feb 2026 end on Saturday 28 Feb (a 调休 working day),
    not on Monday 23 Feb (plain weekday arithmetic, inside the Spring Festival)."""
    with app.app_context():
        req = make(db.session, DistrictRequest, district=make(db.session, Department, unit_type="DISTRICT"),
                   kind="BAOGAO")
        unit = make(db.session, Department, unit_type="MUNI_DEPT", name_zh=f"测试局{_uid()}")
        db.session.commit()
        req_id, unit_id = req.id, unit.id
    response = as_role("clerk", lang="en").post("/consultationview/add", data={
        "request": str(req_id), "seq": "1", "department": str(unit_id), "sent_at": "2026-02-12"})
    assert response.status_code == 302, alerts(response.data.decode())
    with app.app_context():
        con = db.session.query(Consultation).filter_by(request_id=req_id).one()
        entity = entity_for(Consultation)
        assert con.due_at == dt.date(2026, 2, 28)
        # on Friday 27 Feb it is not overdue yet (one working day left: yellow) …
        assert deadlines.overdue_days(entity, con, today=dt.date(2026, 2, 27)) == 0
        assert deadlines.light(entity, con, today=dt.date(2026, 2, 27)) == "YELLOW"
        # … on Monday 2 March it is two days late
        assert deadlines.overdue_days(entity, con, today=dt.date(2026, 3, 2)) == 2
        assert deadlines.light(entity, con, today=dt.date(2026, 3, 2)) == "RED"
        # a reply stops the clock
        con.replied_at = dt.date(2026, 3, 2)
        assert deadlines.light(entity, con, today=dt.date(2026, 3, 2)) == "GREEN"
        assert deadlines.overdue_days(entity, con, today=dt.date(2026, 3, 2)) == 0
        db.session.rollback()


def test_hotline_due_time_counts_a_make_up_saturday(app):
    """A consultation asked on Thursday 7 May 2026 (2 working days) is due on Saturday
    9 May, a make-up working day; by Monday morning it is overdue."""
    with app.app_context():
        db.session.query(HotlineSLA).delete()  # rows other tests left: the built-in defaults apply
        case = HotlineCase(content="咨询学位政策", appeal_type="ZIXUN", urgency="YIBAN",
                           received_at=dt.datetime(2026, 5, 7, 9, 0))
        db.session.add(case)
        db.session.flush()
        assert case.due_at == dt.datetime(2026, 5, 9, 9, 0)
        entity = entity_for(HotlineCase)
        monday = dt.datetime(2026, 5, 11, 8, 0)
        assert deadlines.light(entity, case, today=monday) == "RED"
        assert deadlines.overdue_days(entity, case, today=monday) == 2
        pk = case.id
        late = db.session.query(HotlineCase.id).filter(deadlines.overdue_condition(entity, today=monday))
        assert pk in {row.id for row in late}
        # received just before the 劳动节 holiday: 1–5 May are off, the count starts on the 6th
        case2 = HotlineCase(content="咨询社保", appeal_type="ZIXUN", urgency="YIBAN",
                            received_at=dt.datetime(2026, 4, 30, 15, 0))
        db.session.add(case2)
        db.session.flush()
        assert case2.due_at == dt.datetime(2026, 5, 7, 15, 0)
        db.session.rollback()


def test_a_calendar_edit_counts_at_once(app, as_role, calendar_rows):
    """An admin declares a day off and a make-up working day in 2027 on the screen; the next
    due date computed (same process, no restart) follows them."""
    with app.app_context():
        req = make(db.session, DistrictRequest, district=make(db.session, Department, unit_type="DISTRICT"),
                   kind="BAOGAO")
        db.session.commit()
        req_id = req.id
        assert add_working_days(dt.date(2027, 3, 5), 7) == dt.date(2027, 3, 16)
    admin = as_role("admin", lang="en")
    clerk = as_role("clerk", lang="en")

    def consultation_due() -> dt.date:
        with app.app_context():
            unit = make(db.session, Department, unit_type="MUNI_DEPT", name_zh=f"测试局{_uid()}")
            db.session.commit()
            unit_id = unit.id
        response = clerk.post("/consultationview/add", data={
            "request": str(req_id), "department": str(unit_id), "sent_at": "2027-03-05"})
        assert response.status_code == 302, alerts(response.data.decode())
        with app.app_context():
            return db.session.query(Consultation).filter_by(request_id=req_id, department_id=unit_id).one().due_at

    assert consultation_due() == dt.date(2027, 3, 16)
    calendar_rows.append(dt.date(2027, 3, 8))
    response = admin.post("/workcalendarview/add", data={"day": "2027-03-08", "kind": HOLIDAY, "name": "测试假日"})
    assert response.status_code == 302, alerts(response.data.decode())
    assert consultation_due() == dt.date(2027, 3, 17)          # Monday 8 March is off now
    calendar_rows.append(dt.date(2027, 3, 6))
    response = admin.post("/workcalendarview/add", data={"day": "2027-03-06", "kind": WORKDAY, "name": "测试调休"})
    assert response.status_code == 302, alerts(response.data.decode())
    assert consultation_due() == dt.date(2027, 3, 16)          # … and Saturday 6 March is worked


def test_calendar_is_for_admins_only(app, as_role):
    assert as_role("admin").get("/workcalendarview/list/").status_code == 200
    for user in ("leader", "manager", "clerk", "viewer"):
        assert as_role(user).get("/workcalendarview/list/").status_code in (302, 403)
        assert as_role(user).get("/documentslaview/list/").status_code in (302, 403)
    with app.app_context():
        before = db.session.query(WorkCalendar).count()
    as_role("clerk").post("/workcalendarview/add", data={"day": "2027-05-03", "kind": HOLIDAY})
    with app.app_context():
        assert db.session.query(WorkCalendar).count() == before


# --- lights and filters on the lists --------------------------------------------------------------
@pytest.fixture()
def supervision_items(app):
    """Four items due around today: past due, due in 2 days, due in 40 days, and past due but closed."""
    tag = f"DL{_uid()}"
    today = today_cn()
    with app.app_context():
        items = {
            "late": make(db.session, SupervisionItem, title=f"{tag} 逾期事项", status="IN_PROGRESS",
                         due_date=today - dt.timedelta(days=5)),
            "soon": make(db.session, SupervisionItem, title=f"{tag} 临期事项", status="IN_PROGRESS",
                         due_date=today + dt.timedelta(days=2)),
            "later": make(db.session, SupervisionItem, title=f"{tag} 远期事项", status="IN_PROGRESS",
                          due_date=today + dt.timedelta(days=40)),
            "closed": make(db.session, SupervisionItem, title=f"{tag} 已办结事项", status="CLOSED",
                           due_date=today - dt.timedelta(days=5)),
        }
        db.session.commit()
        ids = {key: item.id for key, item in items.items()}
    return tag, ids


def _rows(page: str) -> list[str]:
    return re.findall(r"<tr[^>]*>(.*?)</tr>", page, flags=re.S)


def test_list_shows_one_light_and_the_overdue_days(app, as_role, supervision_items):
    tag, _ids = supervision_items
    page = as_role("manager", lang="en").get(f"/supervisionitemview/list/?_flt_0_title={tag}").data.decode()
    headers = re.findall(r"<th[^>]*>(.*?)</th>", page, flags=re.S)
    assert sum(1 for h in headers if re.search(r">\s*Light\s*<|^\s*Light\s*$", h)) == 1, headers
    assert sum(1 for h in headers if "Overdue days" in h) == 1
    rows = {title: row for row in _rows(page) for title in re.findall(rf"{tag} [^<\s]+", row)}
    assert 'label-danger office-light">Overdue<' in rows[f"{tag} 逾期事项"]
    assert '<span class="office-overdue">5</span>' in rows[f"{tag} 逾期事项"]
    assert 'label-warning office-light">Due soon<' in rows[f"{tag} 临期事项"]
    assert 'label-success office-light">On track<' in rows[f"{tag} 远期事项"]
    assert 'label-success office-light">On track<' in rows[f"{tag} 已办结事项"]
    assert "office-overdue" not in rows[f"{tag} 已办结事项"]


def test_entities_without_a_light_of_their_own_get_one(app, as_role):
    tag = f"DL{_uid()}"
    with app.app_context():
        case = make(db.session, HotlineCase, title=f"{tag} 逾期工单", status="HANDLING",
                    received_at=dt.datetime(2026, 1, 5, 9, 0), due_at=dt.datetime(2026, 1, 8, 0, 0))
        db.session.commit()
        pk = case.id
        # due at midnight: every day begun since counts, today included, whatever the hour now
        late = (today_cn() - dt.date(2026, 1, 8)).days + 1
    client = as_role("admin", lang="zh")
    page = client.get(f"/hotlinecaseview/list/?_flt_0_title={tag}").data.decode()
    assert "亮灯" in page and "逾期天数" in page
    assert 'office-light">红灯<' in page
    shown = client.get(f"/hotlinecaseview/show/{pk}").data.decode()
    assert 'office-light">红灯<' in shown and f'<span class="office-overdue">{late}</span>' in shown


def test_past_due_and_due_within_filters_on_the_list(app, as_role, supervision_items):
    tag, _ids = supervision_items
    args = _view(app, SupervisionItem).deadline_filter_args()
    client = as_role("admin", lang="en")

    def titles(query: str) -> set[str]:
        page = client.get(f"/supervisionitemview/list/?_flt_0_title={tag}&{query}").data.decode()
        return set(re.findall(rf"{tag} (\S+?)<", page))

    assert titles(f"{args['past_due']}=") == {"逾期事项"}
    assert titles(f"{args['due_within']}=3") == {"临期事项"}
    assert titles(f"{args['due_within']}=60") == {"临期事项", "远期事项"}
    assert titles(f"{args['due_within']}=0") == set()
    # the list page offers both filters
    page = client.get("/supervisionitemview/list/").data.decode()
    assert "Past due" in page and args["due_within"] in page
    # the export follows the filter
    export = client.get(f"/supervisionitemview/export/?_flt_0_title={tag}&{args['past_due']}=")
    assert export.status_code == 200


def test_past_due_and_due_within_filters_in_the_api(app, supervision_items):
    tag, ids = supervision_items
    client, headers = api_client(app, "admin")

    def ids_for(opr: str, value) -> set[int]:
        q = prison.dumps({"filters": [{"col": "title", "opr": "sw", "value": tag},
                                      {"col": "due_date", "opr": opr, "value": value}]})
        response = client.get(f"/api/v1/supervision_item/?q={q}", headers=headers)
        assert response.status_code == 200, response.json
        return set(response.json["ids"])

    assert ids_for("past_due", 1) == {ids["late"]}
    assert ids_for("due_within", 3) == {ids["soon"]}
    info = client.get("/api/v1/supervision_item/_info?q=(keys:!(filters))", headers=headers).json
    assert {"past_due", "due_within"} <= {f["operator"] for f in info["filters"]["due_date"]}


def test_conditions_follow_extensions_and_linked_states(app):
    """A proposal's extension moves its due date; a meeting decision is done when its
    supervision item is closed."""
    today = dt.date(2026, 6, 1)
    with app.app_context():
        extended = make(db.session, Proposal, status="HANDLING", assigned_at=dt.date(2026, 2, 1),
                        due_date=dt.date(2026, 5, 1), extended_due_date=dt.date(2026, 7, 1))
        plain = make(db.session, Proposal, status="HANDLING", assigned_at=dt.date(2026, 2, 1),
                     due_date=dt.date(2026, 5, 1))
        entity = entity_for(Proposal)
        late = {p.id for p in db.session.query(Proposal).filter(deadlines.overdue_condition(entity, today=today))}
        assert plain.id in late and extended.id not in late
        assert deadlines.light(entity, extended, today=today) == "GREEN"
        assert deadlines.overdue_days(entity, plain, today=today) == 31

        item = make(db.session, SupervisionItem, status="IN_PROGRESS", due_date=dt.date(2026, 5, 1))
        decision = make(db.session, MeetingDecision, due_date=dt.date(2026, 5, 1), supervision_item=item)
        entity = entity_for(MeetingDecision)

        def is_late() -> bool:
            query = db.session.query(MeetingDecision.id).filter(deadlines.overdue_condition(entity, today=today))
            return decision.id in {row.id for row in query}

        assert is_late() and deadlines.light(entity, decision, today=today) == "RED"
        item.status = "CLOSED"
        db.session.flush()
        assert not is_late() and deadlines.light(entity, decision, today=today) == "GREEN"
        db.session.rollback()


def test_yellow_window_is_one_setting_in_working_days(app):
    """Due Monday 9 March 2026: on Thursday 5 March two working days remain (yellow at 3);
    with the setting at 1 it is still green."""
    with app.app_context():
        entity = entity_for(SupervisionItem)
        item = SupervisionItem(title="测试", status="IN_PROGRESS", due_date=dt.date(2026, 3, 9))
        thursday = dt.date(2026, 3, 5)
        assert deadlines.light(entity, item, today=thursday) == "YELLOW"
        app.config["DEADLINE_YELLOW_DAYS"] = 1
        try:
            assert deadlines.light(entity, item, today=thursday) == "GREEN"
        finally:
            app.config["DEADLINE_YELLOW_DAYS"] = 3


def test_deadline_is_inferred_or_declared(app):
    with app.app_context():
        item = deadlines.deadline_of(entity_for(SupervisionItem))
        assert (item.due, tuple(item.done), item.department) == ("due_date", ("CLOSED",), "lead_department")
        case = deadlines.deadline_of(HotlineCase)
        assert (case.due, case.department) == ("due_at", "handler_department")
        assert deadlines.deadline_of(entity_for(Consultation)).stopped_by == "replied_at"
        assert deadlines.deadline_of(entity_for(WorkCalendar)) is None


# --- document time limits ------------------------------------------------------------------------
def _incoming(session, **values) -> Document:
    values = {"direction": "INCOMING", "status": "PENDING_SIGN", "read_or_act": "BANJIAN",
              "writing_direction": "XIAXING", "doc_type": "TONGZHI", "title": f"测试来文{_uid()}", **values}
    return make(session, Document, **values)


def test_incoming_document_gets_its_due_date_from_the_time_limits_table(app):
    with app.app_context():
        received = dt.datetime(2026, 9, 29, 10, 0)                     # Tuesday before 国庆节
        urgent = _incoming(db.session, urgency="JIAJI", received_at=received)
        normal = _incoming(db.session, urgency="PUTONG", received_at=received)
        reading = _incoming(db.session, urgency="PUTONG", received_at=received, read_or_act="YUEJIAN")
        given = _incoming(db.session, urgency="TEJI", received_at=received, due_date=dt.date(2026, 9, 29))
        assert urgent.due_date == dt.date(2026, 10, 9)    # 30 Sep, (1–7 Oct off), 8 Oct, Fri 9 Oct
        assert normal.due_date == dt.date(2026, 10, 14)   # … Sat 10 Oct (调休), 12, 13, 14 Oct
        assert reading.due_date is None                   # read only: no handling time limit
        assert given.due_date == dt.date(2026, 9, 29)     # a due date the clerk gives is kept
        # an admin's row: 加急 in 5 calendar days
        db.session.query(DocumentSLA).filter_by(urgency="JIAJI").update({"days": 5, "basis": "CALENDAR"})
        changed = _incoming(db.session, urgency="JIAJI", received_at=received)
        assert changed.due_date == dt.date(2026, 10, 4)
        db.session.rollback()


def test_urgent_incoming_document_without_due_date_is_saved_with_the_default(app):
    client, headers = api_client(app, "admin")
    body = {"direction": "INCOMING", "title": f"测试加急来文{_uid()}", "urgency": "JIAJI", "read_or_act": "BANJIAN",
            "writing_direction": "XIAXING", "doc_type": "TONGZHI", "received_at": "2026-09-29 10:00:00"}
    response = client.post("/api/v1/document/", json=body, headers=headers)
    assert response.status_code == 201, response.json
    with app.app_context():
        assert db.session.get(Document, response.json["id"]).due_date == dt.date(2026, 10, 9)


def test_urgent_incoming_document_is_refused_when_no_time_limit_applies(app):
    """The rule stays: with no row for 加急 (an admin narrowed the table), an urgent incoming
    document without a due date is refused and nothing is written."""
    client, headers = api_client(app, "admin", lang="en")
    title = f"测试加急来文{_uid()}"
    body = {"direction": "INCOMING", "title": title, "urgency": "JIAJI", "read_or_act": "BANJIAN",
            "writing_direction": "XIAXING", "doc_type": "TONGZHI", "received_at": "2026-09-29 10:00:00"}
    with app.app_context():
        narrowed = [row.id for row in db.session.query(DocumentSLA).filter_by(urgency="JIAJI")]
        db.session.query(DocumentSLA).filter(DocumentSLA.id.in_(narrowed)).update({"urgency": "TEJI"})
        db.session.commit()
    try:
        response = client.post("/api/v1/document/", json=body, headers=headers)
        assert response.status_code == 422
        assert "An urgent incoming document needs a due date." in str(response.json)
        with app.app_context():
            assert db.session.query(Document).filter_by(title=title).count() == 0
    finally:
        with app.app_context():
            db.session.query(DocumentSLA).filter(DocumentSLA.id.in_(narrowed)).update({"urgency": "JIAJI"})
            db.session.commit()


def test_document_time_limits_are_seeded_once(app):
    from models.sla import seed_document_sla

    with app.app_context():
        rows = {(r.urgency, r.days, r.basis) for r in db.session.query(DocumentSLA).filter_by(is_deleted=False)}
        assert {("TEJI", 1, "WORKING"), ("JIAJI", 3, "WORKING"), ("PUTONG", 7, "WORKING")} <= rows
        assert seed_document_sla(db.session) == 0


def test_the_ledger_export_shows_the_same_light_as_the_list(app, as_role):
    """督办事项台账: its 亮灯 and 逾期天数 are the list's, not a second computation."""
    import io

    from python_calamine import CalamineWorkbook

    title = f"台账亮灯{uuid.uuid4().hex[:6]}"
    with app.app_context():
        make(db.session, SupervisionItem, title=title, status="IN_PROGRESS",
             opened_at=today_cn() - dt.timedelta(days=60), due_date=today_cn() - dt.timedelta(days=5))
        db.session.commit()
    client = as_role("manager", "zh")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(
        client.get(f"/supervisionitemview/export/?_flt_2_title={title}").data)).get_sheet_by_index(0).to_python()
    header = [str(c) for c in rows[0]]
    (row,) = [r for r in rows[1:] if title in [str(c) for c in r]]
    assert row[header.index("亮灯")] == "红灯"
    assert int(float(row[header.index("逾期天数")])) == 5
    assert header.count("亮灯") == 1
