"""District requests and reports (区政府请示/报告): review, consultations, approval chain.

A request moves with its incoming Document (`move_document`), and a decided request whose
implementation must be followed up is closed into a supervision item (`open_follow_up`).
"""
from flask_appbuilder.models.sqla.filters import FilterEqual

from app.registry import register
from app.registry.deadlines import Deadline
from app.workflow import Transition, Workflow
from models.base import _l, today_cn
from models.districts import (
    DR_FINISHED,
    Consultation,
    DistrictRequest,
    DistrictRequestApproval,
    consultation_due,
    consultation_problems,
    district_request_problems,
    move_document,
    open_follow_up,
    return_to_district,
)
from models.lookups import REQUEST_FOR_INSTRUCTIONS

# Children first: the request's record page shows them as tabs.
register(
    Consultation, group="F03_DistrictRequests", title=_l("Consultations"), item=_l("Consultation"),
    on_save=[consultation_due],
    checks=[consultation_problems],
    menu=False,
    list=["request", "seq", "department", "sent_at", "due_at", "replied_at", "stance", "opinion_brief", "rag_light"],
    search=["request", "department", "sent_at", "due_at", "replied_at", "stance"],
    order=["seq", "department", "sent_at", "due_at", "replied_at", "stance"],
    sections=[
        (_l("Consultation"), ["request", "seq", "department", "sent_at", "due_at"]),
        (_l("Reply"), ["replied_at", "stance", "opinion", "remark"]),
    ],
    deadline=Deadline("due_at", stopped_by="replied_at"),   # answered: the clock stops
    base_order=("seq", "asc"),
)

register(
    DistrictRequestApproval, group="F03_DistrictRequests", title=_l("Approval chain"), item=_l("Approval step"),
    menu=False,
    list=["seq", "step", "approver", "meeting", "acted_at", "result", "opinion"],
    search=["request", "step", "approver", "result", "acted_at"],
    sections=[(_l("Approval step"), ["request", "seq", "step", "approver", "meeting", "acted_at", "result",
                                     "opinion"])],
    view_attrs={
        "add_form_query_rel_fields": {"meeting": [["meeting_type", FilterEqual, "CHANGWU"]]},
        "edit_form_query_rel_fields": {"meeting": [["meeting_type", FilterEqual, "CHANGWU"]]},
    },
    base_order=("seq", "asc"),
)



CHECK_FIELDS = ["chk_one_matter", "chk_single_recipient", "chk_no_level_skipping", "chk_signer", "chk_countersign"]

# RECEIVED → REVIEWED | RETURNED → CONSULTING → PROPOSED → PENDING_APPROVAL → DECIDED → REPLIED → CLOSED
# (docs/domain.md §5); a request that needs no consultation is proposed on at once, one that needs no reply
# (a report, a transfer to a department) is closed once decided.
DISTRICT_REQUEST_WORKFLOW = Workflow(finished=sorted(DR_FINISHED), transitions=[
    Transition("review_request", _l("Pass the formal review"), ["RECEIVED"], "REVIEWED", roles=["Manager"],
               fields=[*CHECK_FIELDS, "review_note"], effect=move_document, style="success"),
    Transition("return_request", _l("Return to the district"), ["RECEIVED"], "RETURNED", roles=["Manager"],
               fields=["review_note"], comment="required", stamp={"decided_at": today_cn}, effect=return_to_district,
               style="danger", todo=False),
    Transition("consult", _l("Ask departments for opinions"), ["REVIEWED"], "CONSULTING", roles=["Clerk"],
               effect=move_document),
    Transition("propose_handling", _l("Propose handling"), ["REVIEWED", "CONSULTING"], "PROPOSED",
               roles=["Manager"], fields=["office_opinion", "is_major"], requires=["office_opinion"],
               effect=move_document),
    Transition("submit_for_approval", _l("Submit up the approval chain"), ["PROPOSED"], "PENDING_APPROVAL",
               roles=["Clerk", "Manager"], effect=move_document),
    Transition("decide", _l("Record the decision"), ["PENDING_APPROVAL"], "DECIDED", roles=["Leader"],
               fields=["outcome", "decided_at"], requires=["outcome"], stamp={"decided_at": today_cn},
               effect=move_document, style="success"),
    Transition("reply", _l("Record the reply"), ["DECIDED"], "REPLIED", roles=["Clerk"],
               when={"kind": REQUEST_FOR_INSTRUCTIONS}, fields=["reply_document", "replied_at"],
               stamp={"replied_at": today_cn},
               effect=move_document),
    Transition("close", _l("Close the request"), ["DECIDED", "REPLIED"], "CLOSED", roles=["Manager"],
               effect=move_document, style="success"),
    Transition("close_with_follow_up", _l("Close and supervise the follow-up"), ["DECIDED", "REPLIED"], "CLOSED",
               roles=["Manager"], effect=open_follow_up, style="warning", todo=False),
])

_RELATION_FILTERS = {
    "district": [["unit_type", FilterEqual, "DISTRICT"]],
    "document": [["direction", FilterEqual, "INCOMING"]],
    "reply_document": [["direction", FilterEqual, "OUTGOING"]],
    "handling_division": [["unit_type", FilterEqual, "OFFICE_DIVISION"]],
}

register(
    DistrictRequest, group="F03_DistrictRequests", title=_l("District requests"), item=_l("District request"),
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"district": ["区政府", "请示单位"], "title": ["文件标题", "请示事项"],
              "source_doc_no": ["来文文号", "文号"], "received_date": ["收到日期"],
              "matter_summary": ["主要内容", "请示内容"], "handling_division": ["承办处"], "handler": ["承办人"],
              "due_date": ["办结时限"], "outcome": ["办理情况"]},
    checks=[district_request_problems],
    icon="fa-map-o",
    list=["district", "kind", "title", "received_date", "due_date", "consultation_progress", "status", "outcome",
          "rag_light"],
    search=["title", "district", "kind", "status", "outcome", "source_doc_no", "received_date", "due_date",
            "urgency", "is_major", "handling_division", "handler", "decided_at"],
    order=["district", "kind", "title", "received_date", "due_date", "status", "outcome"],
    sections=[
        (_l("Request or report"), ["district", "kind", "title", "source_doc_no", "document", "received_date", "urgency",
                         "due_date", "is_major"]),
        (_l("Content"), ["matter_summary", "district_basis"]),
        (_l("Formal review"), ["chk_one_matter", "chk_single_recipient", "chk_no_level_skipping", "chk_signer",
                             "chk_countersign", "review_note"]),
        (_l("Handling"), ["handling_division", "handler", "status", "consultation_progress", "office_opinion",
                          "rag_light", "overdue_days"]),
        (_l("Decision and reply"), ["outcome", "decided_at", "reply_document", "replied_at", "follow_up_item",
                                    "remark"]),
    ],
    readonly=["consultation_progress", "rag_light", "overdue_days"],
    export=["district", "kind", "title", "source_doc_no", "received_date", "urgency", "due_date", "matter_summary",
            "handling_division", "consultation_progress", "office_opinion", "status", "outcome", "decided_at",
            "reply_document", "replied_at", "overdue_days", "remark"],
    view_attrs={
        "add_form_query_rel_fields": _RELATION_FILTERS,
        "edit_form_query_rel_fields": _RELATION_FILTERS,
    },
    base_order=("received_date", "desc"),
    related=[Consultation, DistrictRequestApproval],
    workflow=DISTRICT_REQUEST_WORKFLOW,
)
