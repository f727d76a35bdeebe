"""办结销号 and the monthly 督查通报 (docs/domain.md §4): only the supervision office strikes an item
off, and only on the handling units' final report; the item records who, when and on what
basis, and the supervision ledger shows it. The bulletin counts, per lead unit and month, the
items opened, struck off on time and late, overdue and not struck off, and the urgings — on its
page (Reports menu), in its Excel file and on its print view — over the reader's scope."""
from __future__ import annotations

import datetime as dt
import io
import uuid

from python_calamine import CalamineWorkbook
from sqlalchemy import select

import views  # noqa: F401  (registers every entity and ledger)
from app.extensions import db
from models.audit import AuditLog
from models.base import today_cn
from models.org import Department
from models.supervision import ProgressReport, SupervisionItem, UrgeRecord, monthly_bulletin
from tests.factories import make
from tests.helpers import api_client
from tests.pages import alerts
from tests.test_ownership import owning

BULLETIN = "/supervisionitemview/report/supervision_bulletin/"
BULLETIN_XLSX = "/supervisionitemview/ledger/supervision_bulletin/"
BULLETIN_PRINT = "/supervisionitemview/report/supervision_bulletin/print"


def _tag() -> str:
    return uuid.uuid4().hex[:6]


def _rows(data: bytes) -> list[list]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    return [r for r in sheet if any(c not in ("", None) for c in r)]


def _submitted(app, *, final: bool) -> int:
    with app.app_context():
        item = make(db.session, SupervisionItem, status="SUBMITTED", title=f"待销号{_tag()}",
                    opened_at=dt.date(2026, 1, 5), due_date=dt.date(2099, 1, 1))
        unit = make(db.session, Department, name_zh=f"承办单位{_tag()}")
        make(db.session, ProgressReport, item=item, department=unit, period_label="2026年1月",
             report_date=dt.date(2026, 1, 20), progress="阶段进展", percent=60, is_final=False)
        if final:
            make(db.session, ProgressReport, item=item, department=unit, period_label="办理结果",
                 report_date=dt.date(2026, 2, 3), progress="已全面完成", percent=100, is_final=True)
        db.session.commit()
        return item.id


def _item(app, pk):
    with app.app_context():
        item = db.session.get(SupervisionItem, pk)
        db.session.expunge(item)
        return item


# --- 办结销号 ------------------------------------------------------------------------------------------
def test_a_unit_that_does_not_run_supervision_cannot_strike_an_item_off(app, as_role):
    pk = _submitted(app, final=True)
    api, headers = api_client(app, "manager", "en")
    listed = api.get(f"/api/v1/supervision_item/{pk}/transitions", headers=headers).json
    assert "close" not in [t["name"] for t in listed["transitions"]]
    answer = api.post(f"/api/v1/supervision_item/{pk}/transition/close", json={"close_opinion": "同意销号"},
                      headers=headers)
    assert answer.status_code == 403
    assert "Only the units that run “Supervision” may “Close and strike off”" in str(answer.json)
    page = as_role("manager", "zh").post(f"/supervisionitemview/transition/{pk}/close",
                                         data={"close_opinion": "同意销号"}, follow_redirects=True)
    assert any("只有承担“督查督办”职能的单位可以“办结销号”" in a for a in alerts(page.get_data(as_text=True)))
    # a leader decides, but does not keep the books: the step is not his role's
    api, headers = api_client(app, "leader", "en")
    assert api.post(f"/api/v1/supervision_item/{pk}/transition/close", json={"close_opinion": "同意"},
                    headers=headers).status_code == 403
    item = _item(app, pk)
    assert (item.status, item.closed_at, item.struck_off_by) == ("SUBMITTED", None, None)


def test_an_item_is_struck_off_only_on_its_final_report(app):
    pk = _submitted(app, final=False)
    with owning(app, "F06_Supervision"):
        api, headers = api_client(app, "manager", "zh")
        answer = api.post(f"/api/v1/supervision_item/{pk}/transition/close", json={"close_opinion": "同意销号"},
                          headers=headers)
    assert answer.status_code == 422
    assert "办结报告" in str(answer.json)
    assert _item(app, pk).status == "SUBMITTED"


