"""The 12345 hotline as the centre works it (docs/domain.md §7): a case dispatched to a lead unit
and co-handling units (主办 + 协办), passed on by a district to one of its streets (二级派单), a
harassment call not accepted (不予受理), and duplicates merged into a main case (并案) — each
step through the record page's workflow screen or the workflow API, each refusal changing
nothing, who sees what, and the 12345 rates counting a merged group once and leaving calls not
accepted out.

The test users' unit (测试处) stands for the 12345 centre: every unit of these tests is under it,
so its clerk and manager work every case; the district, street, co-handling and unrelated
units get clerks of their own.
"""
from __future__ import annotations

import datetime as dt
import itertools
import re
import uuid

import pytest

from app.extensions import db
from models.hotline import HotlineAction, HotlineCase
from models.org import Department
from models.workflow import StatusLog
from tests.conftest import TEST_UNIT_CODE, place_user
from tests.helpers import api_client

_n = itertools.count(1)


def _tag() -> str:
    return f"{next(_n)}{uuid.uuid4().hex[:6]}"


@pytest.fixture()
def tree(app):
    """centre (the test users' unit) ⊃ district ⊃ street, centre ⊃ co-handling unit; an unrelated unit
    outside; a Clerk in each of the four units."""
    tag = _tag()
    with app.app_context():
        centre = db.session.query(Department).filter_by(code=TEST_UNIT_CODE).one()
        district = Department(name_zh=f"测试区政府{tag}", name_en=f"Test district {tag}", unit_type="DISTRICT",
                              parent=centre)
        street = Department(name_zh=f"测试街道办事处{tag}", name_en=f"Test street {tag}", unit_type="STREET",
                            parent=district)
        other_street = Department(name_zh=f"另一区街道{tag}", name_en=f"Another street {tag}", unit_type="STREET",
                                  parent=centre)
        co = Department(name_zh=f"测试协办局{tag}", name_en=f"Co-handling bureau {tag}", unit_type="MUNI_DEPT",
                        parent=centre)
        unrelated = Department(name_zh=f"无关单位{tag}", name_en=f"Unrelated unit {tag}", unit_type="MUNI_DEPT")
        db.session.add_all([district, street, other_street, co, unrelated])
        db.session.commit()
        sm = app.appbuilder.sm
        users = {}
        for key, unit in (("district", district), ("street", street), ("co", co), ("unrelated", unrelated)):
            name = f"hl{key}{tag}"
            from tests.conftest import PASSWORD

            user = sm.add_user(name, key.title(), "Test", f"{name}@test.xm.gov.cn", [sm.find_role("Clerk")],
                               PASSWORD)
            place_user(db.session, user, unit)
            users[key] = name
        ids = {k: u.id for k, u in (("centre", centre), ("district", district), ("street", street),
                                    ("other_street", other_street), ("co", co), ("unrelated", unrelated))}
    return {"units": ids, "users": users, "tag": tag}


def _case(app, **values) -> int:
    with app.app_context():
        case = HotlineCase(content=values.pop("content", f"测试诉求{_tag()}"), citizen_name="王小明",
                           citizen_phone="13900001111", **values)
        db.session.add(case)
        db.session.commit()
        return case.id


def _get(app, pk, *names):
    with app.app_context():
        case = db.session.get(HotlineCase, pk)
        return tuple(getattr(case, n) for n in names)


def _actions(app, pk) -> list[tuple]:
    with app.app_context():
        return [(a.action_type, a.department_id, a.actor) for a in
                db.session.query(HotlineAction).filter_by(case_id=pk).order_by(HotlineAction.id)]


def _fire(client, headers, pk: int, name: str, **body):
    return client.post(f"/api/v1/hotline_case/{pk}/transition/{name}", json=body, headers=headers)


def _screen(client, pk: int, name: str, data: dict):
    """The step's own screen, as a clerk fills it in: the form's page, then Confirm."""
    assert client.get(f"/hotlinecaseview/transition/{pk}/{name}").status_code == 200
    return client.post(f"/hotlinecaseview/transition/{pk}/{name}", data=data, follow_redirects=True)


def _dispatched(app, as_role, tree) -> int:
    """A case the centre dispatched to the district (lead) and the co-handling bureau, on the screen."""
    pk = _case(app)
    units = tree["units"]
    page = _screen(as_role("clerk", "en"), pk, "dispatch",
                   {"handler_department": str(units["district"]), "co_departments": [str(units["co"])]})
    assert page.status_code == 200 and "Done" in page.get_data(as_text=True)
    return pk


