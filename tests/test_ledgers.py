"""Ledger reports (台账, docs/domain.md §10): what a manager hands to a leader unchanged.

Each test builds its own small data set and reads the workbook back the way Excel would
(python_calamine for values, openpyxl for formats), filtering its ledger through the list's
own filters so that records other tests left in the database do not count.
"""
from __future__ import annotations

import datetime as dt
import html
import io
import re
import uuid

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from app.extensions import db
from models.audit import AuditLog
from models.base import today_cn
from models.hotline import HotlineCase
from models.org import Department, Personnel
from models.proposals import Proposal, ProposalAssignment, ProposalEvaluation, ProposalReply
from models.supervision import SupervisionItem
from tests.conftest import PASSWORD, login, place_user
from tests.factories import make

D = dt.date
T = dt.datetime


# --- reading ----------------------------------------------------------------------------------------
def sheets(data: bytes) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def first(data: bytes) -> list[list]:
    return next(iter(sheets(data).values()))


def records(rows: list[list]) -> list[dict]:
    """The data rows under the header (row 3) as {header: value}; the totals row of a summary too."""
    header = rows[2]
    return [dict(zip(header, row, strict=True)) for row in rows[3:]]


def marker() -> str:
    return uuid.uuid4().hex[:8]


def list_url(app, model, *filters) -> str:
    """The entity's list filtered by (column, FAB filter arg name, value), as a user gets it."""
    from app.dashboard.links import list_url as url
    from app.registry.spec import entity_for

    with app.test_request_context():
        found = url(entity_for(model), *filters)
    assert found, filters
    return found


def ledger_link(client, url: str, key: str) -> str:
    """The ledger button's target on the list page at `url`."""
    page = client.get(url).data.decode()
    found = re.search(rf'href="([^"]*/ledger/{key}/[^"]*)"', page)
    assert found, f"no ledger button for {key} on {url}"
    return html.unescape(found.group(1))


