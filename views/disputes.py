"""Disputes between municipal departments (部门争议协调) and their parties."""
from flask_appbuilder.models.sqla.filters import FilterEqual

from app.registry import register
from models.base import _l
from models.disputes import Dispute, DisputeParty, dispute_problems, party_problems

# Children first: the dispute's record page shows them as a tab.
register(
    DisputeParty, group="F04_Disputes", title=_l("Parties"), item=_l("Party"),
    checks=[party_problems],
    menu=False,
    list=["dispute", "seq", "department", "role", "position_brief", "signed_by"],
    search=["dispute", "department", "role", "signed_by"],
    order=["seq", "department", "role", "signed_by"],
    sections=[
        (_l("Party"), ["dispute", "seq", "department", "role", "signed_by"]),
        (_l("Position"), ["position", "basis"]),
    ],
    base_order=("seq", "asc"),
)

register(
    Dispute, group="F04_Disputes", title=_l("Department disputes"), item=_l("Department dispute"),
    checks=[dispute_problems],
    icon="fa-balance-scale",
    list=["dispute_no", "title", "dispute_type", "raised_by", "raised_at", "party_summary", "status",
          "decided_at"],
    search=["dispute_no", "title", "dispute_type", "raised_by", "raised_at", "status", "prior_consultation",
            "handling_division", "handler", "meeting", "decision_leader", "decided_at", "refer_to_bianban"],
    order=["dispute_no", "title", "dispute_type", "raised_by", "raised_at", "status", "decided_at"],
    sections=[
        (_l("Dispute"), ["dispute_no", "title", "dispute_type", "raised_by", "raised_at", "party_summary",
                         "background"]),
        (_l("Prior consultation"), ["prior_consultation", "prior_consultation_note"]),
        (_l("Coordination"), ["handling_division", "handler", "status", "meeting", "office_proposal",
                              "refer_to_bianban"]),
        (_l("Leader's decision"), ["decision_leader", "decision", "decided_at", "supervision_item", "remark"]),
    ],
    readonly=["party_summary"],
    export=["dispute_no", "title", "dispute_type", "raised_by", "raised_at", "party_summary", "prior_consultation",
            "handling_division", "meeting", "office_proposal", "decision_leader", "decision", "decided_at",
            "supervision_item", "refer_to_bianban", "status", "remark"],
    view_attrs={
        "add_form_query_rel_fields": {"handling_division": [["unit_type", FilterEqual, "OFFICE_DIVISION"]]},
        "edit_form_query_rel_fields": {"handling_division": [["unit_type", FilterEqual, "OFFICE_DIVISION"]]},
    },
    base_order=("raised_at", "desc"),
    related=[DisputeParty],
)