# --- 主办 + 协办 ---------------------------------------------------------------------------------------
def test_the_centre_dispatches_to_a_lead_and_a_co_handling_unit(app, as_role, tree):
    units, users = tree["units"], tree["users"]
    pk = _dispatched(app, as_role, tree)
    with app.app_context():
        case = db.session.get(HotlineCase, pk)
        assert case.status == "DISPATCHED" and case.handler_department_id == units["district"]
        assert [u.id for u in case.co_departments] == [units["co"]]
        assert case.dispatched_at is not None
    assert ("PAIDAN", None, "clerk") in _actions(app, pk)

    # the lead unit cannot also co-handle
    pk2 = _case(app)
    page = _screen(as_role("clerk", "en"), pk2, "dispatch",
                   {"handler_department": str(units["co"]), "co_departments": [str(units["co"])]})
    assert "The lead unit cannot also be one of its co-handling units." in page.get_data(as_text=True)
    assert _get(app, pk2, "status", "handler_department_id") == ("RECEIVED", None)

    # the co-handling unit sees the case, offers no step, and is refused one
    co = as_role(users["co"], "en")
    show = co.get(f"/hotlinecaseview/show/{pk}").get_data(as_text=True)
    assert "Co-handling units" in show and "/transition/" not in show
    api, headers = api_client(app, users["co"], "en")
    refused = _fire(api, headers, pk, "accept")
    assert refused.status_code == 403 and "Only the lead unit" in refused.json["message"][0]
    page = _screen_refused(co, pk, "accept")
    assert "Only the lead unit" in page
    assert _get(app, pk, "status", "accepted_at") == ("DISPATCHED", None)

    # … but adds its opinion to the case log
    added = api.post("/api/v1/hotline_action/", headers=headers, json={
        "case_id": pk, "action_type": "XIEBAN", "department_id": units["co"], "content": "已配合现场核查"})
    assert added.status_code == 201, added.json
    assert ("XIEBAN", units["co"], users["co"]) in [(t, d, a or users["co"]) for t, d, a in _actions(app, pk)]


def _screen_refused(client, pk: int, name: str) -> str:
    """A step the user may not take: its screen sends him back to the record with the reason."""
    return client.get(f"/hotlinecaseview/transition/{pk}/{name}", follow_redirects=True).get_data(as_text=True)


def test_only_the_lead_answers_and_closes_the_co_handler_is_refused(app, as_role, tree):
    users = tree["users"]
    pk = _dispatched(app, as_role, tree)
    district, headers = api_client(app, users["district"], "en")
    assert _fire(district, headers, pk, "accept").status_code == 200
    assert _fire(district, headers, pk, "start").status_code == 200
    co, co_headers = api_client(app, users["co"], "en")
    assert _fire(co, co_headers, pk, "reply", reply="协办单位越权答复").status_code == 403
    assert _fire(co, co_headers, pk, "request_extension", comment="协办单位申请延期").status_code == 403
    assert _get(app, pk, "status", "reply") == ("HANDLING", None)
    assert _fire(district, headers, pk, "reply", reply="已整改到位").status_code == 200
    clerk, clerk_headers = api_client(app, "clerk", "en")
    assert _fire(clerk, clerk_headers, pk, "visit", visit_result="满意", satisfaction="MANYI").status_code == 200
    assert _fire(co, co_headers, pk, "close").status_code == 403               # a co-handler does not archive
    assert _get(app, pk, "status")[0] == "VISITED"
    assert _fire(clerk, clerk_headers, pk, "close").status_code == 200
    assert _get(app, pk, "status")[0] == "CLOSED"


def test_a_co_handler_does_not_edit_the_case_itself(app, as_role, tree):
    users = tree["users"]
    pk = _dispatched(app, as_role, tree)
    api, headers = api_client(app, users["co"], "en")
    version = _get(app, pk, "row_version")[0]
    response = api.put(f"/api/v1/hotline_case/{pk}", headers=headers,
                       json={"remark": "协办单位改了工单", "row_version": version})
    assert response.status_code == 422 and "Only the lead unit" in str(response.json)
    assert _get(app, pk, "remark")[0] is None


def _hotline_chips(client) -> dict[str, tuple[int, str]]:
    from tests.test_dashboard import _chips, _home, _task_blocks

    return _chips(_task_blocks(_home(client)).get("hotline_case", ""))


