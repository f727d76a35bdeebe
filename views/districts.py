"""District requests and reports (区政府请示/报告): review, consultations, approval chain."""
from flask_appbuilder.models.sqla.filters import FilterEqual

from app.registry import register
from models.base import _l
from models.districts import (
    Consultation,
    DistrictRequest,
    DistrictRequestApproval,
    consultation_problems,
    district_request_problems,
)

# Children first: the request's record page shows them as tabs.
register(
    Consultation, group="F03_DistrictRequests", title=_l("Consultations"), item=_l("Consultation"),
    checks=[consultation_problems],
    menu=False,
    list=["request", "seq", "department", "sent_at", "due_at", "replied_at", "stance", "opinion_brief", "rag_light"],
    search=["request", "department", "sent_at", "due_at", "replied_at", "stance"],
    order=["seq", "department", "sent_at", "due_at", "replied_at", "stance"],
    sections=[
        (_l("Consultation"), ["request", "seq", "department", "sent_at", "due_at"]),
        (_l("Reply"), ["replied_at", "stance", "opinion", "remark"]),
    ],
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

_RELATION_FILTERS = {
    "district": [["unit_type", FilterEqual, "DISTRICT"]],
    "document": [["direction", FilterEqual, "INCOMING"]],
    "reply_document": [["direction", FilterEqual, "OUTGOING"]],
    "handling_division": [["unit_type", FilterEqual, "OFFICE_DIVISION"]],
}

register(
    DistrictRequest, group="F03_DistrictRequests", title=_l("District requests"), item=_l("District request"),
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
        (_l("Form review"), ["chk_one_matter", "chk_single_recipient", "chk_no_level_skipping", "chk_signer",
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
)