def xlsx(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return response.data


# --- data ---------------------------------------------------------------------------------------------
def units(app, *names: str) -> list[int]:
    """Units under the test users' unit: in a Manager's scope."""
    with app.app_context():
        made = [make(db.session, Department, name_zh=name, name_en=f"Unit {name}", sort_order=i)
                for i, name in enumerate(names, start=1)]
        db.session.commit()
        return [u.id for u in made]


def proposals(app, session_label: str) -> tuple[int, int]:
    """Five proposals of one session: A leads three (one co-handled by B), B leads two (one
    co-handled by A); replies on time, late, within an extension, and none; evaluations."""
    a_id, b_id = units(app, f"甲局{session_label}", f"乙局{session_label}")
    with app.app_context():
        a, b = db.session.get(Department, a_id), db.session.get(Department, b_id)

        def proposal(number, lead, co=None, reply=None, answer=None, verdict=None, **dates):
            p = make(db.session, Proposal, kind="CPPCC_TIAN", session_label=session_label, number=number,
                     title=f"提案{number}", assigned_at=D(2026, 1, 5), **dates)
            make(db.session, ProposalAssignment, proposal=p, department=lead, role="ZHUBAN")
            if co is not None:
                make(db.session, ProposalAssignment, proposal=p, department=co, role="XIEBAN")
            if reply is not None:
                make(db.session, ProposalReply, proposal=p, department=lead, reply_date=reply, answer_category=answer)
            if verdict is not None:
                make(db.session, ProposalEvaluation, proposal=p, evaluated_at=D(2026, 6, 1), result=verdict)

        proposal(1, a, co=b, reply=D(2026, 3, 1), answer="A", verdict="MANYI")          # due 5 Apr: on time
        proposal(2, a, reply=D(2026, 5, 1), answer="B", verdict="BUMANYI")              # late
        proposal(3, a)                                                                   # not replied
        proposal(4, b, co=a, reply=D(2026, 4, 5), answer="C", verdict="JIBEN")          # on the due date
        proposal(5, b, reply=D(2026, 2, 20), answer="D", verdict="WEIPINGJIA",          # within its extension
                 due_date=D(2026, 2, 1), extended_due_date=D(2026, 3, 1))
        db.session.commit()
    return a_id, b_id


def hotline_cases(app, street: str) -> tuple[int, int]:
    """Five cases of one street: three for A, one for B, one answered by the centre directly.
    An inquiry (咨询) is accepted within 24 hours of dispatch (the seeded time limits)."""
    a_id, b_id = units(app, f"甲办{street}", f"乙办{street}")
    dispatched = T(2026, 3, 2, 9, 0)
    with app.app_context():
        a, b = db.session.get(Department, a_id), db.session.get(Department, b_id)

        def case(unit, status, accepted=None, replied=None, due=T(2026, 3, 4, 9, 0), resolved=False,
                 satisfaction=None):
            make(db.session, HotlineCase, street=street, content="测试诉求", appeal_type="ZIXUN", urgency="YIBAN",
                 received_at=T(2026, 3, 2, 8, 0), handler_department=unit,
                 dispatched_at=dispatched if unit is not None else None, accepted_at=accepted, due_at=due,
                 replied_at=replied, status=status, reply="已答复" if replied else None, is_resolved=resolved,
                 satisfaction=satisfaction)

        case(a, "CLOSED", accepted=T(2026, 3, 2, 10, 0), replied=T(2026, 3, 3, 9, 0), resolved=True,
             satisfaction="MANYI")
        case(a, "VISITED", accepted=T(2026, 3, 4, 9, 0), replied=T(2026, 3, 10, 9, 0), satisfaction="BUMANYI")
        case(a, "HANDLING", accepted=T(2026, 3, 2, 11, 0))
        case(b, "REPLIED", accepted=T(2026, 3, 2, 9, 30), replied=T(2026, 3, 3, 17, 0), resolved=True,
             satisfaction="JIBEN")
        case(None, "ANSWERED_DIRECT", replied=T(2026, 3, 2, 8, 30), resolved=True, satisfaction="WEIPINGJIA")
        db.session.commit()
    return a_id, b_id


# --- summaries: the figures, exactly ------------------------------------------------------------------
def test_proposal_summary_counts_and_rates_per_unit(app, as_role):
    label = f"测试{marker()}"
    proposals(app, label)
    client = as_role("manager", lang="zh")
    url = ledger_link(client, list_url(app, Proposal, ("session_label", "eq", label)), "proposals")
    book = sheets(xlsx(client.get(url)))
    detail, summary = list(book.values())
    assert len(records(detail)) == 5
    rows = {r["承办单位"]: r for r in records(summary)}
    a, b, total = rows[f"甲局{label}"], rows[f"乙局{label}"], rows["合计"]
    assert (a["主办件数"], a["协办件数"], a["已答复"], a["按期答复率"]) == (3, 1, 2, 0.5)
    assert (a["A类"], a["B类"], a["C类"], a["D类"]) == (1, 1, 0, 0)
    assert (a["满意"], a["基本满意"], a["不满意"], a["满意率"]) == (1, 0, 1, 0.5)
    assert (b["主办件数"], b["协办件数"], b["已答复"], b["按期答复率"]) == (2, 1, 2, 1.0)
    assert (b["C类"], b["D类"], b["基本满意"], b["满意率"]) == (1, 1, 1, 1.0)   # 未评价 is no verdict
    assert (total["主办件数"], total["协办件数"], total["已答复"], total["按期答复率"]) == (5, 2, 4, 0.75)
    assert total["满意率"] == pytest.approx(2 / 3)
    assert list(rows) == [f"甲局{label}", f"乙局{label}", "合计"]           # units in their official order


def test_hotline_summary_counts_and_rates_per_unit(app, as_role):
    street = f"测试街道{marker()}"
    hotline_cases(app, street)
    client = as_role("manager", lang="zh")
    url = ledger_link(client, list_url(app, HotlineCase, ("street", "eq", street)), "hotline_cases")
    detail, summary = list(sheets(xlsx(client.get(url))).values())
    assert len(records(detail)) == 5
    rows = {r["承办单位"]: r for r in records(summary)}
    a, b, centre, total = rows[f"甲办{street}"], rows[f"乙办{street}"], rows["（未派单）"], rows["合计"]
    assert (a["受理量"], a["签收量"], a["按时签收率"], a["办结量"]) == (3, 3, pytest.approx(2 / 3), 2)
    assert (a["按时办结率"], a["解决率"], a["满意率"]) == (0.5, 0.5, 0.5)
    assert (b["受理量"], b["按时签收率"], b["按时办结率"], b["解决率"], b["满意率"]) == (1, 1.0, 1.0, 1.0, 1.0)
    assert (centre["受理量"], centre["签收量"], centre["按时签收率"], centre["满意率"]) == (1, 0, "", "")
    assert (total["受理量"], total["签收量"], total["办结量"]) == (5, 4, 4)
    assert (total["按时签收率"], total["按时办结率"], total["解决率"]) == (0.75, 0.75, 0.75)
    assert total["满意率"] == pytest.approx(2 / 3)


def test_hotline_summary_agrees_with_the_dashboard(app, as_role):
    """The whole ledger's totals are the dashboard's "Answered on time" and "Satisfaction rate"."""
    from flask import g
    from flask_login import login_user

    from views.hotline import hotline_panel as hotline

    hotline_cases(app, f"测试街道{marker()}")
    client = as_role("admin", lang="en")
    _detail, summary = list(sheets(xlsx(client.get("/hotlinecaseview/ledger/hotline_cases/"))).values())
    total = records(summary)[-1]
    with app.test_request_context():
        g.user = app.appbuilder.sm.find_user("admin")
        login_user(g.user)
        on_time, satisfaction = hotline().rates
    assert total["Handling unit"] == "Total"
    assert total["Cases answered"] == on_time.denominator
    assert total["Answered on time rate"] == pytest.approx(on_time.numerator / on_time.denominator)
    assert total["Satisfaction rate"] == pytest.approx(satisfaction.numerator / satisfaction.denominator)


def test_rates_are_numbers_formatted_as_percentages_under_a_frozen_filtered_header(app, as_role):
    label = f"测试{marker()}"
    proposals(app, label)
    client = as_role("manager", lang="zh")
    url = ledger_link(client, list_url(app, Proposal, ("session_label", "eq", label)), "proposals")
    book = load_workbook(io.BytesIO(xlsx(client.get(url))))
    detail, summary = book.worksheets
    for ws in (detail, summary):
        assert ws.freeze_panes == "A4"                # title, date and filters, then the header
        assert ws.auto_filter.ref.startswith("A3:")
    header = [c.value for c in summary[3]]
    rate = summary.cell(row=4, column=header.index("按期答复率") + 1)
    assert rate.value == 0.5 and rate.number_format == "0.0%"
    assert summary.cell(row=summary.max_row, column=1).value == "合计"
    assert summary.auto_filter.ref == f"A3:{summary.cell(row=3, column=len(header)).column_letter}5"  # not the totals


# --- titles, headers, language ------------------------------------------------------------------------
def test_title_lines_and_headers_in_chinese_and_english(app, as_role):
    title = f"台账标题{marker()}"
    with app.app_context():
        make(db.session, SupervisionItem, title=title, item_no=f"DB-{marker()}", due_date=D(2026, 5, 31))
        db.session.commit()
    url = list_url(app, SupervisionItem, ("title", "eq", title)).replace("/list/", "/ledger/supervision/")
    zh = first(xlsx(as_role("manager", lang="zh").get(url)))
    today = today_cn().isoformat()
    assert zh[0][0] == "督办事项台账"
    assert zh[1][0] == f"导出日期：{today}；筛选条件：标题：{title}；单位范围：测试处及其下属单位"
    assert zh[2][:5] == ["序号", "督办编号", "来源", "来源文号/名称", "标题"]
    assert {"牵头单位", "办理时限", "最新进展", "逾期天数", "亮灯"} <= set(zh[2])
    (row,) = records(zh)
    assert (row["序号"], row["标题"], row["办理时限"]) == (1, title, D(2026, 5, 31))   # a real date
    assert row["状态"] == "拟立项"                       # the label, not the code
    en = first(xlsx(as_role("manager", lang="en").get(url)))
    assert en[0][0] == "Supervision items ledger"
    assert en[1][0] == f"Exported on {today}; Filters: Title: {title}; Units: Test Division and the units under it"
    assert en[2][:5] == ["No.", "Supervision number", "Source", "Source reference", "Title"]
    assert records(en)[0]["Status"] == "Draft" and records(en)[0]["Due date"] == D(2026, 5, 31)


def test_text_that_looks_like_a_formula_stays_text(app, as_role):
    title = f"=SUM(A1:A9){marker()}"
    with app.app_context():
        make(db.session, SupervisionItem, title=title)
        db.session.commit()
    url = list_url(app, SupervisionItem, ("title", "eq", title)).replace("/list/", "/ledger/supervision/")
    book = load_workbook(io.BytesIO(xlsx(as_role("admin").get(url))))
    header = [c.value for c in book.worksheets[0][3]]
    cell = book.worksheets[0].cell(row=4, column=header.index("标题") + 1)
    assert cell.value == title and cell.data_type == "s"


# --- personal data --------------------------------------------------------------------------------------
def test_staff_roster_never_holds_id_numbers_or_mobiles(app, as_role):
    name = f"花名册{marker()}"
    with app.app_context():
        make(db.session, Personnel, name=name, gender="2", id_card_no="350203199001011234", mobile="13812345678",
             birth_date=D(1990, 1, 1), post_title="科员")
        db.session.commit()
    url = list_url(app, Personnel, ("name", "eq", name)).replace("/list/", "/ledger/staff_roster/")
    for role, birth in (("manager", "1990-**-**"), ("admin", D(1990, 1, 1))):
        rows = first(xlsx(as_role(role, lang="zh").get(url)))
        assert not {"身份证号", "身份证号码", "手机", "手机号码"} & set(rows[2])
        cells = {str(v) for row in rows for v in row}
        assert not any("350203" in v or "1381234" in v or "5678" in v for v in cells)
        (person,) = records(rows)
        assert person["姓名"] == name and person["性别"] == "女" and person["出生日期"] == birth


def test_hotline_ledger_never_holds_the_citizens_data(app, as_role):
    street = f"测试街道{marker()}"
    with app.app_context():
        make(db.session, HotlineCase, street=street, content="诉求", citizen_name="张三丰", citizen_phone="13900001111",
             citizen_id_card="350203198001011234", citizen_address="思明区某路1号")
        db.session.commit()
    url = list_url(app, HotlineCase, ("street", "eq", street)).replace("/list/", "/ledger/hotline_cases/")
    cells = {str(v) for rows in sheets(xlsx(as_role("admin").get(url))).values() for row in rows for v in row}
    assert not any(secret in v for v in cells for secret in ("张三丰", "13900001111", "350203198001", "某路1号"))


# --- scope, filters, permissions, audit ----------------------------------------------------------------
def test_a_managers_ledger_holds_only_his_units_records(app, as_role):
    tag = marker()
    (inside,) = units(app, f"本处{tag}")
    with app.app_context():
        outside = make(db.session, Department, name_zh=f"外单位{tag}", parent_id=None)
        make(db.session, SupervisionItem, title=f"范围内{tag}", lead_department_id=inside)
        make(db.session, SupervisionItem, title=f"范围外{tag}", lead_department=outside)
        db.session.commit()
    url = list_url(app, SupervisionItem, ("title", "ct", tag)).replace("/list/", "/ledger/supervision/")
    mine = [r["标题"] for r in records(first(xlsx(as_role("manager").get(url))))]
    assert mine == [f"范围内{tag}"]
    everything = sorted(r["标题"] for r in records(first(xlsx(as_role("admin").get(url)))))
    assert everything == sorted([f"范围内{tag}", f"范围外{tag}"])
    assert "全部单位" in first(xlsx(as_role("admin").get(url)))[1][0]


def test_the_lists_filters_and_order_carry_into_the_ledger(app, as_role):
    tag = marker()
    with app.app_context():
        for i, status in enumerate(["DRAFT", "APPROVED", "DRAFT"]):
            make(db.session, SupervisionItem, title=f"筛选{tag}-{i}", status=status, opened_at=D(2026, 1, 1 + i))
        db.session.commit()
    client = as_role("manager", lang="zh")
    url = list_url(app, SupervisionItem, ("title", "ct", tag), ("status", "eq", "DRAFT"))
    link = ledger_link(client, url + "&_oc_SupervisionItemView=opened_at&_od_SupervisionItemView=asc", "supervision")
    assert "_flt_" in link and "status" in link
    rows = first(xlsx(client.get(link)))
    assert [r["标题"] for r in records(rows)] == [f"筛选{tag}-0", f"筛选{tag}-2"]   # oldest first, as listed
    assert f"标题（包含）：{tag}" in rows[1][0] and "状态：拟立项" in rows[1][0]


def test_incoming_register_reads_incoming_documents_only(app, as_role):
    from models.documents import Document

    tag = marker()
    with app.app_context():
        make(db.session, Document, title=f"收文{tag}", direction="INCOMING", status="REGISTERED",
             receive_no=f"收{tag}")
        make(db.session, Document, title=f"发文{tag}", direction="OUTGOING")
        db.session.commit()
    client = as_role("manager", lang="zh")
    page = client.get(list_url(app, Document, ("title", "ct", tag))).data.decode()
    assert "/ledger/incoming_documents/" in page and "/ledger/outgoing_documents/" in page   # a drop-down
    url = ledger_link(client, list_url(app, Document, ("title", "ct", tag)), "incoming_documents")
    rows = first(xlsx(client.get(url)))
    assert rows[0][0] == "收文登记簿"
    assert [(r["标题"], r["收文编号"]) for r in records(rows)] == [(f"收文{tag}", f"收{tag}")]
    url = ledger_link(client, list_url(app, Document, ("title", "ct", tag)), "outgoing_documents")
    assert [r["标题"] for r in records(first(xlsx(client.get(url))))] == [f"发文{tag}"]


def test_who_may_not_export_gets_no_ledger_and_no_button(app, as_role):
    with app.app_context():
        before = db.session.query(AuditLog).filter_by(action="EXPORT").count()
    for role in ("viewer", "clerk"):
        client = as_role(role)
        assert client.get("/supervisionitemview/ledger/supervision/").status_code in (302, 403)
        assert client.get("/ledgers/").status_code in (302, 403)
        assert "/ledger/supervision/" not in client.get("/supervisionitemview/list/").data.decode()
    assert as_role("manager").get("/supervisionitemview/ledger/no_such_ledger/").status_code == 404
    assert as_role("manager").get("/proposalview/ledger/supervision/").status_code == 404   # not this entity's
    with app.app_context():
        assert db.session.query(AuditLog).filter_by(action="EXPORT").count() == before


def test_every_ledger_export_is_audited(app, as_role):
    title = f"审计{marker()}"
    with app.app_context():
        make(db.session, SupervisionItem, title=title)
        db.session.commit()
    url = list_url(app, SupervisionItem, ("title", "eq", title)).replace("/list/", "/ledger/supervision/")
    xlsx(as_role("manager", lang="zh").get(url))
    with app.app_context():
        entry = (db.session.query(AuditLog).filter_by(action="EXPORT", entity="SupervisionItem")
                 .order_by(AuditLog.id.desc()).first())
        assert entry.username == "manager"
        from app.history import detail_text

        assert "督办事项台账" in detail_text(entry) and "1" in entry.detail and "_flt_" in entry.detail


# --- the ledgers page -------------------------------------------------------------------------------------
def _user_exporting_supervision_only(app) -> str:
    """A role made by an admin: reads and exports supervision items, and may open the page."""
    from tests.conftest import TEST_UNIT_CODE

    username = f"ledger_{marker()}"
    with app.app_context():
        sm = app.appbuilder.sm
        role = sm.add_role(f"Supervision exporter {username}")
        for permission, view in (("can_read", "SupervisionItem"), ("can_list", "SupervisionItem"),
                                 ("can_export", "SupervisionItem"), ("can_export", "Ledgers"),
                                 ("menu_access", "Ledgers"), ("menu_access", "Reports")):
            pvm = sm.find_permission_view_menu(permission, view)
            if pvm is not None:
                sm.add_permission_role(role, pvm)
        user = sm.add_user(username, "Ledger", "Test", f"{username}@test.xm.gov.cn", [role], PASSWORD)
        place_user(db.session, user, db.session.query(Department).filter_by(code=TEST_UNIT_CODE).one())
    return username


def test_the_ledgers_page_lists_only_what_the_user_may_export(app, as_role):
    assert 'href="/ledgers/"' in as_role("manager").get("/").data.decode()          # in the menu
    assert 'href="/ledgers/"' not in as_role("viewer").get("/").data.decode()
    page = as_role("manager", lang="zh").get("/ledgers/").data.decode()
    for title in ("督办事项台账", "建议提案办理情况统计表", "收文登记簿", "发文登记簿", "干部花名册", "公务接待台账"):
        assert title in page
    assert 'href="/supervisionitemview/ledger/supervision/"' in page            # the whole ledger
    assert "/supervisionitemview/list/" in page                                 # filter first
    username = _user_exporting_supervision_only(app)
    client = app.test_client()
    login(client, username)
    page = client.get("/ledgers/").data.decode()
    assert "/ledger/supervision/" in page
    assert "/ledger/proposals/" not in page and "/ledger/staff_roster/" not in page
    assert client.get("/proposalview/ledger/proposals/").status_code in (302, 403)


def test_the_ledgers_page_speaks_the_users_language(app, as_role):
    from tests.pages import chinese_leftovers, english_leftovers

    zh = as_role("manager", lang="zh").get("/ledgers/").data.decode()
    assert english_leftovers(zh) == []
    en = as_role("manager", lang="en").get("/ledgers/").data.decode()
    assert chinese_leftovers(en) == []
    assert "Ledger reports" in en and "Supervision items ledger" in en


def test_every_declared_ledger_downloads_with_its_title_and_headers(app, as_role):
    from app.ledgers import LEDGERS
    from app.registry.spec import entity_for

    client = as_role("admin", lang="zh")
    for key, ledger in LEDGERS.items():
        url = f"/{entity_for(ledger.model).name.lower()}view/ledger/{key}/"
        book = sheets(xlsx(client.get(url)))
        detail = next(iter(book.values()))
        assert detail[1][0].startswith("导出日期："), key
        assert len(detail[2]) == len(ledger.columns), key
        assert not [h for h in detail[2] if re.fullmatch(r"[A-Za-z ]+", h)], (key, detail[2])   # all in Chinese
        assert len(book) == 1 + len(ledger.summary), key
    assert len(LEDGERS) >= 9


def test_incident_summary_agrees_with_the_dashboard(app, as_role):
    from flask import g
    from flask_login import login_user

    from views.duty import incidents_panel as incidents

    client = as_role("admin", lang="en")
    _detail, summary = list(sheets(xlsx(client.get("/incidentview/ledger/incident_reporting/"))).values())
    total = records(summary)[-1]
    with app.test_request_context():
        g.user = app.appbuilder.sm.find_user("admin")
        login_user(g.user)
        (rate,) = incidents().rates
    assert total["Reported within the limits"] == rate.numerator
    assert total["Reported within the limits"] + total["Reported late"] == rate.denominator


def test_a_summary_ranks_units_and_adds_up_sums():
    """Pure tally: equal totals share a rank; sums add up; the totals row has no rank."""
    from types import SimpleNamespace as Record

    from app.ledgers import ByUnit, Count, Sum, in_role

    spec = ByUnit(title="t", unit_header="unit", units=lambda r: [(r.unit, None)], rank_by="points",
                  measures=[Count("n", "n", in_role(None, lambda r: True)),
                            Sum("points", "points", lambda r: r.points)])
    tally = spec.start()
    for unit, points in (("b", 5), ("a", 3), ("a", 2), ("c", 1), ("c", None)):
        tally.add(Record(unit=unit, points=points))
    table = tally.table()
    assert table.headers[-1] == "Ranking" and table.kinds[-1] == "int"
    assert table.rows == [["a", 2, 5, 1], ["b", 1, 5, 1], ["c", 2, 1, 3]]
    assert table.totals == ["Total", 5, 11, None]