def test_a_case_waits_among_the_lead_units_tasks_not_the_co_handlers(app, as_role, tree):
    """"My tasks" offers a co-handling unit none of the lead's steps (the record page offers it
    no button either): the chip counts what its link lists, the lead unit's cases only."""
    from tests.test_dashboard import _record_count

    users = tree["users"]
    pk = _dispatched(app, as_role, tree)
    show = f"/hotlinecaseview/show/{pk}\""
    for who in ("co", "unrelated"):
        client = as_role(users[who], "en")
        assert not _hotline_chips(client), who
    district = as_role(users["district"], "en")
    count, url = _hotline_chips(district)["Accept the case"]
    assert show in district.get(url).get_data(as_text=True)
    assert _record_count(district, url) == count
    assert "/transition/" in district.get(f"/hotlinecaseview/show/{pk}").get_data(as_text=True)
    # the centre's clerk (a unit above the lead) may take the step too: it waits for him as well
    centre = as_role("clerk", "en")
    count, url = _hotline_chips(centre)["Accept the case"]
    assert show in centre.get(url).get_data(as_text=True) and _record_count(centre, url) == count


def test_the_my_unit_filter_lists_the_cases_a_unit_leads(app, as_role, tree):
    """Every link to a unit offers "Is my unit (or under it)": the co-handler's list of cases
    it leads leaves out a case it only co-handles, the district's shows its street's."""
    from app.dashboard.links import filter_index
    from app.registered_views import view_of
    from app.registry.spec import entity_for

    users, units = tree["users"], tree["units"]
    pk = _dispatched(app, as_role, tree)
    with app.test_request_context():
        index = filter_index(view_of(entity_for(HotlineCase)), "handler_department", "my_units")
    assert index is not None
    query = f"/hotlinecaseview/list/?_flt_{index}_handler_department=y"
    show = f"/hotlinecaseview/show/{pk}\""
    co = as_role(users["co"], "zh")
    listed = co.get(query).get_data(as_text=True)
    assert show not in listed and show in co.get("/hotlinecaseview/list/").get_data(as_text=True)
    assert "本单位（含下属单位）" in listed
    district, headers = api_client(app, users["district"], "en")
    assert _fire(district, headers, pk, "pass_on", handler_department_id=units["street"]).status_code == 200
    assert show in as_role(users["district"], "en").get(query).get_data(as_text=True)
    assert show in as_role(users["street"], "en").get(query).get_data(as_text=True)


# --- scope ---------------------------------------------------------------------------------------------
def test_the_lead_the_co_handler_and_the_street_see_the_case_an_unrelated_unit_does_not(app, as_role, tree):
    users, units = tree["users"], tree["units"]
    pk = _dispatched(app, as_role, tree)
    for who in ("district", "co"):
        assert as_role(users[who], "en").get(f"/hotlinecaseview/show/{pk}").status_code == 200, who
    assert as_role(users["unrelated"], "en").get(f"/hotlinecaseview/show/{pk}").status_code == 404
    assert as_role(users["street"], "en").get(f"/hotlinecaseview/show/{pk}").status_code == 404  # not yet
    district, headers = api_client(app, users["district"], "en")
    assert _fire(district, headers, pk, "pass_on", handler_department_id=units["street"]).status_code == 200
    for who in ("district", "street", "co"):
        assert as_role(users[who], "en").get(f"/hotlinecaseview/show/{pk}").status_code == 200, who
    unrelated, headers = api_client(app, users["unrelated"], "en")
    assert unrelated.get(f"/api/v1/hotline_case/{pk}", headers=headers).status_code == 404
    assert _fire(unrelated, headers, pk, "accept").status_code == 404


