"""Research reports (政策研究室) and government-affairs information (政务信息处), with the
information scoring rules (a configuration table, Admin only)."""
from app.ledgers import SERIAL, ByUnit, Count, Sum, in_role, register_ledger
from app.registry import register
from app.workflow import Transition, Workflow
from models.base import _l, live, now_cn, today_cn
from models.info import (
    INFO_SUBMITTED_STATES,
    InfoAdoption,
    InfoReport,
    InfoScoreRule,
    ResearchConversion,
    ResearchCoUnit,
    ResearchReport,
    adoption_problems,
    co_unit_problems,
    conversion_problems,
    info_problems,
    research_problems,
    score_adoption,
    score_report,
    score_rule_problems,
    start_screening,
)


def _screening(result: str) -> dict:
    """Stamps of a screening decision: its result (the round starts empty, see
    `start_screening`) and the day it was taken."""
    return {"screening_result": lambda: result, "screened_at": today_cn}


# --- F08 Research -------------------------------------------------------------------------
register(
    ResearchCoUnit, group="F08_Research", title=_l("Co-units"), item=_l("Co-unit"), menu=False,
    checks=[co_unit_problems],
    list=["seq", "department", "task"],
    search=["department", "task"],
    sections=[(_l("Co-unit"), ["report", "seq", "department", "task"])],
    base_order=("seq", "asc"),
)

register(
    ResearchConversion, group="F08_Research", title=_l("Conversions"), item=_l("Conversion"), menu=False,
    checks=[conversion_problems],
    list=["report", "conversion_type", "converted_at", "description", "document", "meeting"],
    search=["conversion_type", "converted_at", "description"],
    sections=[(_l("Conversion"), ["report", "conversion_type", "converted_at", "description", "document",
                                  "meeting", "remark"])],
    base_order=("converted_at", "desc"),
)

register(
    ResearchReport, group="F08_Research", title=_l("Research reports"), item=_l("Research report"),
    icon="fa-search",
    checks=[research_problems],
    list=["year", "topic", "origin", "lead_department", "planned_end", "submitted_at", "status"],
    search=["topic", "year", "origin", "requested_by", "lead_department", "team_leader", "members",
            "secrecy_level", "planned_start", "planned_end", "submitted_at", "status"],
    order=["year", "topic", "origin", "planned_end", "submitted_at", "status"],
    sections=[
        (_l("Research project"), ["topic", "year", "origin", "requested_by", "secrecy_level", "status"]),
        (_l("Research team"), ["lead_department", "co_units", "team_leader", "members"]),
        (_l("Plan and methods"), ["planned_start", "planned_end", "method_field", "method_forum", "method_survey",
                                  "method_data"]),
        (_l("Report contents"), ["summary", "body", "report_file_name", "attachment_note"]),
        (_l("Submission and results"), ["submitted_to", "submitted_at", "leader_instruction",
                                        "conversion_summary"]),
        (_l("Remarks"), ["remark"]),
    ],
    # the report is an attachment like every record's files; the old file-name column only shows what
    # earlier records typed into it
    readonly=["co_units", "conversion_summary", "report_file_name"],
    export=["year", "topic", "origin", "requested_by", "lead_department", "co_units", "team_leader", "members",
            "planned_start", "planned_end", "methods", "secrecy_level", "submitted_to", "submitted_at",
            "leader_instruction", "conversion_summary", "status", "remark"],
    base_order=("planned_start", "desc"),
    related=[ResearchCoUnit, ResearchConversion],
    # PLANNED → IN_FIELD → DRAFTING → REVIEW → SUBMITTED → INSTRUCTED → CONVERTED → CLOSED (docs/domain.md §7);
    # a review may send the draft back, and a report whose results are not converted is closed
    # from SUBMITTED or INSTRUCTED with the reason in the comment.
    workflow=Workflow(finished=["CLOSED"], transitions=[
        Transition("start_fieldwork", _l("Start the field research"), ["PLANNED"], "IN_FIELD",
                   roles=["Clerk", "Manager"]),
        Transition("start_drafting", _l("Start drafting the report"), ["IN_FIELD"], "DRAFTING",
                   roles=["Clerk", "Manager"]),
        Transition("submit_for_review", _l("Submit the draft for review"), ["DRAFTING"], "REVIEW",
                   roles=["Clerk", "Manager"]),
        Transition("return_draft", _l("Return the draft for rework"), ["REVIEW"], "DRAFTING",
                   roles=["Manager", "Leader"], comment="required", style="warning", todo=False),
        Transition("submit_to_leaders", _l("Submit the report to the leaders"), ["REVIEW"], "SUBMITTED",
                   roles=["Manager", "Leader"], fields=["submitted_to", "submitted_at"], requires=["submitted_to"],
                   stamp={"submitted_at": today_cn}, style="success"),
        Transition("record_instruction", _l("Record the leaders' instructions"), ["SUBMITTED"], "INSTRUCTED",
                   roles=["Clerk", "Manager", "Leader"], fields=["leader_instruction"],
                   requires=["leader_instruction"]),
        Transition("mark_converted", _l("Results converted"), ["SUBMITTED", "INSTRUCTED"], "CONVERTED",
                   roles=["Clerk", "Manager"], style="success"),
        Transition("close_research", _l("Close the research"), ["CONVERTED"], "CLOSED",
                   roles=["Manager", "Leader"], style="success", todo=False),
        Transition("close_unconverted", _l("Close without conversion"), ["SUBMITTED", "INSTRUCTED"], "CLOSED",
                   roles=["Manager", "Leader"], comment="required", style="default", todo=False),
    ]),
)

