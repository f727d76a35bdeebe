"""Report ledgers (app/ledgers/spec.py, `register_ledger(..., report=...)`): rows from a
function of the parameters the ledger's page offers, through the same page, workbook,
audit, permissions and menu as every ledger. The Party ledgers are the ones declared."""
from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

import views  # noqa: F401  (registers every entity and ledger)
from app.extensions import db
from app.ledgers import SERIAL, Computed, Param, register_ledger
from models.audit import AuditLog
from models.base import today_cn
from models.org import Department, Personnel
from models.party import DuesPayment, PartyActivity, PartyBranch, PartyMember
from tests.conftest import PASSWORD, login, place_user
from tests.factories import make
from tests.pages import chinese_leftovers, english_leftovers

ACTIVITY = "/partyactivityview/report/party_activity/"
ACTIVITY_XLSX = "/partyactivityview/ledger/party_activity/"
ARREARS = "/duespaymentview/report/party_dues_arrears/"
ARREARS_XLSX = "/duespaymentview/ledger/party_dues_arrears/"


def _tag() -> str:
    return uuid.uuid4().hex[:8]


def _rows(data: bytes) -> list[list]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    return [r for r in sheet if any(c not in ("", None) for c in r)]


def _exports(app, key: str) -> list[str]:
    with app.app_context():
        return [e.detail for e in db.session.query(AuditLog).filter_by(action="EXPORT").order_by(AuditLog.id)
                if f'"{key}"' in (e.detail or "")]


def _arrears_branch(app) -> tuple[int, int, Decimal]:
    """A branch with one member who has not paid a month of this year; January's dues are
    recorded (unpaid), so every month owes January's amount."""
    year = today_cn().year
    with app.app_context():
        branch = make(db.session, PartyBranch, name=f"欠缴报表党支部{_tag()}")
        member = make(db.session, PartyMember, branch=branch, joined_date=dt.date(year - 3, 6, 1),
                      personnel=make(db.session, Personnel, name=f"欠缴{_tag()[:4]}", political_status="01"))
        dues = make(db.session, DuesPayment, member=member, month=dt.date(year, 1, 1), base=Decimal("8000"))
        db.session.commit()
        return branch.id, member.id, dues.amount


# --- parameters --------------------------------------------------------------------------------------
def test_the_page_offers_the_parameters_and_reads_the_chosen_ones(app, as_role):
    with app.app_context():
        branch = make(db.session, PartyBranch, name=f"参数党支部{_tag()}")
        make(db.session, PartyActivity, branch=branch, activity_type="DANGKE", topic="党课",
             activity_date=dt.date(2025, 11, 3))
        db.session.commit()
        branch_id, name = branch.id, branch.name
    page = as_role("leader", lang="zh").get(f"{ACTIVITY}?year=2025&quarter=4&branch={branch_id}").data.decode()
    assert "2025年第4季度“三会一课”落实情况台账" in page
    assert '<option value="2025" selected>2025</option>' in page
    assert '<option value="4" selected>第4季度</option>' in page
    assert f'<option value="{branch_id}" selected>{name}</option>' in page
    assert '<option value="" >全部党支部</option>' in page                # the blank choice, not chosen
    assert page.count(f"<td>{name}</td>") == 4          # one row per required type, this branch only
    assert "2025-11-03" in page
    assert f'href="{ACTIVITY_XLSX}?year=2025&amp;quarter=4&amp;branch={branch_id}"' in page
    # without parameters: this quarter, every branch
    year, month = today_cn().year, today_cn().month
    page = as_role("leader", lang="en").get(ACTIVITY).data.decode()
    assert f"Q{(month - 1) // 3 + 1} {year}" in page
    assert '<option value="" selected>All branches</option>' in page


@pytest.mark.parametrize("lang, query, message", [
    ("zh", "year=abc", "年度：“abc”不在可选范围内。"),
    ("zh", "quarter=9", "季度：“9”不在可选范围内。"),
    ("en", "branch=999999", 'Branch: &#34;999999&#34; is not one of the choices offered.'),
    ("en", "year=1999", 'Year: &#34;1999&#34; is not one of the choices offered.'),
])
def test_a_value_not_offered_is_refused_with_a_message(app, as_role, lang, query, message):
    before = len(_exports(app, "party_activity"))
    client = as_role("manager", lang=lang)
    response = client.get(f"{ACTIVITY}?{query}")
    assert response.status_code == 200
    page = response.data.decode()
    assert message in page and "alert-danger" in page
    assert "<table" not in page and ACTIVITY_XLSX not in page          # no rows, nothing to export
    export = client.get(f"{ACTIVITY_XLSX}?{query}")
    assert export.status_code == 302 and export.location.endswith(f"{ACTIVITY}?{query}")
    assert len(_exports(app, "party_activity")) == before             # nothing written, nothing audited


def test_a_blank_branch_is_every_branch_and_a_blank_year_the_default(app, as_role):
    page = as_role("manager", lang="en").get(f"{ARREARS}?year=&branch=").data.decode()
    assert f"Party dues in arrears, {today_cn().year}" in page and "alert-danger" not in page