# --- 二级派单 --------------------------------------------------------------------------------------------
def test_a_district_passes_the_case_on_to_a_street_under_it(app, as_role, tree):
    units, users = tree["units"], tree["users"]
    pk = _dispatched(app, as_role, tree)
    dispatched_at, due_at = _get(app, pk, "dispatched_at", "due_at")
    district = as_role(users["district"], "en")
    assert "Done" in _screen(district, pk, "accept", {}).get_data(as_text=True)
    zh = as_role(users["district"], "zh").get(f"/hotlinecaseview/show/{pk}").get_data(as_text=True)
    assert "二级派单" in zh and f"/transition/{pk}/pass_on" in zh
    assert f"/transition/{pk}/pass_on" not in as_role(users["co"], "zh").get(
        f"/hotlinecaseview/show/{pk}").get_data(as_text=True)
    district = as_role(users["district"], "en")          # the language is the account's: back to English

    # a unit not under the district is refused, and nothing changes
    api, headers = api_client(app, users["district"], "en")
    for wrong in ("other_street", "unrelated", "district"):
        refused = _fire(api, headers, pk, "pass_on", handler_department_id=units[wrong])
        assert refused.status_code in (422, 403), wrong
    refused = _fire(api, headers, pk, "pass_on", handler_department_id=units["other_street"])
    assert "is not under" in refused.json["message"][0]
    assert _get(app, pk, "status", "handler_department_id", "passed_by_department_id") == (
        "ACCEPTED", units["district"], None)

    page = _screen(district, pk, "pass_on", {"handler_department": str(units["street"])}).get_data(as_text=True)
    assert "Done" in page
    case = _get(app, pk, "status", "handler_department_id", "passed_by_department_id", "passed_at", "accepted_at",
                "dispatched_at", "due_at")
    assert case[:3] == ("DISPATCHED", units["street"], units["district"]) and case[3] is not None
    assert case[4] is None                                           # the street accepts it anew
    assert case[5:] == (dispatched_at, due_at)                       # the clock runs from the first dispatch
    assert ("ERJI_PAIDAN", units["district"], users["district"]) in _actions(app, pk)

    # the street handles it as the lead; the district still sees it
    street, headers = api_client(app, users["street"], "en")
    assert _fire(street, headers, pk, "accept").status_code == 200
    assert _fire(street, headers, pk, "start").status_code == 200
    assert _fire(street, headers, pk, "reply", reply="街道已组织清理").status_code == 200
    assert _get(app, pk, "status")[0] == "REPLIED"
    assert as_role(users["district"], "en").get(f"/hotlinecaseview/show/{pk}").status_code == 200


def test_passing_on_is_refused_before_dispatch_and_after_the_answer(app, tree):
    units = tree["units"]
    client, headers = api_client(app, "clerk", "en")
    pk = _case(app)
    assert _fire(client, headers, pk, "pass_on", handler_department_id=units["street"]).status_code == 409
    answered = _case(app, status="REPLIED", reply="已答复", handler_department_id=units["district"])
    assert _fire(client, headers, answered, "pass_on", handler_department_id=units["street"]).status_code == 409
    assert _get(app, answered, "handler_department_id")[0] == units["district"]


# --- 不予受理 --------------------------------------------------------------------------------------------
def test_a_harassment_call_is_not_accepted_with_its_reason(app, as_role):
    pk = _case(app)
    client, headers = api_client(app, "clerk", "en")
    refused = _fire(client, headers, pk, "not_accept")
    assert refused.status_code == 422 and "Reason not accepted" in refused.json["message"][0]
    assert _get(app, pk, "status")[0] == "RECEIVED"

    page = _screen(as_role("clerk", "en"), pk, "not_accept", {"rejection_reason": "SAORAO", "comment": "辱骂话务员"})
    assert "Done" in page.get_data(as_text=True)
    status, reason, who, at, closed = _get(app, pk, "status", "rejection_reason", "rejected_by", "rejected_at",
                                           "closed_at")
    assert (status, reason, who) == ("NOT_ACCEPTED", "SAORAO", "clerk") and at is not None and closed is not None
    assert ("BUYU_SHOULI", None, "clerk") in _actions(app, pk)
    with app.app_context():
        log = db.session.query(StatusLog).filter_by(entity="HotlineCase", record_id=pk).order_by(
            StatusLog.id.desc()).first()
        assert (log.transition, log.actor, log.comment) == ("not_accept", "clerk", "辱骂话务员")
    # a finished case: no step, not overdue
    assert _fire(client, headers, pk, "dispatch", handler_department_id=1).status_code == 409
    assert _get(app, pk, "is_overdue")[0] == "NO"


def test_only_a_call_just_received_can_be_left_not_accepted(app, tree):
    pk = _case(app, status="DISPATCHED", handler_department_id=tree["units"]["district"])
    client, headers = api_client(app, "clerk", "en")
    refused = _fire(client, headers, pk, "not_accept", rejection_reason="WUXIAO")
    assert refused.status_code == 409
    assert _get(app, pk, "status", "rejection_reason") == ("DISPATCHED", None)