def test_the_supervision_office_strikes_an_item_off_and_the_ledger_shows_who_and_when(app, as_role):
    pk = _submitted(app, final=True)
    with owning(app, "F06_Supervision"):
        page = as_role("manager", "en").get(f"/supervisionitemview/show/{pk}").get_data(as_text=True)
        assert 'data-transition="close"' in page and "Close and strike off" in page
        api, headers = api_client(app, "manager", "en")
        answer = api.post(f"/api/v1/supervision_item/{pk}/transition/close",
                          json={"close_opinion": "已按要求完成，同意销号"}, headers=headers)
        assert answer.status_code == 200, answer.json
    item = _item(app, pk)
    assert (item.status, item.closed_at, item.struck_off_by) == ("CLOSED", today_cn(), "manager测试")
    assert item.strike_off_basis.startswith("办结报告：") and "2026-02-03" in item.strike_off_basis
    shown = as_role("leader", "zh").get(f"/supervisionitemview/show/{pk}").get_data(as_text=True)
    assert "已办结销号" in shown and "销号人" in shown and "manager测试" in shown
    url = f"/supervisionitemview/ledger/supervision/?_flt_0_title={item.title}"
    rows = _rows(as_role("leader", "zh").get(url).data)
    header = next(r for r in rows if "督办编号" in r)
    line = next(r for r in rows if item.title in r)
    assert line[header.index("状态")] == "已办结销号"
    assert line[header.index("销号人")] == "manager测试"
    assert str(line[header.index("销号日期")])[:10] == today_cn().isoformat()


def test_a_basis_typed_in_the_step_is_kept(app):
    pk = _submitted(app, final=True)
    with owning(app, "F06_Supervision"):
        api, headers = api_client(app, "clerk", "en")
        answer = api.post(f"/api/v1/supervision_item/{pk}/transition/close",
                          json={"close_opinion": "同意", "strike_off_basis": "市发改委书面报告（厦发改〔2026〕3号）"},
                          headers=headers)
        assert answer.status_code == 200, answer.json
    item = _item(app, pk)
    assert (item.strike_off_basis, item.struck_off_by) == ("市发改委书面报告（厦发改〔2026〕3号）", "clerk测试")


# --- 督查通报 ----------------------------------------------------------------------------------------
def _month() -> tuple[int, int, dt.date, dt.date]:
    """Three months back from this one: a whole month in the past, among the choices."""
    first = today_cn().replace(day=1)
    for _ in range(3):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month, first, last


def _bulletin_month(app) -> dict:
    """Two lead units with a month of supervision: unit A — one item opened and struck off on time,
    one struck off late, one overdue and open, one overdue at the month's end but struck off
    after it, a draft (not counted), two urgings in the month and one after it; unit B — one
    item opened, urged once through its item (the urging names no unit)."""
    year, month, first, last = _month()
    with app.app_context():
        a = make(db.session, Department, name_zh=f"通报甲单位{_tag()}")
        b = make(db.session, Department, name_zh=f"通报乙单位{_tag()}")
        s = db.session
        make(s, SupervisionItem, lead_department=a, status="CLOSED", opened_at=first + dt.timedelta(days=1),
             due_date=first + dt.timedelta(days=20), closed_at=first + dt.timedelta(days=10), close_opinion="按期")
        make(s, SupervisionItem, lead_department=a, status="CLOSED", opened_at=first - dt.timedelta(days=40),
             due_date=first + dt.timedelta(days=2), closed_at=first + dt.timedelta(days=9), close_opinion="逾期")
        open_item = make(s, SupervisionItem, lead_department=a, status="IN_PROGRESS",
                         opened_at=first - dt.timedelta(days=30), due_date=first + dt.timedelta(days=5))
        make(s, SupervisionItem, lead_department=a, status="CLOSED", opened_at=first - dt.timedelta(days=30),
             due_date=first + dt.timedelta(days=6), closed_at=last + dt.timedelta(days=3), close_opinion="次月")
        make(s, SupervisionItem, lead_department=a, status="DRAFT", opened_at=first + dt.timedelta(days=2))
        for day in (3, 12):
            make(s, UrgeRecord, item=open_item, department=a,
                 urged_at=dt.datetime.combine(first + dt.timedelta(days=day), dt.time(10)))
        make(s, UrgeRecord, item=open_item, department=a, urged_at=dt.datetime.combine(last + dt.timedelta(days=1),
                                                                                     dt.time(10)))
        b_item = make(s, SupervisionItem, lead_department=b, status="IN_PROGRESS",
                      opened_at=first + dt.timedelta(days=4), due_date=last + dt.timedelta(days=60))
        make(s, UrgeRecord, item=b_item, department=None, urged_at=dt.datetime.combine(last, dt.time(16)))
        s.commit()
        return {"year": year, "month": month, "param": f"{year}-{month:02d}", "a": a.id, "b": b.id,
                "a_name": a.name_zh, "b_name": b.name_zh}