# --- F09 Government information ------------------------------------------------------------
register(
    InfoAdoption, group="F09_Information", title=_l("Sent up and adopted"), item=_l("Submission upward"),
    on_delete=[score_adoption],
    on_save=[score_adoption],
    menu=False,
    checks=[adoption_problems],
    list=["report", "target_level", "sent_at", "adopted", "publication", "issue_no", "adopted_at",
          "leader_instructed", "points"],
    search=["target_level", "sent_at", "adopted", "publication", "adopted_at", "leader_instructed"],
    sections=[
        (_l("Submission upward"), ["report", "target_level", "sent_at"]),
        (_l("Adoption"), ["adopted", "publication", "issue_no", "adopted_at"]),
        (_l("Leader's instruction"), ["leader_instructed", "instruction_note"]),
        (_l("Score"), ["points"]),
    ],
    readonly=["points"],
    base_order=("sent_at", "desc"),
)

register(
    InfoReport, group="F09_Information", title=_l("Government information"), item=_l("Information"),
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"title": ["信息标题"], "info_type": ["信息类型"], "department": ["报送部门", "来稿单位"],
              "submitted_at": ["报送日期"], "author": ["作者"]},
    on_save=[score_report],
    icon="fa-newspaper-o",
    checks=[info_problems],
    list=["title", "info_type", "department", "submitted_at", "screening_result", "status", "score"],
    search=["title", "info_type", "department", "author", "signer", "submitted_at", "secrecy_level",
            "screening_result", "screener", "local_publication", "local_issue_no", "status", "score"],
    order=["title", "info_type", "submitted_at", "screening_result", "status", "score"],
    sections=[
        (_l("Information"), ["title", "info_type", "department", "secrecy_level", "body"]),
        (_l("Submission"), ["author", "author_phone", "signer", "submitted_at", "status"]),
        (_l("Screening"), ["screening_result", "screener", "screened_at", "screening_opinion",
                           "local_publication", "local_issue_no"]),
        (_l("Adoption above"), ["adopted_by", "instruction_count", "score"]),
        (_l("Remarks"), ["remark"]),
    ],
    # the screening result is the screening decision's (a transition stamps it), not a form field
    readonly=["screening_result", "adopted_by", "instruction_count", "score"],
    # per-report detail behind 政务信息报送采用统计表 (docs/domain.md §10); the author's phone stays out
    export=["department", "title", "info_type", "author", "signer", "submitted_at", "secrecy_level",
            "screening_result", "screener", "local_publication", "local_issue_no", "adopted_by",
            "instruction_count", "score", "status"],
    base_order=("submitted_at", "desc"),
    related=[InfoAdoption],
    # DRAFT → SUBMITTED → SCREENING → ADOPTED | REVISE | REJECTED | FILED; REVISE → SUBMITTED;
    # ADOPTED → SENT_UP → ADOPTED_UP | NOT_ADOPTED_UP (docs/domain.md §7). Each screening decision
    # stamps its result (采用, 退修, 不采用, 存档); sending up and adoption above need the
    # adoption rows (the record's rule, `info_problems`).
    workflow=Workflow(finished=["REJECTED", "FILED", "ADOPTED_UP", "NOT_ADOPTED_UP"], transitions=[
        Transition("submit_info", _l("Submit the information"), ["DRAFT", "REVISE"], "SUBMITTED",
                   roles=["Clerk", "Manager"], fields=["signer"], requires=["signer"],
                   stamp={"submitted_at": now_cn}),
        Transition("start_screening", _l("Start screening"), ["SUBMITTED"], "SCREENING",
                   roles=["Clerk", "Manager"], effect=start_screening),
        Transition("adopt_info", _l("Adopt the information"), ["SCREENING"], "ADOPTED",
                   roles=["Manager", "Leader"],
                   fields=["screener", "screening_opinion", "local_publication", "local_issue_no"],
                   stamp=_screening("CAIYONG"), style="success"),
        Transition("return_for_revision", _l("Return for revision"), ["SCREENING"], "REVISE",
                   roles=["Manager", "Leader"], fields=["screener", "screening_opinion"],
                   requires=["screening_opinion"], stamp=_screening("TUIXIU"), style="warning", todo=False),
        Transition("reject_info", _l("Do not adopt"), ["SCREENING"], "REJECTED",
                   roles=["Manager", "Leader"], fields=["screener", "screening_opinion"],
                   requires=["screening_opinion"], stamp=_screening("BUCAIYONG"), style="danger", todo=False),
        Transition("file_info", _l("File for reference"), ["SCREENING"], "FILED",
                   roles=["Manager", "Leader"], fields=["screener", "screening_opinion"],
                   stamp=_screening("CUNDANG"), style="default", todo=False),
        Transition("send_up", _l("Sent up to higher offices"), ["ADOPTED"], "SENT_UP",
                   roles=["Clerk", "Manager"]),
        Transition("mark_adopted_up", _l("Adopted by a higher office"), ["SENT_UP"], "ADOPTED_UP",
                   roles=["Clerk", "Manager"], style="success"),
        Transition("mark_not_adopted_up", _l("Not adopted by the higher offices"), ["SENT_UP"], "NOT_ADOPTED_UP",
                   roles=["Clerk", "Manager"], style="default"),
    ]),
)

