"""Leaders' instructions (followed up by the supervision office) and leaders' assignments."""
from app.ledgers import SERIAL, Computed, register_ledger
from app.lifecycle import chain
from app.registry import register
from app.registry.deadlines import Deadline
from app.workflow import Transition, Workflow
from models.base import _l, now_cn
from models.leaders import (
    LeaderInstruction,
    LeaderTask,
    escalate_task,
    instruction_opens_item,
    instruction_problems,
    task_problems,
)

# A 批办 instruction opens its supervision item when saved (models/leaders.py): the record
# shows the item, linked, and its status; neither is chosen in the form.
register(
    LeaderInstruction, group="F06_Supervision", title=_l("Leaders' instructions"), item=_l("Leader's instruction"),
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"leader": ["批示人", "领导姓名"], "leader_level": ["领导级别"], "instructed_at": ["批示日期"],
              "instruction_type": ["批示类别"], "content": ["领导批示", "批示原文", "批示意见"],
              # the ledger's carrier document: a registered document's name or the reference typed
              "source_ref": ["载体文件", "批示载体", "Carrier document"],
              "handler_department": ["责任单位", "主办单位"], "due_date": ["办结时限", "办理期限"],
              "result": ["办理情况", "落实情况"], "is_done": ["是否完成"]},
    on_save=[chain(instruction_opens_item)],
    checks=[instruction_problems],
    icon="fa-pencil-square-o",
    list=["leader", "leader_level", "instructed_at", "instruction_type", "content_brief", "handler_department",
          "due_date", "is_done", "supervision_status"],
    search=["leader", "leader_level", "instructed_at", "instruction_type", "content", "source_type", "source_ref",
            "handler_department", "due_date", "is_done"],
    sections=[
        (_l("Instruction"), ["leader", "leader_level", "instructed_at", "instruction_type", "content"]),
        (_l("Source"), ["source_type", "source_ref", "document", "source_id"]),
        (_l("Handling"), ["handler_department", "due_date", "result", "is_done", "supervision_link",
                          "supervision_status"]),
        (_l("Remarks"), ["remark"]),
    ],
    readonly=["supervision_status"],
    deadline=Deadline("due_date", stopped_by="is_done"),
    # 领导批示件办理情况表 (docs/domain.md §10): leader, date, summary, carrier document,
    # handling unit, time limit, result, done.
    export=["leader", "leader_level", "instructed_at", "instruction_type", "content", "source_type", "source_ref",
            "document", "handler_department", "due_date", "result", "is_done", "supervision_item",
            "supervision_status", "remark"],
    base_order=("instructed_at", "desc"),
)

register(
    LeaderTask, group="F15_LeaderTasks", title=_l("Leaders' assignments"), item=_l("Leader's assignment"),
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"leader": ["交办人"], "assigned_at": ["交办日期"], "title": ["交办事项", "事项名称"],
              "content": ["交办内容", "事项内容"], "handler_department": ["责任单位"], "handler_person": ["责任人"],
              "due_date": ["办结时限", "完成时限"], "result": ["办理情况", "完成情况"], "fed_back_at": ["反馈日期"]},
    checks=[task_problems],
    icon="fa-flag",
    list=["title", "leader", "assign_mode", "assigned_at", "handler_department", "handler_person", "due_date",
          "status"],
    search=["title", "content", "leader", "assign_mode", "assigned_at", "handler_department", "handler_person",
            "due_date", "status"],
    sections=[
        (_l("Assignment"), ["leader", "assign_mode", "assigned_at", "title", "content"]),
        (_l("Handling"), ["handler_department", "handler_person", "due_date", "status"]),
        (_l("Feedback"), ["result", "fed_back_at"]),
        (_l("Supervision"), ["supervision_link", "supervision_status"]),
        (_l("Remarks"), ["remark"]),
    ],
    readonly=["supervision_status"],
    export=["title", "leader", "assign_mode", "assigned_at", "content", "handler_department", "handler_person",
            "due_date", "status", "result", "fed_back_at", "supervision_item", "supervision_status", "remark"],
    base_order=("assigned_at", "desc"),
    # RECEIVED → HANDLING → FED_BACK → CLOSED; a task not getting done is escalated to the
    # supervision office, which opens an item (source 领导交办) and follows it from there.
    workflow=Workflow(finished=["CLOSED", "ESCALATED"], transitions=[
        Transition("start", _l("Start handling"), ["RECEIVED"], "HANDLING", roles=["Clerk", "Manager"]),
        Transition("feed_back", _l("Report the result to the leader"), ["HANDLING"], "FED_BACK",
                   roles=["Clerk", "Manager"], fields=["result", "fed_back_at"], requires=["result"],
                   stamp={"fed_back_at": now_cn}),
        Transition("close", _l("Close the assignment"), ["FED_BACK"], "CLOSED", roles=["Manager", "Leader"],
                   style="success"),
        Transition("escalate", _l("Escalate to supervision"), ["RECEIVED", "HANDLING", "FED_BACK"], "ESCALATED",
                   roles=["Manager", "Leader"], comment="required", effect=escalate_task, style="warning", todo=False),
    ]),
)


# --- the ledger (docs/domain.md §10) ------------------------------------------------------------------
def _carrier(instruction: LeaderInstruction) -> str:
    """载体文件: the document the leader wrote on, or the reference typed when it is not registered."""
    document = instruction.document
    return str(document) if document is not None else (instruction.source_ref or "")


register_ledger(
    "leader_instructions", _l("Handling of leaders' instructions"), LeaderInstruction,
    # the instruction's full text (批示内容), not a summary: the paper form has it, and the
    # ledger's file imports back as the instructions it lists (a summary would cut them short)
    [SERIAL, "leader", "leader_level", "instructed_at", "instruction_type", "content",
     Computed(_l("Carrier document"), _carrier, width=36), "handler_department", "due_date", "result", "is_done",
     "deadline_light", "deadline_overdue_days", "supervision_status", "remark"],
    note=_l("Each instruction with its carrier document, handling unit, time limit and result."),
    load=["document", "handler_department", "supervision_item"],
)
