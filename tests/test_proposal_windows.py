"""Proposals' time limits on the work calendar (docs/domain.md §5): the proposer's 15 working days
to evaluate a reply, re-handling after 不满意 (start within 5 working days, answer again within a
month of the start, once), the window in which a handling unit may ask to return a proposal; the joint handling
unit (会办) whose opinion the answer waits for; 并案; a confidential proposer masked (§9); an
information report filed (存档) in a state of its own (§7); and the corrected labels."""
from __future__ import annotations

import datetime as dt
import io
import itertools

from python_calamine import CalamineWorkbook

import views  # noqa: F401
from app.extensions import db
from app.registry import deadlines
from app.registry.spec import entity_for
from models.audit import AuditLog
from models.base import today_cn
from models.calendar import add_working_days
from models.info import InfoReport
from models.lookups import Lookup
from models.org import Department
from models.proposals import (
    Proposal,
    ProposalAssignment,
    ProposalEvaluation,
    ProposalRehandling,
    ProposalReply,
    add_months,
)
from tests.factories import make
from tests.helpers import api_client

_n = itertools.count(1)
#: 2026's seeded calendar: 中秋节 25–27 September, 国庆节 1–7 October, 10 October a make-up working day.
BEFORE_HOLIDAYS = dt.date(2026, 9, 24)


def _label() -> str:
    return f"时限测试届{next(_n)}"


def _proposal(app, **values) -> int:
    with app.app_context():
        values.setdefault("session_label", _label())
        values.setdefault("assigned_at", dt.date(2026, 6, 1))
        p = make(db.session, Proposal, **values)
        db.session.commit()
        return p.id


def _fire(app, pk, name, user="admin", lang="en", **body):
    client, headers = api_client(app, user, lang)
    return client.post(f"/api/v1/proposal/{pk}/transition/{name}", json={"comment": "测试", **body},
                       headers=headers)


def _status(app, pk) -> str:
    with app.app_context():
        return db.session.get(Proposal, pk).status


def _messages(response) -> str:
    return str(response.json.get("message"))


# --- the proposer's evaluation window ------------------------------------------------------------
def test_evaluation_is_due_fifteen_working_days_after_the_reply_and_the_holidays_move_it(app):
    pk = _proposal(app)
    with app.app_context():
        p = db.session.get(Proposal, pk)
        first = make(db.session, ProposalReply, proposal=p, reply_type="FIRST", answer_category="B",
                     reply_date=BEFORE_HOLIDAYS, follow_up_due=dt.date(2027, 3, 1))
        follow = make(db.session, ProposalReply, proposal=p, reply_type="FOLLOW_UP", answer_category="A",
                      reply_date=dt.date(2026, 12, 1))
        db.session.commit()
        # 中秋 and 国庆 are skipped, the make-up Saturday 10 October counts
        assert first.evaluation_due == dt.date(2026, 10, 22) == add_working_days(BEFORE_HOLIDAYS, 15)
        plain_weekdays = BEFORE_HOLIDAYS + dt.timedelta(days=21)       # three weeks of Mondays to Fridays
        assert first.evaluation_due > plain_weekdays
        assert follow.evaluation_due is None                           # a follow-up reply is not evaluated


def test_an_awaited_evaluation_turns_red_and_an_evaluation_stops_the_clock(app):
    pk = _proposal(app, assigned_at=today_cn() - dt.timedelta(days=120))
    with app.app_context():
        p = db.session.get(Proposal, pk)
        reply = make(db.session, ProposalReply, proposal=p, reply_type="FIRST", answer_category="A",
                     reply_date=today_cn() - dt.timedelta(days=60))
        db.session.commit()
        entity = entity_for(ProposalReply)
        assert deadlines.light(entity, reply) == "RED" and deadlines.overdue_days(entity, reply) > 0
        assert p.evaluation_due == reply.evaluation_due
        overdue = db.session.query(ProposalReply).filter(deadlines.overdue_condition(entity),
                                                         ProposalReply.id == reply.id).count()
        assert overdue == 1

        make(db.session, ProposalEvaluation, proposal=p, reply=reply, result="MANYI", evaluated_at=today_cn())
        db.session.commit()
        assert reply.evaluated_on == today_cn()
        assert deadlines.light(entity, reply) == "GREEN" and p.evaluation_due is None
        assert db.session.query(ProposalReply).filter(deadlines.overdue_condition(entity),
                                                      ProposalReply.id == reply.id).count() == 0