# --- the Excel file ------------------------------------------------------------------------------------
def test_the_export_holds_the_rows_for_the_parameters_and_is_audited(app, as_role):
    branch_id, member_id, amount = _arrears_branch(app)
    year, months = today_cn().year, today_cn().month
    response = as_role("manager", lang="zh").get(f"{ARREARS_XLSX}?year={year}&branch={branch_id}")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    rows = _rows(response.data)
    assert rows[0][0] == f"{year}年党费欠缴情况表"
    assert rows[1][0] == f"导出日期：{today_cn().isoformat()}；年度：{year}；党支部：" + rows[3][1]
    assert rows[2] == ["序号", "党支部", "党员", "党籍状态", "欠缴月份", "欠缴月数", "欠缴金额（元）", "最近已缴月份"]
    assert len(rows) == 4                                              # the branch's one member
    number, branch, _member, status, _months, count, owed, last = rows[3]
    assert (number, count, last) == (1, months, "")
    assert branch.startswith("欠缴报表党支部") and status == "正常"
    assert Decimal(str(owed)) == amount * months
    detail = json.loads(_exports(app, "party_dues_arrears")[-1])
    assert detail == {"msg": "ledger_export", "ledger": "party_dues_arrears", "rows": 1,
                      "filters": f"year={year}&branch={branch_id}", "unmasked": False}
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        from app.history import MESSAGES

        assert "党费欠缴" in MESSAGES["ledger_export"](detail, "DuesPayment")


def test_the_export_takes_the_defaults_without_parameters(app, as_role):
    response = as_role("leader", lang="en").get(ACTIVITY_XLSX)
    rows = _rows(response.data)
    year, month = today_cn().year, today_cn().month
    assert rows[0][0] == f"Implementation of the three meetings and one lesson, Q{(month - 1) // 3 + 1} {year}"
    assert rows[1][0].endswith("; Branch: All branches")
    assert rows[2] == ["No.", "Branch", "Activity type", "Frequency", "Required", "Held", "Shortfall", "Light",
                       "Last held on"]


# --- who may ---------------------------------------------------------------------------------------------
def _user_without_party_rights(app) -> str:
    """A role an admin made: reads supervision items, nothing of the Party."""
    from tests.conftest import TEST_UNIT_CODE

    username = f"noparty_{_tag()}"
    with app.app_context():
        sm = app.appbuilder.sm
        role = sm.add_role(f"No Party {username}")
        for permission, view in (("can_read", "SupervisionItem"), ("can_list", "SupervisionItem"),
                                 ("menu_access", "SupervisionItem"), ("menu_access", "Supervision")):
            pvm = sm.find_permission_view_menu(permission, view)
            if pvm is not None:
                sm.add_permission_role(role, pvm)
        user = sm.add_user(username, "No", "Party", f"{username}@test.xm.gov.cn", [role], PASSWORD)
        place_user(db.session, user, db.session.query(Department).filter_by(code=TEST_UNIT_CODE).one())
    return username


def test_without_read_on_the_entity_there_is_no_page_no_file_and_no_menu_entry(app):
    client = app.test_client()
    login(client, _user_without_party_rights(app))
    for url in (ACTIVITY, ARREARS, ACTIVITY_XLSX, ARREARS_XLSX, f"{ACTIVITY}?year=abc"):
        assert client.get(url).status_code in (302, 403), url
    home = client.get("/").data.decode()
    assert ACTIVITY not in home and ARREARS not in home


def test_the_menu_entry_is_marked_alone_and_reads_the_entity_rights(app, as_role):
    page = as_role("viewer", lang="zh").get(ARREARS).data.decode()
    assert f'href="{ARREARS}" class="active">党费欠缴</a>' in page
    assert 'href="/duespaymentview/list/" class="">党费</a>' in page     # its list is not marked too
    assert ARREARS_XLSX not in page                                       # a viewer reads, does not export
    assert as_role("viewer").get(ARREARS_XLSX).status_code in (302, 403)
    assert english_leftovers(page) == []
    assert chinese_leftovers(as_role("viewer", lang="en").get(f"{ARREARS}?year=x").data.decode()) == []


def test_the_ledgers_page_lists_the_report_ledgers(app, as_role):
    page = as_role("manager", lang="zh").get("/ledgers/").data.decode()
    assert f'href="{ACTIVITY}"' in page and f'href="{ARREARS_XLSX}"' in page
    assert "三会一课台账" in page and "选择条件" in page


# --- the declaration -------------------------------------------------------------------------------------
def test_a_report_declares_computed_columns_only():
    with pytest.raises(ValueError, match="must be Computed"):
        register_ledger("bad_report", "x", DuesPayment, [SERIAL, "month"], report=lambda: [])
    with pytest.raises(ValueError, match="named twice"):
        year = Param("year", "Year", lambda: [(2026, "2026")], default=2026)
        register_ledger("bad_report", "x", DuesPayment, [Computed("h", str)], report=lambda year: [],
                        params=[year, year])
    with pytest.raises(ValueError, match="belong to a report"):
        register_ledger("bad_report", "x", DuesPayment, ["month"], params=[year])


def test_a_parameter_reads_its_choices_only():
    param = Param("n", "N", lambda: [(1, "one"), (2, "two")], default=lambda: 2, blank="all")
    assert [param.read(t) for t in (None, "", " 1 ", "2")] == [2, None, 1, 2]
    for bad in ("3", "x", "1.5"):
        with pytest.raises(ValueError):
            param.read(bad)
    assert param.offered() == [(None, "all"), (1, "one"), (2, "two")] and param.label_of(None) == "all"
