"""The mayor hotline (12345 / 市长信箱): cases, their log, and their time limits."""
from wtforms.validators import NumberRange, Optional

from app.registry import register
from models.base import _l
from models.hotline import HotlineAction, HotlineCase, HotlineSLA, action_problems, case_problems

register(
    HotlineAction, group="F10_Hotline", title=_l("Case log"), item=_l("Case action"), menu=False,
    checks=[action_problems],
    list=["acted_at", "action_type", "actor", "department", "review_result", "content"],
    search=["action_type", "acted_at", "actor", "department", "review_result"],
    order=["acted_at", "action_type", "actor", "review_result"],
    sections=[(_l("Action"), ["case", "action_type", "acted_at", "actor", "department", "review_result",
                              "content"])],
    base_order=("acted_at", "asc"),
)

register(
    HotlineCase, group="F10_Hotline", title=_l("Hotline cases"), item=_l("Hotline case"), icon="fa-phone",
    checks=[case_problems],
    list=["case_no", "received_at", "appeal_type", "content_brief", "district",
          "handler_department", "due_at", "status", "is_overdue"],
    search=["case_no", "title", "content", "channel", "appeal_type", "urgency", "topic_l1", "topic_l2", "topic_l3",
            "district", "street", "handler_department", "received_at", "due_at", "replied_at", "status",
            "satisfaction", "is_resolved", "keep_confidential", "supervision_item"],
    order=["case_no", "received_at", "channel", "appeal_type", "topic_l1", "due_at", "status"],
    sections=[
        (_l("Case"), ["case_no", "channel", "appeal_type", "urgency", "received_at", "status"]),
        (_l("Appeal"), ["topic_l1", "topic_l2", "topic_l3", "title", "content", "district", "street"]),
        (_l("Citizen"), ["citizen_name", "citizen_phone", "citizen_id_card", "citizen_address", "is_anonymous",
                         "keep_confidential"]),
        (_l("Handling"), ["handler_department", "dispatched_at", "accepted_at", "accept_due", "due_at",
                          "is_overdue", "replied_at", "reply"]),
        (_l("Follow-up visit"), ["visited_at", "visit_result", "satisfaction", "is_resolved"]),
        (_l("Returns, extensions and supervision"), ["return_count", "extension_count", "reopen_count",
                                                     "supervision_item", "closed_at", "remark"]),
    ],
    readonly=["accept_due", "is_overdue"],
    # 12345 工单明细 (DOMAIN.md §10); the citizen's personal data is never exported.
    export=["case_no", "received_at", "channel", "appeal_type", "urgency", "topic_l1", "topic_l2", "topic_l3",
            "content_brief", "district", "street", "handler_department", "dispatched_at", "accepted_at",
            "replied_at", "due_at", "is_overdue", "return_count", "extension_count", "reopen_count",
            "visit_result", "satisfaction", "is_resolved", "status"],
    base_order=("received_at", "desc"),
    related=[HotlineAction],
    view_attrs={"validators_columns": {
        name: [Optional(), NumberRange(min=0)] for name in ("return_count", "extension_count", "reopen_count")}},
)

register(
    HotlineSLA, group="F10_Hotline", title=_l("Hotline time limits"), item=_l("Hotline time limit"),
    icon="fa-clock-o", admin_only=True,
    list=["appeal_type", "urgency", "accept_hours", "finish_workdays", "active"],
    search=["appeal_type", "urgency", "active"],
    order=["appeal_type", "urgency", "accept_hours", "finish_workdays"],
    sections=[(_l("Time limit"), ["appeal_type", "urgency", "accept_hours", "finish_workdays", "description",
                                  "active"])],
    base_order=("id", "asc"),
)
