"""Disputes between municipal departments (部门争议协调) and their parties."""
from flask_appbuilder.models.sqla.filters import FilterEqual

from app.registry import register
from app.workflow import Transition, Workflow
from models.base import _l, today_cn
from models.disputes import Dispute, DisputeParty, dispute_problems, open_implementation_item, party_problems

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



#: States from which the submitting department may still withdraw: no leader has decided yet.
OPEN_STATES = ["SUBMITTED", "ACCEPTED", "INVESTIGATING", "COORDINATING", "PROPOSED", "PENDING_DECISION"]

# SUBMITTED → ACCEPTED → INVESTIGATING → COORDINATING → PROPOSED → PENDING_DECISION → DECIDED → IMPLEMENTING
# → CLOSED, or WITHDRAWN (docs/domain.md §5); a dispute referred to the establishment office has nothing to implement.
DISPUTE_WORKFLOW = Workflow(finished=["CLOSED", "WITHDRAWN"], transitions=[
    Transition("accept", _l("Accept the dispute"), ["SUBMITTED"], "ACCEPTED", roles=["Manager"],
               fields=["handling_division", "handler"]),
    Transition("investigate", _l("Start investigating"), ["ACCEPTED"], "INVESTIGATING", roles=["Clerk", "Manager"]),
    Transition("coordinate", _l("Start coordinating"), ["INVESTIGATING"], "COORDINATING", roles=["Clerk", "Manager"],
               fields=["meeting"]),
    Transition("propose_solution", _l("Propose a solution"), ["COORDINATING"], "PROPOSED", roles=["Manager"],
               fields=["office_proposal", "refer_to_bianban"], requires=["office_proposal"]),
    Transition("submit_for_decision", _l("Submit for the leader's decision"), ["PROPOSED"], "PENDING_DECISION",
               roles=["Manager"]),
    Transition("decide", _l("Record the leader's decision"), ["PENDING_DECISION"], "DECIDED", roles=["Leader"],
               fields=["decision_leader", "decision", "decided_at"], requires=["decision_leader", "decision"],
               stamp={"decided_at": today_cn}, style="success"),
    Transition("implement", _l("Implement under supervision"), ["DECIDED"], "IMPLEMENTING", roles=["Manager"],
               when={"refer_to_bianban": False}, effect=open_implementation_item),
    Transition("close", _l("Close the dispute"), ["IMPLEMENTING"], "CLOSED", roles=["Manager"], style="success"),
    Transition("close_referred", _l("Close: referred to the establishment office"), ["DECIDED"], "CLOSED",
               roles=["Manager"], when={"refer_to_bianban": True}, style="success"),
    Transition("withdraw", _l("Withdraw the dispute"), OPEN_STATES, "WITHDRAWN", roles=["Clerk", "Manager"],
               comment="required", style="danger", todo=False),
])

register(
    Dispute, group="F04_Disputes", title=_l("Department disputes"), item=_l("Department dispute"),
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"dispute_no": ["争议编号"], "title": ["争议事项"], "raised_by": ["提请部门", "申请单位"],
              "raised_at": ["提请时间"], "background": ["争议内容"], "handling_division": ["承办处"],
              "handler": ["承办人"], "office_proposal": ["处理意见"], "decision": ["协调结果"],
              "decided_at": ["决定时间"]},
    import_key=["dispute_no"],
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
    workflow=DISPUTE_WORKFLOW,
)