def test_the_evaluation_window_is_a_console_setting(app, as_role):
    as_role("admin", "en").post("/console/settings/", data={"PROPOSAL_EVALUATION_DAYS": "3"})
    pk = _proposal(app)
    with app.app_context():
        reply = make(db.session, ProposalReply, proposal=db.session.get(Proposal, pk), answer_category="A",
                     reply_date=BEFORE_HOLIDAYS)
        db.session.commit()
        assert reply.evaluation_due == dt.date(2026, 9, 30)


# --- re-handling after 不满意 ---------------------------------------------------------------------
def _dissatisfied(app, day=BEFORE_HOLIDAYS) -> tuple[int, int]:
    pk = _proposal(app, assigned_at=day - dt.timedelta(days=80), status="EVALUATED")
    with app.app_context():
        p = db.session.get(Proposal, pk)
        make(db.session, ProposalAssignment, proposal=p, role="ZHUBAN")
        reply = make(db.session, ProposalReply, proposal=p, answer_category="A", reply_date=day - dt.timedelta(days=10))
        evaluation = make(db.session, ProposalEvaluation, proposal=p, reply=reply, result="BUMANYI", evaluated_at=day)
        db.session.commit()
        return pk, evaluation.id


def test_a_dissatisfied_evaluation_opens_a_rehandling_with_both_limits_on_the_calendar(app):
    pk, evaluation_id = _dissatisfied(app)
    with app.app_context():
        row = db.session.query(ProposalRehandling).filter_by(proposal_id=pk).one()
        assert row.evaluation_id == evaluation_id and row.requested_on == BEFORE_HOLIDAYS
        assert row.start_due == dt.date(2026, 10, 9)            # 5 working days across 中秋 and 国庆
        assert row.reply_due is None                           # a month from the start, once started
        assert row.due_date == row.start_due                   # the start's limit runs first
        entity = entity_for(ProposalRehandling)
        assert deadlines.light(entity, row) == "RED"            # long past: not started in time


def test_rehandle_starts_the_rehandling_and_a_second_one_is_refused(app):
    pk, _evaluation = _dissatisfied(app, today_cn() - dt.timedelta(days=2))
    response = _fire(app, pk, "rehandle")
    assert response.status_code == 200, response.json
    with app.app_context():
        p = db.session.get(Proposal, pk)
        row = db.session.query(ProposalRehandling).filter_by(proposal_id=pk).one()
        assert p.status == "REHANDLING" and row.started_on == today_cn()
        assert row.due_date == row.reply_due == add_months(today_cn(), 1)     # 重新交办之日起一个月
        answer = make(db.session, ProposalReply, proposal=p, reply_type="REHANDLE", answer_category="A",
                      reply_date=today_cn())
        db.session.commit()
        assert row.replied_on == today_cn() and answer.evaluation_due == add_working_days(today_cn(), 15)
        assert deadlines.light(entity_for(ProposalRehandling), row) == "GREEN"
        # the proposer is dissatisfied again: no second re-handling is opened
        make(db.session, ProposalEvaluation, proposal=p, reply=answer, result="BUMANYI", evaluated_at=today_cn())
        p.status = "EVALUATED"
        db.session.commit()
        assert db.session.query(ProposalRehandling).filter_by(proposal_id=pk).count() == 1
    refused = _fire(app, pk, "rehandle")
    assert refused.status_code == 422 and "already been handled again 1 time" in _messages(refused)
    assert _status(app, pk) == "EVALUATED"


def test_only_a_dissatisfied_proposal_is_handled_again(app):
    pk = _proposal(app, status="EVALUATED")
    with app.app_context():
        p = db.session.get(Proposal, pk)
        reply = make(db.session, ProposalReply, proposal=p, answer_category="A", reply_date=today_cn())
        make(db.session, ProposalEvaluation, proposal=p, reply=reply, result="MANYI", evaluated_at=today_cn())
        db.session.commit()
    refused = _fire(app, pk, "rehandle")
    assert refused.status_code == 422 and "dissatisfied" in _messages(refused)
    assert _status(app, pk) == "EVALUATED"


# --- the return window -----------------------------------------------------------------------------
def _assigned(app, received: dt.date) -> int:
    pk = _proposal(app, assigned_at=received)
    with app.app_context():
        make(db.session, ProposalAssignment, proposal=db.session.get(Proposal, pk), role="ZHUBAN",
             received_at=received)
        db.session.commit()
    return pk


def test_a_return_asked_after_the_window_is_refused_with_its_deadline(app):
    received = today_cn() - dt.timedelta(days=40)
    pk = _assigned(app, received)
    with app.app_context():
        last = add_working_days(received, 5)
    refused = _fire(app, pk, "request_return")
    assert refused.status_code == 422 and last.isoformat() in _messages(refused)
    assert _status(app, pk) == "ASSIGNED"
    zh = _fire(app, pk, "request_return", lang="zh")
    assert "申请退回须在" in _messages(zh) and _status(app, pk) == "ASSIGNED"


