"""Leaders' instructions (followed up by the supervision office) and leaders' assignments."""
from app.registry import register
from models.base import _l
from models.leaders import LeaderInstruction, LeaderTask, instruction_problems, task_problems

register(
    LeaderInstruction, group="F06_Supervision", title=_l("Leaders' instructions"), item=_l("Leader's instruction"),
    checks=[instruction_problems],
    icon="fa-pencil-square-o",
    list=["leader", "leader_level", "instructed_at", "instruction_type", "content_brief", "handler_department",
          "due_date", "is_done"],
    search=["leader", "leader_level", "instructed_at", "instruction_type", "content", "source_type", "source_ref",
            "handler_department", "due_date", "is_done"],
    sections=[
        (_l("Instruction"), ["leader", "leader_level", "instructed_at", "instruction_type", "content"]),
        (_l("Source"), ["source_type", "source_ref", "document", "source_id"]),
        (_l("Handling"), ["handler_department", "due_date", "result", "is_done", "supervision_item"]),
        (_l("Remarks"), ["remark"]),
    ],
    # 领导批示件办理情况表 (DOMAIN.md §10): leader, date, summary, carrier document,
    # handling unit, time limit, result, done.
    export=["leader", "leader_level", "instructed_at", "instruction_type", "content", "source_type", "source_ref",
            "document", "handler_department", "due_date", "result", "is_done", "supervision_item", "remark"],
    base_order=("instructed_at", "desc"),
)

register(
    LeaderTask, group="F15_LeaderTasks", title=_l("Leaders' assignments"), item=_l("Leader's assignment"),
    checks=[task_problems],
    icon="fa-flag",
    list=["title", "leader", "assign_mode", "assigned_at", "handler_department", "handler_person", "due_date",
          "status"],
    search=["title", "content", "leader", "assign_mode", "assigned_at", "handler_department", "handler_person",
            "due_date", "status"],
    sections=[
        (_l("Assignment"), ["leader", "assign_mode", "assigned_at", "title", "content"]),
        (_l("Handling"), ["handler_department", "handler_person", "due_date", "status"]),
        (_l("Feedback"), ["result", "fed_back_at", "supervision_item"]),
        (_l("Remarks"), ["remark"]),
    ],
    base_order=("assigned_at", "desc"),
)
