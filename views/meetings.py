"""Meetings and their decisions: how the secretariat divisions and managers work with them."""
from app.ledgers import SERIAL, parent, register_ledger
from app.lifecycle import chain
from app.paper_forms.files import FORMATS as FORM_FILES
from app.paper_forms.meetings import minutes
from app.registry import register
from app.registry.deadlines import Deadline
from app.registry.spec import CalendarSpec, PaperSpec
from app.workflow import Transition, Workflow
from models.base import _l
from models.meetings import (
    Meeting,
    MeetingDecision,
    MeetingDecisionCoDept,
    MeetingParticipant,
    MeetingTopic,
    book_room,
    decision_opens_item,
    decision_problems,
    meeting_problems,
    meeting_room_problems,
)

register(
    MeetingParticipant, group="F01_Meetings", title=_l("Participants"), item=_l("Participant"), menu=False,
    list=["seq", "person", "department", "post", "attendance", "remark"],
    search=["name", "personnel", "department", "attendance"],
    sections=[(_l("Participant"), ["meeting", "seq", "personnel", "name", "department", "post", "attendance",
                                   "remark"])],
    base_order=("seq", "asc"),
)

register(
    MeetingDecisionCoDept, group="F01_Meetings", title=_l("Co-departments"), item=_l("Co-department"), menu=False,
    list=["seq", "department", "role"],
    sections=[(_l("Co-department"), ["decision", "seq", "department", "role"])],
    base_order=("seq", "asc"),
)

register(
    MeetingTopic, group="F01_Meetings", title=_l("Topics"), item=_l("Topic"), menu=False,
    list=["seq", "title", "reporting_department", "coordinated", "is_major_decision", "result"],
    search=["title", "meeting", "reporting_department", "result", "is_major_decision", "coordinated"],
    sections=[
        (_l("Topic"), ["meeting", "seq", "title", "reporting_department", "reporter"]),
        (_l("Deliberation"), ["coordinated", "is_major_decision", "result", "remark"]),
    ],
    base_order=("seq", "asc"),
    related=[MeetingDecision],
)

register(
    Meeting, group="F01_Meetings", title=_l("Meetings"), item=_l("Meeting"), icon="fa-users",
    calendar=CalendarSpec(start="start_at", end="end_at", color="#b8282e", unit="organizer", resource="meeting_room"),
    papers=[PaperSpec("minutes", _l("Meeting minutes"), fill=minutes, formats=FORM_FILES)],
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"meeting_type": ["会议类别"], "session_label": ["届次", "会议期次"], "title": ["会议名称"],
              "chair": ["主持领导"], "start_at": ["会议时间", "召开时间", "会议日期", "召开日期"],
              "venue": ["会议地点"], "organizer": ["主办单位"], "summary": ["主要内容", "会议内容"]},
    checks=[meeting_problems, meeting_room_problems],
    # the room chosen is booked for the meeting's time, moved and freed with it (a logistics request)
    on_save=[chain(book_room)],
    list=["session_label", "title", "meeting_type", "start_at", "chair", "place", "organizer", "status"],
    search=["title", "session_label", "meeting_type", "chair", "start_at", "organizer", "meeting_room", "venue",
            "status", "secrecy_level"],
    sections=[
        (_l("Meeting"), ["meeting_type", "session_label", "title", "chair", "secrecy_level", "status"]),
        (_l("Time and place"), ["start_at", "end_at", "meeting_room", "venue", "room_request",
                                "room_booking_status"]),
        (_l("Organisation"), ["organizer"]),
        (_l("Outcome"), ["minutes_document", "summary"]),
        (_l("Remarks"), ["remark"]),
    ],
    readonly=["place", "room_request", "room_booking_status"],
    base_order=("start_at", "desc"),
    related=[MeetingParticipant, MeetingTopic, MeetingDecision],
    # PLANNED → NOTIFIED → HELD → MINUTES_ISSUED → CLOSED, or CANCELLED before it is held
    # (docs/domain.md §4). An important activity (重要活动) has no minutes: it closes once held.
    workflow=Workflow(finished=["CLOSED", "CANCELLED"], transitions=[
        Transition("notify", _l("Send the meeting notice"), ["PLANNED"], "NOTIFIED", roles=["Clerk", "Manager"],
                   fields=["start_at", "end_at", "meeting_room", "venue"], requires=["start_at"]),
        Transition("hold", _l("Record the meeting as held"), ["NOTIFIED"], "HELD", roles=["Clerk", "Manager"],
                   fields=["start_at", "end_at"]),
        Transition("issue_minutes", _l("Record the minutes as issued"), ["HELD"], "MINUTES_ISSUED",
                   roles=["Clerk", "Manager"], fields=["minutes_document"]),
        Transition("close", _l("Close the meeting file"), ["MINUTES_ISSUED"], "CLOSED", roles=["Manager"],
                   style="success", todo=False),
        Transition("close_activity", _l("Close the activity file"), ["HELD"], "CLOSED", roles=["Manager"],
                   when={"meeting_type": "HUODONG"}, style="success", todo=False),
        Transition("cancel", _l("Cancel the meeting"), ["PLANNED", "NOTIFIED"], "CANCELLED",
                   roles=["Manager", "Leader"], comment="required", style="danger", todo=False),
    ]),
)