def test_the_bulletin_counts_a_constructed_month(app):
    m = _bulletin_month(app)
    with app.app_context():
        rows = monthly_bulletin(db.session, m["year"], m["month"],
                                SupervisionItem.lead_department_id.in_([m["a"], m["b"]]))
    counts = {r.unit_id: (r.opened, r.on_time, r.late, r.overdue, r.urged) for r in rows}
    assert counts[m["a"]] == (1, 1, 1, 2, 2)
    assert counts[m["b"]] == (1, 0, 0, 0, 1)
    total = rows[-1]
    assert (total.seq, total.unit_id) == (None, None)
    assert (total.opened, total.on_time, total.late, total.overdue, total.urged, total.on_time_rate) == \
        (2, 1, 1, 2, 3, 50.0)


def test_the_bulletin_page_excel_and_print(app, as_role):
    m = _bulletin_month(app)
    leader = as_role("leader", "zh")
    menu = leader.get("/").get_data(as_text=True)
    assert BULLETIN in menu
    page = leader.get(f"{BULLETIN}?month={m['param']}").get_data(as_text=True)
    assert f"{m['year']}年{m['month']}月督查通报" in page and m["a_name"] in page and m["b_name"] in page
    assert "按期销号" in page and "逾期未销号" in page and "合计" in page

    data = leader.get(f"{BULLETIN_XLSX}?month={m['param']}").data
    rows = _rows(data)
    assert rows[0][0] == f"{m['year']}年{m['month']}月督查通报"
    header = next(r for r in rows if "牵头单位" in r)
    assert header[:8] == ["序号", "牵头单位", "新立项", "按期销号", "逾期销号", "逾期未销号", "催办次数",
                          "按期销号率（%）"]
    line_a = next(r for r in rows if r[1] == m["a_name"])
    assert line_a[2:8] == [1, 1, 1, 2, 2, 50]
    line_b = next(r for r in rows if r[1] == m["b_name"])
    assert line_b[2:7] == [1, 0, 0, 0, 1] and line_b[7] in ("", None)
    assert rows[-1][1] == "合计" and rows[-1][0] in ("", None)

    sheet = leader.get(f"{BULLETIN_PRINT}?month={m['param']}").get_data(as_text=True)
    assert "厦门市人民政府办公厅" in sheet and m["a_name"] in sheet and "返回报表" in sheet
    with app.app_context():
        details = [e.detail for e in db.session.scalars(select(AuditLog).where(AuditLog.action == "EXPORT"))
                   if '"supervision_bulletin"' in (e.detail or "")]
    assert any("ledger_print" in d for d in details) and any("ledger_export" in d for d in details)


def test_the_bulletin_reads_only_the_readers_scope(app, as_role):
    m = _bulletin_month(app)
    with app.app_context():
        outside = make(db.session, Department, parent_id=None, name_zh=f"范围外单位{_tag()}")
        make(db.session, SupervisionItem, lead_department=outside, status="IN_PROGRESS",
             opened_at=dt.date(m["year"], m["month"], 2), due_date=dt.date(2099, 1, 1))
        db.session.commit()
        name = outside.name_zh
    manager = as_role("manager", "zh").get(f"{BULLETIN}?month={m['param']}").get_data(as_text=True)
    assert m["a_name"] in manager and name not in manager
    assert name in as_role("leader", "zh").get(f"{BULLETIN}?month={m['param']}").get_data(as_text=True)


def test_a_month_not_offered_is_refused(app, as_role):
    leader = as_role("leader", "en")
    page = leader.get(f"{BULLETIN}?month=1999-01").get_data(as_text=True)
    assert "is not one of the choices offered" in page
    answer = leader.get(f"{BULLETIN_XLSX}?month=1999-01")
    assert answer.status_code == 302 and "/report/supervision_bulletin/" in answer.location


def test_the_dashboard_counts_items_struck_off_this_year(app, as_role):
    with app.app_context():
        make(db.session, SupervisionItem, status="CLOSED", opened_at=today_cn().replace(month=1, day=1),
             due_date=today_cn(), closed_at=today_cn(), close_opinion="按期办结", struck_off_by="督查员")
        db.session.commit()
    page = as_role("leader", "zh").get("/").get_data(as_text=True)
    assert "本年督办事项销号情况" in page and "本年按期销号率" in page
    assert BULLETIN in page