def test_not_accepted_labels_in_both_languages(app, as_role):
    pk = _case(app, status="NOT_ACCEPTED", rejection_reason="SAORAO", rejected_by="clerk")
    zh = as_role("clerk", "zh").get(f"/hotlinecaseview/show/{pk}").get_data(as_text=True)
    en = as_role("clerk", "en").get(f"/hotlinecaseview/show/{pk}").get_data(as_text=True)
    assert "不予受理" in zh and "骚扰电话" in zh and "不予受理原因" in zh
    assert "Not accepted" in en and "Harassment call" in en and "Reason not accepted" in en
    # the function's name in the menu
    assert "12345热线与市长信箱" in as_role("clerk", "zh").get("/").get_data(as_text=True)
    assert "12345 Hotline &amp; Mayor&#39;s Mailbox" in as_role("clerk", "en").get("/").get_data(as_text=True)


# --- 并案 ------------------------------------------------------------------------------------------------
def test_duplicates_are_merged_into_a_main_case_and_follow_it(app, as_role, tree):
    units = tree["units"]
    client, headers = api_client(app, "clerk", "en")
    main = _case(app, content="同一路段积水严重（主件）")
    duplicate = _case(app, content="同一路段积水严重（重复来电）")
    page = _screen(as_role("clerk", "en"), duplicate, "merge", {"merged_into": str(main)}).get_data(as_text=True)
    assert "Done" in page
    status, into, merged_at, closed_at = _get(app, duplicate, "status", "merged_into_id", "merged_at", "closed_at")
    assert (status, into) == ("MERGED", main) and merged_at is not None and closed_at is not None
    assert "BINGAN" in [a[0] for a in _actions(app, duplicate)] and "BINGAN" in [a[0] for a in _actions(app, main)]

    # the main case's page lists the merged case and its citizen (masked)
    main_no, dup_no = _get(app, main, "case_no")[0], _get(app, duplicate, "case_no")[0]
    show = as_role("clerk", "en").get(f"/hotlinecaseview/show/{main}").get_data(as_text=True)
    assert "Cases merged into this one" in show
    tabs = re.findall(r'data-related-url="([^"]+)"', show)
    merged_tab = next(url for url in tabs if "/hotlinecaseview/related/" in url and url.rstrip("?").endswith("/1"))
    listed = as_role("clerk", "en").get(merged_tab.replace("&amp;", "&")).get_data(as_text=True)
    assert dup_no in listed and "王**" in listed and main_no not in listed

    # the main case answered: the merged one shows its result
    assert _fire(client, headers, main, "dispatch", handler_department_id=units["district"]).status_code == 200
    district, d_headers = api_client(app, tree["users"]["district"], "en")
    for step, body in (("accept", {}), ("start", {}), ("reply", {"reply": "已疏通排水管网"})):
        assert _fire(district, d_headers, main, step, **body).status_code == 200, step
    page = as_role("clerk", "en").get(f"/hotlinecaseview/show/{duplicate}").get_data(as_text=True)
    assert "Result of the main case" in page and "已疏通排水管网" in page


def test_merging_is_refused_into_itself_a_merged_a_closed_case_or_as_a_chain(app, tree):
    client, headers = api_client(app, "clerk", "en")
    main, duplicate, other = _case(app), _case(app), _case(app)
    assert _fire(client, headers, duplicate, "merge", merged_into_id=main).status_code == 200
    closed = _case(app, status="CLOSED", reply="已办结")
    not_accepted = _case(app, status="NOT_ACCEPTED", rejection_reason="WUXIAO")

    def refused(pk, into, words):
        response = _fire(client, headers, pk, "merge", merged_into_id=into)
        assert response.status_code == 422, (into, response.json)
        assert any(words in m for m in response.json["message"]), response.json["message"]
        assert _get(app, pk, "status", "merged_into_id") == ("RECEIVED", None)

    refused(other, other, "cannot be merged into itself")
    refused(other, duplicate, "is itself merged into another case")
    refused(other, closed, "a case is merged only into one still being handled")
    refused(other, not_accepted, "a case is merged only into one still being handled")
    refused(main, other, "cannot be merged")                          # main already has merged cases: no chain
    assert _fire(client, headers, other, "merge").status_code == 422   # no main case named
    # a merged case takes no further step
    assert _fire(client, headers, duplicate, "merge", merged_into_id=other).status_code == 409
    assert _get(app, duplicate, "merged_into_id")[0] == main