register(
    InfoScoreRule, group="F09_Information", title=_l("Information scoring rules"), item=_l("Scoring rule"),
    icon="fa-calculator", admin_only=True,
    checks=[score_rule_problems],
    list=["year_from", "level", "basis", "publication", "points", "remark"],
    search=["year_from", "level", "basis", "publication"],
    sections=[(_l("Scoring rule"), ["year_from", "level", "basis", "publication", "points", "remark"])],
    base_order=("year_from", "desc"),
)


# --- the ledger (docs/domain.md §10): 政务信息报送采用统计表 ------------------------------------------------
def _adopted_by(level: str):
    """Adopted by the office of `level` (SHENG: the province, GUOBAN: the State Council), once per report."""
    return lambda report: any(a.adopted and a.target_level == level for a in live(report.adoptions))


#: Per submitting unit: reports submitted, adopted by the office itself (本级), by the province and
#: by the State Council, leaders' instructions received, the points the score rules gave, and the
#: unit's rank by points (1 for the most).
INFO_BY_UNIT = ByUnit(
    title=_l("Government information by submitting unit"), sheet=_l("By submitting unit"),
    unit_header=_l("Submitting unit"), units=lambda report: [(report.department, None)], rank_by="score",
    measures=[
        Count("submitted", _l("Pieces submitted"), in_role(None, lambda r: r.status in INFO_SUBMITTED_STATES)),
        Count("local", _l("Adopted by the General Office"), in_role(None, lambda r: r.screening_result == "CAIYONG")),
        Count("province", _l("Adopted by the province"), in_role(None, _adopted_by("SHENG"))),
        Count("state", _l("Adopted by the State Council"), in_role(None, _adopted_by("GUOBAN"))),
        Sum("instructions", _l("Leaders' instructions received"), lambda r: r.instruction_count, kind="int"),
        Sum("score", _l("Points"), lambda r: r.score),
    ],
)

register_ledger(
    "info_adoption", _l("Government information submitted and adopted"), InfoReport,
    [SERIAL, "department", "title", "info_type", "submitted_at", "screening_result", "local_publication",
     "local_issue_no", "adopted_by", "instruction_count", "score", "status"],
    summary=[INFO_BY_UNIT],
    load=["department", "adoptions"],
    note=_l("Each piece of information with where it was adopted and its points; a sheet ranking the units."),
)