def test_a_return_within_the_window_is_asked_and_the_window_is_a_setting(app, as_role):
    pk = _assigned(app, today_cn())
    assert _fire(app, pk, "request_return").status_code == 200
    assert _status(app, pk) == "RETURN_REQUESTED"

    late = _assigned(app, today_cn() - dt.timedelta(days=40))
    as_role("admin", "en").post("/console/settings/", data={"PROPOSAL_RETURN_DAYS": "60"})
    assert _fire(app, late, "request_return").status_code == 200


def test_the_handling_unit_row_refuses_a_late_return_request(app):
    received = dt.date(2026, 3, 2)
    pk = _assigned(app, received)
    with app.app_context():
        row_id = db.session.query(ProposalAssignment).filter_by(proposal_id=pk).one().id
        version = db.session.get(ProposalAssignment, row_id).row_version
    client, headers = api_client(app, "admin", "en")
    response = client.put(f"/api/v1/proposal_assignment/{row_id}", headers=headers, json={
        "return_requested": True, "return_requested_at": "2026-03-20", "return_reason": "不属于本单位职责",
        "row_version": version})
    assert response.status_code == 422 and "2026-03-09" in str(response.json)
    with app.app_context():
        assert db.session.get(ProposalAssignment, row_id).return_requested is False


# --- 会办 --------------------------------------------------------------------------------------------
def test_the_answer_waits_for_the_joint_handling_units_opinion(app):
    pk = _proposal(app, status="HANDLING", assigned_at=dt.date(2026, 3, 2))
    with app.app_context():
        p = db.session.get(Proposal, pk)
        make(db.session, ProposalAssignment, proposal=p, role="ZHUBAN")
        joint_unit = make(db.session, Department, name_zh=f"会办测试单位{next(_n)}")
        joint = make(db.session, ProposalAssignment, proposal=p, role="HUIBAN", department=joint_unit)
        make(db.session, ProposalReply, proposal=p, answer_category="A", reply_date=dt.date(2026, 5, 20))
        db.session.commit()
        assert joint.co_opinion_due == dt.date(2026, 5, 2)      # like a co-handler: assignment + 2 months
        assert p.joint_departments == joint_unit.name_zh and joint_unit.name_zh not in p.co_departments
        joint_id, unit_name = joint.id, joint_unit.name_zh
    refused = _fire(app, pk, "reply")
    assert refused.status_code == 422 and unit_name in _messages(refused)
    assert _status(app, pk) == "HANDLING"
    with app.app_context():
        db.session.get(ProposalAssignment, joint_id).co_opinion_at = dt.date(2026, 5, 10)
        db.session.commit()
    assert _fire(app, pk, "reply").status_code == 200 and _status(app, pk) == "REPLIED"


# --- 并案 --------------------------------------------------------------------------------------------
def test_merge_refusals_and_a_merged_proposal_answered_by_its_main(app):
    label = _label()
    main = _proposal(app, session_label=label, kind="NPC_JIANYI", status="HANDLING")
    other = _proposal(app, session_label=label, kind="NPC_JIANYI", status="HANDLING")
    closed = _proposal(app, session_label=label, kind="NPC_JIANYI", status="CLOSED")
    elsewhere = _proposal(app, kind="NPC_JIANYI", status="HANDLING")
    merged_away = _proposal(app, session_label=label, kind="NPC_JIANYI", status="HANDLING")

    assert "into itself" in _messages(_fire(app, main, "merge", user="admin", merged_into_id=main))
    assert "is closed" in _messages(_fire(app, main, "merge", merged_into_id=closed))
    assert "same session" in _messages(_fire(app, main, "merge", merged_into_id=elsewhere))
    assert _fire(app, merged_away, "merge", merged_into_id=other).status_code == 200
    refused = _fire(app, main, "merge", merged_into_id=merged_away)
    assert refused.status_code == 422 and "itself merged" in _messages(refused)
    assert _status(app, main) == "HANDLING"

    assert _fire(app, main, "merge", merged_into_id=other).status_code == 200
    with app.app_context():
        p, target = db.session.get(Proposal, main), db.session.get(Proposal, other)
        assert p.status == "MERGED" and p.merged_at == today_cn() and p.merged_into_id == other
        assert str(p) in target.merged_summary
        make(db.session, ProposalReply, proposal=target, answer_category="A", reply_date=today_cn())
        db.session.commit()
        assert p.reply_date == today_cn() and p.answer_category == "A"       # answered by the main's reply
        assert deadlines.light(entity_for(Proposal), p) == "GREEN"           # its own clock has stopped