# --- the 12345 rates: a merged group once, not-accepted calls apart ----------------------------------------
def test_the_rates_count_a_merged_group_once_and_leave_calls_not_accepted_out(app, as_role, tree):
    from flask import g
    from flask_login import login_user

    from views.hotline import hotline_panel

    street = f"并案街{_tag()}"
    district = tree["units"]["district"]
    import datetime as dt

    T = dt.datetime
    main = _case(app, street=street, status="VISITED", handler_department_id=district, dispatched_at=T(2026, 3, 2, 9),
                 accepted_at=T(2026, 3, 2, 10), due_at=T(2026, 3, 20, 9), replied_at=T(2026, 3, 5, 9), reply="已办结",
                 satisfaction="MANYI", is_resolved=True, received_at=T(2026, 3, 2, 8))
    with app.app_context():
        db.session.get(HotlineCase, main).co_departments = [db.session.get(Department, tree["units"]["co"])]
        db.session.commit()
    for _ in range(2):
        _case(app, street=street, status="MERGED", merged_into_id=main, received_at=T(2026, 3, 2, 8))
    _case(app, street=street, status="NOT_ACCEPTED", rejection_reason="SAORAO", received_at=T(2026, 3, 2, 8))

    def panel():
        with app.test_request_context():
            g.user = app.appbuilder.sm.find_user("admin")
            login_user(g.user)
            built = hotline_panel()
            on_time, satisfaction = built.rates
            left_out = next(f for f in built.figures if f.key == "hotline-left-out")
            return on_time.denominator, satisfaction.denominator, dict(zip(left_out.categories,
                                                                           left_out.series[0].values, strict=True))

    answered, evaluated, apart = panel()
    with app.app_context():
        rows = db.session.query(HotlineCase).filter_by(is_deleted=False).all()
        counted = [c for c in rows if c.status not in ("MERGED", "NOT_ACCEPTED")]
        assert answered == sum(1 for c in counted if c.status in ("ANSWERED_DIRECT", "REPLIED", "VISITED", "CLOSED"))
        assert evaluated == sum(1 for c in counted if c.satisfaction in ("MANYI", "JIBEN", "BUMANYI"))
        assert sorted(apart.values()) == sorted([sum(1 for c in rows if c.status == "NOT_ACCEPTED"),
                                                 sum(1 for c in rows if c.status == "MERGED")])

    # the ledger of the street: four cases listed, one received, one answered on time, the rest apart
    client = as_role("manager", lang="en")
    from tests.test_ledgers import ledger_link, list_url, records, sheets, xlsx

    url = ledger_link(client, list_url(app, HotlineCase, ("street", "eq", street)), "hotline_cases")
    detail, summary = list(sheets(xlsx(client.get(url))).values())
    assert len(records(detail)) == 4
    rows = {row["Handling unit"]: row for row in records(summary)}
    total = rows["Total"]
    assert (total["Cases received"], total["Calls not accepted"], total["Duplicates merged"]) == (1, 1, 2)
    assert (total["Cases answered"], total["Answered on time rate"], total["Satisfaction rate"]) == (1, 1.0, 1.0)
    lead = rows[f"Test district {tree['tag']}"]
    co = rows[f"Co-handling bureau {tree['tag']}"]
    assert (lead["Cases received"], lead["Cases co-handled"], lead["Cases answered"]) == (1, 0, 1)
    assert (co["Cases received"], co["Cases co-handled"], co["Cases answered"]) == (0, 1, 0)   # its rates: none


def test_a_new_case_is_numbered_after_the_days_numbers_whatever_other_numbers_the_day_holds(app):
    """A day's numbers run YYYYMMDD-NNNN; a not-accepted call or a merged duplicate the centre
    numbered otherwise (…-N001, …-0002-B1) neither stops the count nor gives a number twice."""
    with app.app_context():
        day = dt.datetime(2025, 3, 1, 9, 0)
        for number in ("20250301-0002", "20250301-N001", "20250301-0002-B1"):
            db.session.add(HotlineCase(case_no=number, content="编号测试", received_at=day))
        db.session.flush()
        case = HotlineCase(content="编号测试：新工单", received_at=day + dt.timedelta(hours=1))
        db.session.add(case)
        db.session.flush()
        assert case.case_no == "20250301-0003"
        db.session.rollback()