# Managers chase decisions across meetings: they get their own menu entry (会议议定事项).
register(
    MeetingDecision, group="F01_Meetings", title=_l("Meeting decisions"), item=_l("Meeting decision"),
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"meeting": ["会议名称"], "content": ["议定事项", "决定事项", "会议议定事项"],
              "lead_department": ["责任单位", "主办单位"], "responsible_leader": ["分管领导", "分管市领导"],
              "due_date": ["完成时限", "办结时限"], "implementation_note": ["落实情况", "进展情况"]},
    on_save=[chain(decision_opens_item)],
    checks=[decision_problems],
    icon="fa-gavel",
    list=["meeting", "seq", "content_brief", "lead_department", "co_departments", "responsible_leader", "due_date",
          "needs_supervision", "implementation_status"],
    search=["content", "meeting", "topic", "lead_department", "responsible_leader", "due_date",
            "needs_supervision"],
    sections=[
        (_l("Decision"), ["meeting", "meeting_date", "topic", "seq", "content"]),
        (_l("Responsibility"), ["lead_department", "co_departments", "responsible_leader", "due_date"]),
        # the item is opened when a decision needing supervision is saved: linked, not chosen
        (_l("Implementation"), ["implementation_note", "needs_supervision", "supervision_link",
                                "implementation_status"]),
        (_l("Remarks"), ["remark"]),
    ],
    readonly=["co_departments", "implementation_status"],
    # implemented when its supervision item is closed (a decision has no status of its own)
    deadline=Deadline("due_date", state="supervision_item.status", done=["CLOSED"]),
    # 会议议定事项落实情况表 (docs/domain.md §10): meeting, date, item no., decision, lead and
    # co-handling units, time limit, implementation, status.
    export=["meeting", "meeting_date", "seq", "content", "lead_department", "co_departments", "responsible_leader",
            "due_date", "implementation_note", "needs_supervision", "supervision_item", "implementation_status",
            "remark"],
    base_order=("due_date", "desc"),
    related=[MeetingDecisionCoDept],
)

# --- the ledger (docs/domain.md §10) ------------------------------------------------------------------
register_ledger(
    "meeting_decisions", _l("Implementation of meeting decisions"), MeetingDecision,
    [SERIAL, "meeting", parent("meeting.session_label", of=MeetingDecision), "meeting_date", "seq", "content",
     "lead_department", "co_departments", "responsible_leader", "due_date", "implementation_note",
     "implementation_status", "deadline_light", "deadline_overdue_days", "remark"],
    note=_l("What each meeting decided, who leads it, by when, and how far it has got."),
    load=["meeting", "lead_department", "co_departments", "supervision_item"],
)