# --- a confidential proposer -----------------------------------------------------------------------
def test_a_confidential_proposer_is_masked_for_a_clerk_and_shown_to_the_admin(app, as_role):
    title = f"保密提出人的建议{next(_n)}"
    pk = _proposal(app, title=title, lead_proposer="欧阳保密", co_proposers="林附议、陈附议",
                   confidentiality_requested=True)
    with app.app_context():
        p = db.session.get(Proposal, pk)
        assert p.lead_proposer is None and p.confidential_lead_proposer == "欧阳保密"
        public = make(db.session, Proposal, session_label=_label(), title=f"公开的建议{next(_n)}",
                      lead_proposer="张公开")
        db.session.commit()
        assert public.lead_proposer == "张公开" and public.confidential_lead_proposer is None

    clerk = as_role("clerk", "en")
    page = clerk.get(f"/proposalview/show/{pk}").get_data(as_text=True)
    assert "欧阳保密" not in page and "林附议" not in page and "欧***" in page
    listed = clerk.get(f"/proposalview/list/?_flt_0_title={title}").get_data(as_text=True)
    assert "欧阳保密" not in listed
    client, headers = api_client(app, "clerk")
    shown = client.get(f"/api/v1/proposal/{pk}", headers=headers).json["result"]
    assert shown["confidential_lead_proposer"] == "欧***"
    exported = as_role("manager").get(f"/proposalview/export/?_flt_0_title={title}")
    cells = {str(c) for row in CalamineWorkbook.from_filelike(io.BytesIO(exported.data))
             .get_sheet_by_index(0).to_python() for c in row}
    assert "欧阳保密" not in cells
    with app.app_context():
        assert db.session.query(AuditLog).filter_by(action="UNMASK", entity="Proposal", record_id=pk).count() == 0

    assert "欧阳保密" in as_role("admin", "en").get(f"/proposalview/show/{pk}").get_data(as_text=True)
    with app.app_context():
        assert db.session.query(AuditLog).filter_by(action="UNMASK", entity="Proposal", record_id=pk).count() == 1
        p = db.session.get(Proposal, pk)
        p.confidentiality_requested = False                      # the request withdrawn: the names are public
        db.session.commit()
        assert p.lead_proposer == "欧阳保密" and p.confidential_lead_proposer is None


# --- information filed (存档) ------------------------------------------------------------------------
def test_filing_an_information_report_puts_it_in_its_own_filed_state(app):
    with app.app_context():
        report = make(db.session, InfoReport, status="SCREENING", signer="张签发", screening_result=None)
        db.session.commit()
        pk = report.id
    client, headers = api_client(app, "admin", "en")
    response = client.post(f"/api/v1/info_report/{pk}/transition/file_info", json={"comment": "存档"},
                           headers=headers)
    assert response.status_code == 200, response.json
    with app.app_context():
        report = db.session.get(InfoReport, pk)
        assert (report.status, report.screening_result) == ("FILED", "CUNDANG")
        assert "FILED" in entity_for(InfoReport).workflow.finished        # an end of the information's road
        report.status = "REJECTED"                                 # 不采用 is not 存档
        from models.info import info_problems
        assert info_problems(report)


# --- labels --------------------------------------------------------------------------------------
def test_the_new_and_corrected_labels_in_both_languages(app):
    expected = {
        ("handling_role", "HUIBAN"): ("会办", "Joint handling"),
        ("handling_role", "FENBAN"): ("分办", "Separate handling"),
        ("unit_type", "VERTICAL"): ("驻厦单位", "Units stationed in Xiamen"),
        ("unit_type", "DEV_ZONE"): ("开发区管委会", "Development zone management committee"),
        ("disclosure", "ZHUDONG"): ("主动公开", "Proactive disclosure"),
        ("info_status", "FILED"): ("已存档", "Filed"),
        ("prop_status", "MERGED"): ("已并案", "Merged into a main proposal"),
    }
    with app.app_context():
        for (category, code), labels in expected.items():
            row = db.session.query(Lookup).filter_by(category=category, code=code).one()
            assert (row.label_zh, row.label_en) == labels


