"""Party affairs: the political-status rule, the activity-gap ledger (三会一课台账) and its
page and Excel file, the probationary-confirmation flag, dues defaults and arrears, and
who may open and export the ledgers."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from python_calamine import CalamineWorkbook

import views  # noqa: F401  (registers every entity)
from app.extensions import db
from models.base import today_cn
from models.org import Personnel
from models.party import (
    DuesPayment,
    PartyActivity,
    PartyBranch,
    PartyBranchCommittee,
    PartyMember,
    activity_ledger,
    add_years,
    dues_arrears,
    is_confirmation_overdue,
    quarter_of,
)
from tests.factories import make
from tests.helpers import api_client as _api
from tests.pages import alerts, chinese_leftovers, english_leftovers

_serial = iter(range(1, 10**6))

NOT_A_MEMBER = "cannot be registered as a Party member"
LEDGER_TYPES = ["DANGYUAN_DAHUI", "ZHIWEIHUI", "DANGXIAOZU", "DANGKE"]
#: The two report ledgers' pages and Excel files (app/ledgers/screens.py).
LEDGER_PAGE = "/partyactivityview/report/party_activity/"
LEDGER_XLSX = "/partyactivityview/ledger/party_activity/"
ARREARS_PAGE = "/duespaymentview/report/party_dues_arrears/"
ARREARS_XLSX = "/duespaymentview/ledger/party_dues_arrears/"


def _unique(prefix: str) -> str:
    return f"{prefix}{next(_serial)}"



def _read(data: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


def _members_of(app, person_id: int) -> int:
    with app.app_context():
        return db.session.query(PartyMember).filter_by(personnel_id=person_id).count()


def _branch(app, name: str | None = None) -> int:
    with app.app_context():
        branch = make(db.session, PartyBranch, name=name or _unique("测试党支部"))
        db.session.commit()
        return branch.id


def _person(app, status: str, name: str | None = None) -> int:
    with app.app_context():
        person = make(db.session, Personnel, name=name or _unique("测试人员"), political_status=status)
        db.session.commit()
        return person.id


# --- the political-status rule -------------------------------------------------------------------
def test_form_refuses_a_member_whose_political_status_is_not_cpc(app, as_role):
    branch_id, person_id = _branch(app), _person(app, "13", name=_unique("群众甲"))
    data = {"personnel": str(person_id), "branch": str(branch_id), "status": "NORMAL", "joined_date": "2020-07-01"}
    response = as_role("clerk", lang="en").post("/partymemberview/add", data=data)
    assert response.status_code == 200
    assert any(NOT_A_MEMBER in a and "Ordinary citizen" in a for a in alerts(response.data.decode()))
    assert _members_of(app, person_id) == 0


def test_form_refusal_speaks_chinese_too(app, as_role):
    branch_id, person_id = _branch(app), _person(app, "03", name=_unique("团员乙"))
    data = {"personnel": str(person_id), "branch": str(branch_id), "status": "NORMAL"}
    response = as_role("clerk", lang="zh").post("/partymemberview/add", data=data)
    assert response.status_code == 200
    assert alerts(response.data.decode())
    assert _members_of(app, person_id) == 0


def test_api_refuses_a_non_member_with_422_and_accepts_a_probationary_member(app):
    branch_id = _branch(app)
    outsider, probationary = _person(app, "12"), _person(app, "02")
    client, headers = _api(app)
    body = {"personnel_id": outsider, "branch_id": branch_id, "status": "NORMAL", "joined_date": "2026-03-01"}
    response = client.post("/api/v1/party_member/?_l_=en", json=body, headers=headers)
    assert response.status_code == 422, response.json
    assert any(NOT_A_MEMBER in m for m in response.json["message"]["rules"])
    assert _members_of(app, outsider) == 0
    ok = client.post("/api/v1/party_member/", json={**body, "personnel_id": probationary}, headers=headers)
    assert ok.status_code == 201, ok.json
    assert _members_of(app, probationary) == 1
    # the same person cannot be registered twice
    again = client.post("/api/v1/party_member/?_l_=en", json={**body, "personnel_id": probationary}, headers=headers)
    assert again.status_code == 422
    assert _members_of(app, probationary) == 1


def test_edit_to_a_non_member_is_refused_and_changes_nothing(app, as_role):
    branch_id = _branch(app)
    member_person, outsider = _person(app, "01"), _person(app, "13")
    with app.app_context():
        member = make(db.session, PartyMember, personnel=db.session.get(Personnel, member_person),
                      branch=db.session.get(PartyBranch, branch_id))
        db.session.commit()
        pk, version = member.id, member.row_version
    data = {"personnel": str(outsider), "branch": str(branch_id), "status": "NORMAL", "row_version": str(version)}
    response = as_role("clerk", lang="en").post(f"/partymemberview/edit/{pk}", data=data)
    assert response.status_code == 200
    assert any(NOT_A_MEMBER in a for a in alerts(response.data.decode()))
    with app.app_context():
        saved = db.session.get(PartyMember, pk)
        assert (saved.personnel_id, saved.row_version) == (member_person, version)


def test_a_probationary_member_cannot_sit_on_the_committee(app):
    branch_id, probationary = _branch(app), _person(app, "02")
    client, headers = _api(app)
    body = {"branch_id": branch_id, "personnel_id": probationary, "post": "ZUZHI", "seq": 1}
    response = client.post("/api/v1/party_branch_committee/?_l_=en", json=body, headers=headers)
    assert response.status_code == 422
    assert any("only a full CPC member" in m for m in response.json["message"]["rules"])
    with app.app_context():
        assert db.session.query(PartyBranchCommittee).filter_by(branch_id=branch_id).count() == 0


# --- the activity-gap ledger ----------------------------------------------------------------------
def _held(session, branch, day: dt.date, counts: dict[str, int], **extra) -> None:
    for kind, n in counts.items():
        for i in range(n):
            make(session, PartyActivity, branch=branch, activity_type=kind, topic=f"{kind}{i}",
                 activity_date=day + dt.timedelta(days=20 * i), **extra)


def _past_quarter_branch(app) -> int:
    """A branch that held, in the second quarter of 2025, 1 general meeting, 3 committee
    meetings, 2 Party group meetings and no Party lecture (a deleted lecture does not count)."""
    with app.app_context():
        branch = make(db.session, PartyBranch, name=_unique("台账测试党支部"), sort_order=1)
        _held(db.session, branch, dt.date(2025, 4, 8),
              {"DANGYUAN_DAHUI": 1, "ZHIWEIHUI": 3, "DANGXIAOZU": 2, "ZHUTI_DANGRI": 2})
        _held(db.session, branch, dt.date(2025, 5, 8), {"DANGKE": 1}, is_deleted=True)
        _held(db.session, branch, dt.date(2025, 3, 31), {"DANGKE": 1})  # previous quarter
        _held(db.session, branch, dt.date(2025, 7, 1), {"DANGXIAOZU": 1})  # next quarter
        db.session.commit()
        return branch.id


def test_ledger_of_a_past_quarter(app):
    branch_id = _past_quarter_branch(app)
    with app.app_context():
        rows = activity_ledger(db.session, 2025, 2, [branch_id])
    assert [r.activity_type for r in rows] == LEDGER_TYPES
    assert [(r.required, r.held) for r in rows] == [(1, 1), (3, 3), (3, 2), (1, 0)]
    assert [r.light for r in rows] == ["GREEN", "GREEN", "RED", "RED"]
    assert [r.shortfall for r in rows] == [0, 0, 1, 1]
    assert rows[1].last_held == dt.date(2025, 4, 8) + dt.timedelta(days=40)


def test_ledger_while_the_quarter_runs_is_yellow_for_what_is_not_yet_met(app):
    branch_id = _past_quarter_branch(app)
    with app.app_context():
        rows = activity_ledger(db.session, 2025, 2, [branch_id], today=dt.date(2025, 5, 30))
        assert [r.light for r in rows] == ["GREEN", "GREEN", "YELLOW", "YELLOW"]
        # the current quarter, on the real clock
        today = today_cn()
        branch = db.session.get(PartyBranch, branch_id)
        make(db.session, PartyActivity, branch=branch, activity_type="DANGYUAN_DAHUI", topic="本季度党员大会",
             activity_date=today)
        db.session.commit()
        year, quarter = quarter_of(today)
        rows = activity_ledger(db.session, year, quarter, [branch_id])
    assert [(r.activity_type, r.held, r.light) for r in rows] == [
        ("DANGYUAN_DAHUI", 1, "GREEN"), ("ZHIWEIHUI", 0, "YELLOW"), ("DANGXIAOZU", 0, "YELLOW"),
        ("DANGKE", 0, "YELLOW")]


def test_ledger_leaves_out_branches_established_later_and_deleted_ones(app):
    with app.app_context():
        later = make(db.session, PartyBranch, name=_unique("新成立党支部"), established_date=dt.date(2026, 1, 5))
        gone = make(db.session, PartyBranch, name=_unique("已撤销党支部"), is_deleted=True)
        db.session.commit()
        assert activity_ledger(db.session, 2025, 4, [later.id, gone.id]) == []
        assert len(activity_ledger(db.session, 2026, 1, [later.id, gone.id])) == 4
        assert activity_ledger(db.session, 2025, 4, []) == []


def test_ledger_page_in_chinese(app, as_role):
    branch_id = _past_quarter_branch(app)
    response = as_role("manager", lang="zh").get(f"{LEDGER_PAGE}?year=2025&quarter=2&branch={branch_id}")
    assert response.status_code == 200
    page = response.data.decode()
    assert "2025年第2季度“三会一课”落实情况台账" in page
    assert "支部党员大会" in page and "党小组会" in page
    assert page.count("label-success") == 2 and page.count("label-danger") == 2
    assert "红灯" in page and "绿灯" in page
    assert "导出Excel" in page
    assert english_leftovers(page) == []


def test_ledger_page_in_english(app, as_role):
    branch_id = _past_quarter_branch(app)
    page = as_role("manager", lang="en").get(
        f"{LEDGER_PAGE}?year=2025&quarter=2&branch={branch_id}").data.decode()
    assert "Implementation of the three meetings and one lesson, Q2 2025" in page
    assert "Branch general meeting" in page and "Party lecture" in page
    assert "Overdue" in page and "On track" in page
    assert chinese_leftovers(page) == []


def test_ledger_page_survives_nonsense_parameters(app, as_role):
    response = as_role("viewer").get(f"{LEDGER_PAGE}?year=abc&quarter=9&branch=x")
    assert response.status_code == 200


def test_ledger_excel_file(app, as_role):
    branch_id = _past_quarter_branch(app)
    response = as_role("manager", lang="zh").get(f"{LEDGER_XLSX}?year=2025&quarter=2&branch={branch_id}")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    rows = [r for r in _read(response.data) if any(c not in ("", None) for c in r)]
    assert rows[0][0] == "2025年第2季度“三会一课”落实情况台账"
    assert rows[1][0].startswith("导出日期：")                          # the ledgers' second title line
    assert "年度：2025；季度：第2季度；党支部：" in rows[1][0]
    header = rows[2]
    assert header == ["序号", "党支部", "活动类型", "频次要求", "应开次数", "实开次数", "差额", "亮灯", "最近召开日期"]
    data = rows[3:]
    assert len(data) == 4  # one row per branch × required activity type
    assert [r[2] for r in data] == ["支部党员大会", "支部委员会", "党小组会", "党课"]
    assert [(r[4], r[5]) for r in data] == [(1, 1), (3, 3), (3, 2), (1, 0)]
    assert [r[7] for r in data] == ["绿灯", "绿灯", "红灯", "红灯"]
    assert isinstance(data[0][8], dt.date)


def test_ledger_excel_headers_follow_the_language(app, as_role):
    branch_id = _past_quarter_branch(app)
    data = as_role("leader", lang="en").get(f"{LEDGER_XLSX}?year=2025&quarter=2&branch={branch_id}").data
    rows = [r for r in _read(data) if any(c not in ("", None) for c in r)]
    assert rows[0][0] == "Implementation of the three meetings and one lesson, Q2 2025"
    assert rows[1][0].startswith("Exported on ") and "Year: 2025; Quarter: Q2; Branch: " in rows[1][0]
    assert rows[2][:4] == ["No.", "Branch", "Activity type", "Frequency"]
    assert len(rows) == 7


def test_viewer_opens_the_ledger_but_cannot_export_a_manager_can(app, as_role):
    viewer = as_role("viewer", lang="en")
    page = viewer.get(LEDGER_PAGE)
    assert page.status_code == 200
    assert LEDGER_XLSX not in page.data.decode()
    assert viewer.get(LEDGER_XLSX).status_code in (302, 403)
    assert f'href="{LEDGER_PAGE}" class="active"' in page.data.decode()  # in the viewer's menu
    manager = as_role("manager", lang="en")
    page = manager.get(LEDGER_PAGE).data.decode()
    assert LEDGER_XLSX in page
    assert manager.get(LEDGER_XLSX).status_code == 200
    assert as_role("clerk").get(LEDGER_XLSX).status_code in (302, 403)


# --- probationary members --------------------------------------------------------------------------
def _member(session, **values) -> PartyMember:
    return make(session, PartyMember, personnel=make(session, Personnel, political_status="02"), **values)


def test_probationary_confirmation_flag(app):
    today = today_cn()
    with app.app_context():
        overdue = _member(db.session, joined_date=add_years(today, -1) - dt.timedelta(days=61))   # ~14 months
        confirmed = _member(db.session, joined_date=add_years(today, -1) - dt.timedelta(days=61),
                            confirmed_date=add_years(today, -1) + dt.timedelta(days=5))
        recent = _member(db.session, joined_date=today - dt.timedelta(days=183))                  # ~6 months
        due_soon = _member(db.session, joined_date=add_years(today, -1) + dt.timedelta(days=10))
        assert overdue.confirmation_overdue is True and overdue.confirmation_light == "RED"
        assert confirmed.confirmation_overdue is False and confirmed.confirmation_light is None
        assert recent.confirmation_overdue is False and recent.confirmation_light == "GREEN"
        assert due_soon.confirmation_overdue is False and due_soon.confirmation_light == "YELLOW"
        assert is_confirmation_overdue(recent, today=today + dt.timedelta(days=200)) is True
        db.session.rollback()


def test_confirmation_makes_the_personnel_record_a_full_member(app):
    with app.app_context():
        member = _member(db.session, joined_date=dt.date(2025, 3, 1))
        member.confirmed_date = dt.date(2026, 3, 2)
        db.session.commit()
        assert member.personnel.political_status == "01"
        assert member.personnel.party_branch == member.branch.name
        assert member.name == member.personnel.name
        member.branch.name = _unique("改名后党支部")
        db.session.commit()
        assert member.personnel.party_branch == member.branch.name


# --- branches --------------------------------------------------------------------------------------
def test_branch_term_defaults_to_three_years_and_lights_up(app):
    today = today_cn()
    with app.app_context():
        green = make(db.session, PartyBranch, name=_unique("换届绿"), term_start=add_years(today, -1))
        yellow = make(db.session, PartyBranch, name=_unique("换届黄"),
                      term_start=add_years(today, -3) + dt.timedelta(days=30))
        red = make(db.session, PartyBranch, name=_unique("换届红"),
                   term_start=add_years(today, -3) - dt.timedelta(days=1))
        db.session.commit()
        assert green.term_end == add_years(today, 2)
        assert (green.term_light, yellow.term_light, red.term_light) == ("GREEN", "YELLOW", "RED")
        member = _member(db.session, branch=green)
        _member(db.session, branch=green, status="TRANSFERRED_OUT")
        _member(db.session, branch=green, status="MOBILE")
        db.session.refresh(green)
        assert green.member_count == 2
        assert member in green.members


# --- dues --------------------------------------------------------------------------------------------
def test_dues_amount_defaults_to_base_times_rate_by_api_and_form(app, as_role):
    with app.app_context():
        member = _member(db.session)
        db.session.commit()
        member_id = member.id
    client, headers = _api(app)
    response = client.post("/api/v1/dues_payment/", headers=headers,
                           json={"member_id": member_id, "month": "2026-03-17", "base": 8000})
    assert response.status_code == 201, response.json
    pk = response.json["id"]
    form = {"member": str(member_id), "month": "2026-04-01", "base": "4000", "rate": "1"}
    assert as_role("clerk").post("/duespaymentview/add", data=form).status_code == 302
    form = {"member": str(member_id), "month": "2026-05-01", "base": "12000", "rate": "2", "amount": "200.00"}
    assert as_role("clerk").post("/duespaymentview/add", data=form).status_code == 302
    with app.app_context():
        march = db.session.get(DuesPayment, pk)
        assert (march.month, march.rate, march.amount) == (dt.date(2026, 3, 1), Decimal("1.50"), Decimal("120.00"))
        april = db.session.query(DuesPayment).filter_by(member_id=member_id, month=dt.date(2026, 4, 1)).one()
        assert april.amount == Decimal("40.00")
        may = db.session.query(DuesPayment).filter_by(member_id=member_id, month=dt.date(2026, 5, 1)).one()
        assert may.amount == Decimal("200.00")  # what the clerk typed is kept
    again = client.post("/api/v1/dues_payment/?_l_=en", headers=headers,
                        json={"member_id": member_id, "month": "2026-03-28", "base": 8000})
    assert again.status_code == 422
    assert any("already recorded" in m for m in again.json["message"]["rules"])


def test_dues_arrears_up_to_the_current_month(app):
    with app.app_context():
        branch = make(db.session, PartyBranch, name=_unique("欠缴测试党支部"))
        payer = _member(db.session, branch=branch, joined_date=dt.date(2020, 6, 1))
        late = _member(db.session, branch=branch, joined_date=dt.date(2020, 6, 1))
        newcomer = _member(db.session, branch=branch, joined_date=dt.date(2026, 4, 10))
        for month in (1, 2, 3, 4, 5):
            make(db.session, DuesPayment, member=payer, month=dt.date(2026, month, 1), base=Decimal("8000"),
                 paid_date=dt.date(2026, month, 10))
        for month in (1, 2):
            make(db.session, DuesPayment, member=late, month=dt.date(2026, month, 1), base=Decimal("8000"),
                 paid_date=dt.date(2026, month, 10))
        make(db.session, DuesPayment, member=late, month=dt.date(2026, 3, 1), base=Decimal("6000"))  # unpaid
        db.session.commit()
        rows = dues_arrears(db.session, 2026, [branch.id], today=dt.date(2026, 5, 20))
        by_id = {r.member_id: r for r in rows}
        assert payer.id not in by_id
        assert [f"{m:%Y-%m}" for m in by_id[late.id].months] == ["2026-03", "2026-04", "2026-05"]
        # the unpaid March row's amount, then the last known amount (March's) for April and May
        assert by_id[late.id].owed == Decimal("270.00")
        assert by_id[late.id].last_paid == dt.date(2026, 2, 1)
        assert [f"{m:%Y-%m}" for m in by_id[newcomer.id].months] == ["2026-04", "2026-05"]
        assert by_id[newcomer.id].owed is None


def test_arrears_page_and_export(app, as_role):
    assert as_role("viewer", lang="zh").get(ARREARS_PAGE).status_code == 200
    assert as_role("viewer").get(ARREARS_XLSX).status_code in (302, 403)
    response = as_role("manager", lang="zh").get(ARREARS_XLSX)
    assert response.status_code == 200
    rows = [r for r in _read(response.data) if any(c not in ("", None) for c in r)]
    assert rows[0][0] == f"{today_cn().year}年党费欠缴情况表"
    assert "欠缴月份" in rows[2]


def test_attendance_absence_needs_a_reason(app):
    with app.app_context():
        activity = make(db.session, PartyActivity, topic="出席测试")
        member = _member(db.session, branch=activity.branch)
        db.session.commit()
        activity_id, member_id = activity.id, member.id
    client, headers = _api(app)
    body = {"activity_id": activity_id, "member_id": member_id, "attended": False}
    response = client.post("/api/v1/party_activity_attendance/?_l_=en", json=body, headers=headers)
    assert response.status_code == 422
    assert "Give the reason for the absence." in response.json["message"]["rules"]
    ok = client.post("/api/v1/party_activity_attendance/", json={**body, "absence_reason": "因公出差"},
                     headers=headers)
    assert ok.status_code == 201, ok.json