# --- the dashboard counts them --------------------------------------------------------------------
def test_the_dashboard_counts_overdue_evaluations_and_merged_proposals(app, as_role):
    from tests.test_dashboard import _figure, _home, _record_count

    client = as_role("leader", "en")
    before = _figure(_home(client), "proposal-time-limits")
    pk = _proposal(app, assigned_at=today_cn() - dt.timedelta(days=120))
    with app.app_context():
        make(db.session, ProposalReply, proposal=db.session.get(Proposal, pk), reply_type="FIRST",
             answer_category="A", reply_date=today_cn() - dt.timedelta(days=60))
        db.session.commit()
    label = _label()
    main = _proposal(app, session_label=label, status="HANDLING")
    merged = _proposal(app, session_label=label, status="HANDLING")
    assert _fire(app, merged, "merge", merged_into_id=main).status_code == 200

    after = _figure(_home(client), "proposal-time-limits")
    for name in ("Evaluations overdue", "Merged into a main proposal"):
        assert after[name][0] - before.get(name, (0, None))[0] == 1
        assert _record_count(client, after[name][1]) == after[name][0]


def test_the_history_never_keeps_a_confidential_proposers_name_in_clear(app):
    pk = _proposal(app, lead_proposer="司马后保密", co_proposers="诸葛附议")
    with app.app_context():
        p = db.session.get(Proposal, pk)
        p.confidentiality_requested = True                     # asked for after registration
        db.session.commit()
        assert p.lead_proposer is None and p.confidential_lead_proposer == "司马后保密"
        trail = " ".join(str(row.changes) for row in db.session.query(AuditLog).filter_by(
            entity="Proposal", record_id=pk))
        assert "司马后保密" not in trail and "诸葛附议" not in trail and "司***" in trail


def test_global_search_finds_a_public_proposer_never_a_confidential_one(app, as_role):
    tag = f"{next(_n)}"
    public = _proposal(app, title=f"公开检索建议{tag}", lead_proposer=f"欧阳公开{tag}")
    secret = _proposal(app, title=f"保密检索建议{tag}", lead_proposer=f"欧阳密件{tag}",
                       confidentiality_requested=True)
    admin = as_role("admin", "en")
    assert f"/proposalview/show/{public}\"" in admin.get("/search/", query_string={"q": f"欧阳公开{tag}"}).get_data(
        as_text=True)
    found = admin.get("/search/", query_string={"q": f"欧阳密件{tag}"}).get_data(as_text=True)
    assert f"/proposalview/show/{secret}\"" not in found


def test_the_new_screens_open_in_both_languages(app, as_role):
    pk, _evaluation = _dissatisfied(app)
    handling = _proposal(app, status="HANDLING")
    pages = {f"/proposalview/show/{pk}": ("Re-handling", "重新办理"),
             f"/proposalview/transition/{handling}/merge": ("Merged into", "并入主件"),
             "/proposalrehandlingview/list/": ("Start due date", "启动期限"),
             "/proposalreplyview/list/": ("Evaluation due date", "评价期限"),
             "/console/settings/": ("Proposals: working days for the proposer's evaluation",
                                    "代表委员评价时限（工作日）")}
    for lang, index in (("en", 0), ("zh", 1)):
        client = as_role("admin", lang)
        for url, words in pages.items():
            response = client.get(url)
            assert response.status_code == 200, url
            assert words[index] in response.get_data(as_text=True).replace("&#39;", "'"), (url, lang)


# --- the reminders tell the unit ------------------------------------------------------------------
def test_the_daily_reminders_tell_the_unit_of_an_overdue_evaluation_and_a_rehandling_due_soon(app):
    from app.reminders.kinds import DUE_SOON, OVERDUE
    from app.reminders.run import daily
    from models.notifications import Notification
    from tests.conftest import TEST_UNIT_CODE

    monday = dt.date(2026, 7, 6)
    pk = _proposal(app, assigned_at=dt.date(2026, 3, 2), status="EVALUATED")
    with app.app_context():
        unit = db.session.query(Department).filter_by(code=TEST_UNIT_CODE).one()
        p = db.session.get(Proposal, pk)
        reply = make(db.session, ProposalReply, proposal=p, department=unit, reply_type="FIRST",
                     answer_category="A", reply_date=dt.date(2026, 6, 1))          # evaluation due 22 June
        rehandling = make(db.session, ProposalRehandling, proposal=p, department=unit,
                          requested_on=dt.date(2026, 7, 2), started_on=None, replied_on=None,
                          start_due=None, reply_due=None, due_date=None)          # start due 9 July
        db.session.commit()
        assert rehandling.due_date == dt.date(2026, 7, 9)
        daily(db.session, monday, send_mail=False)
        user = app.appbuilder.sm.find_user("clerk")
        told = {(n.entity, n.record_id): n.kind for n in db.session.query(Notification).filter_by(user_id=user.id)}
        assert told[("ProposalReply", reply.id)] == OVERDUE
        assert told[("ProposalRehandling", rehandling.id)] == DUE_SOON
