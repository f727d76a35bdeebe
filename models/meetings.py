"""Meetings and what they decide (docs/domain.md §4, function 1).

A `Meeting` (常务会议, 市长办公会议, 专题会议 …) has participants (出席 / 列席 / 请假),
topics (议题) each with its result, and decisions (议定事项). A decision names a lead
unit and its co-handling units (`MeetingDecisionCoDept`, one row per real Department)
and, when it needs supervision, links the `SupervisionItem` the office opens for it —
opened by whatever saves the ticked decision (screen, API, import), once; unticking
keeps the item. Its implementation status is that item's status.

A meeting's status changes through the workflow engine (views/meetings.py). The checks
docs/domain.md states are pure functions (`meeting_problems`, `decision_problems`) returning
translated messages, for forms, imports and the workflow to call.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from flask_babel import gettext
from sqlalchemy import Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import (
    BusinessRecord,
    Model,
    _l,
    child_rows,
    display,
    fk_column,
    flag,
    label,
    lookup_column,
    parent_key,
    parent_of,
    parent_relation,
    relation,
)
from models.lookups import CLASSIFIED_LEVELS, CO_HANDLER, HANDLING_ROLE, SECRECY, define_lookup
from models.supervision import SUP_STATUS, SupervisedRecord, opens_item

# --- Enumerations (docs/domain.md §4) ----------------------------------------------------------
MEETING_TYPE = define_lookup("meeting_type", _l("Meeting type"), [
    ("QUANTI", "全体会议", "Plenary meeting"),
    ("CHANGWU", "常务会议", "Executive meeting"),
    ("SHIZHANG", "市长办公会议", "Mayor's office meeting"),
    ("ZHUANTI", "专题会议", "Special-topic meeting"),
    ("GONGZUO", "工作会议", "Work conference"),
    ("HUODONG", "重要活动", "Major event"),
    ("VIDEO", "视频会议", "Video conference"),
])
MEETING_STATUS = define_lookup("meeting_status", _l("Meeting status"), [
    ("PLANNED", "计划中", "Planned"),
    ("NOTIFIED", "已通知", "Notified"),
    ("HELD", "已召开", "Held"),
    ("MINUTES_ISSUED", "纪要已印发", "Minutes issued"),
    ("CLOSED", "已办结", "Closed"),
    ("CANCELLED", "已取消", "Cancelled"),
])
MEETING_ATTENDANCE = define_lookup("meeting_attendance", _l("Attendance"), [
    ("CHUXI", "出席", "Attending"),
    ("LIEXI", "列席", "Sitting in"),
    ("QINGJIA", "请假", "Excused"),
])
MEETING_TOPIC_RESULT = define_lookup("meeting_topic_result", _l("Topic result"), [
    ("YUANZE", "原则通过", "Approved in principle"),
    ("XIUGAI", "修改后通过", "Approved after revision"),
    ("ZANHUAN", "暂缓", "Deferred"),
    ("BUTONGGUO", "不通过", "Not approved"),
    ("TINGQU", "听取", "Heard"),
])

def brief(text: Optional[str], length: int = 40) -> str:
    """The first `length` characters of a long text, for lists."""
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[:length] + "…"


class Meeting(BusinessRecord, Model):
    """会议/活动: one meeting, conference or important activity the office organises."""

    __tablename__ = "meeting"

    meeting_type: Mapped[str] = lookup_column(MEETING_TYPE, _l("Meeting type"), nullable=False)
    session_label: Mapped[Optional[str]] = mapped_column(String(50), index=True, info=label(
        _l("Session"), description=_l("e.g. 第12次常务会议")))
    title: Mapped[str] = mapped_column(String(200), index=True, info=label(_l("Title")))
    chair: Mapped[Optional[str]] = mapped_column(String(50), index=True, info=label(_l("Chair")))
    start_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, index=True, info=label(_l("Starts at")))
    end_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Ends at")))
    # where: one of the office's meeting rooms, booked for the meeting's time (`book_room`), or a
    # place outside the office typed as text — one or the other
    meeting_room_id: Mapped[Optional[int]] = fk_column("meeting_room", _l("Meeting room"), description=_l(
        "One of the office's rooms: saving the meeting books it for the meeting's time"))
    meeting_room = relation("MeetingRoom", meeting_room_id, _l("Meeting room"))
    venue: Mapped[Optional[str]] = mapped_column(String(100), info=label(_l("Venue"), description=_l(
        "A place outside the office's meeting rooms, e.g. 厦门国际会议中心")))
    room_request_id: Mapped[Optional[int]] = fk_column("logistics_request", _l("Room booking"), description=_l(
        "The logistics request that books the meeting room: made, moved and cancelled with the meeting"))
    room_request = relation("LogisticsRequest", room_request_id, _l("Room booking"))
    secrecy_level: Mapped[str] = lookup_column(SECRECY, _l("Secrecy level"), nullable=False, default="FEIMI")
    organizer_id: Mapped[Optional[int]] = fk_column("department", _l("Organizer"))
    organizer = relation("Department", organizer_id, _l("Organizer"))
    minutes_document_id: Mapped[Optional[int]] = fk_column("document", _l("Minutes"), description=_l(
        "The minutes issued for the meeting"))
    minutes_document = relation("Document", minutes_document_id, _l("Minutes"))
    status: Mapped[str] = lookup_column(MEETING_STATUS, _l("Status"), nullable=False, default="PLANNED")
    summary: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("Summary"), description=_l("Not allowed at secrecy Confidential or above")))
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    participants = child_rows("MeetingParticipant", "meeting", _l("Participants"), order_by="MeetingParticipant.seq")
    topics = child_rows("MeetingTopic", "meeting", _l("Topics"), order_by="MeetingTopic.seq")
    decisions = child_rows("MeetingDecision", "meeting", _l("Decisions"), order_by="MeetingDecision.seq")

    @display(_l("Place"), reads=("meeting_room",))
    def place(self) -> str:
        """Where the meeting is held: the office's room booked, or the venue typed."""
        return str(self.meeting_room) if self.meeting_room is not None else (self.venue or "")

    @display(_l("Room booking status"), reads=("room_request",))
    def room_booking_status(self) -> str:
        """How the room booking stands (已批准, 已取消 …), as the Administration Division works it."""
        request = self.room_request
        if request is None or request.is_deleted:
            return ""
        from models.lookups import safe_lookup_label

        return safe_lookup_label("svc_request_status", request.status)

    def holds_room(self) -> bool:
        """Whether the meeting holds the room it names: it is live and not cancelled, and it has
        its start and end."""
        return not self.is_deleted and self.status != "CANCELLED" and self.start_at is not None \
            and self.end_at is not None and self.end_at > self.start_at

    def __str__(self) -> str:
        return self.title or self.session_label or ""


class MeetingParticipant(BusinessRecord, Model):
    """A person at a meeting: a member of staff (`personnel`) or anyone else by name."""

    __tablename__ = "meeting_participant"

    meeting_id: Mapped[int] = parent_key("meeting", _l("Meeting"))
    meeting = parent_relation("Meeting", "participants", _l("Meeting"))
    seq: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("No.")))
    personnel_id: Mapped[Optional[int]] = fk_column("personnel", _l("Staff member"), description=_l(
        "For the office's own staff; others are entered by name"))
    personnel = relation("Personnel", personnel_id, _l("Staff member"))
    name: Mapped[Optional[str]] = mapped_column(String(50), index=True, info=label(_l("Full name")))
    department_id: Mapped[Optional[int]] = fk_column("department", _l("Department"))
    department = relation("Department", department_id, _l("Department"))
    post: Mapped[Optional[str]] = mapped_column(String(100), info=label(_l("Post")))
    attendance: Mapped[str] = lookup_column(MEETING_ATTENDANCE, _l("Attendance"), nullable=False, default="CHUXI")
    remark: Mapped[Optional[str]] = mapped_column(String(200), info=label(_l("Remarks")))

    @display(_l("Participant"), reads=("personnel",))
    def person(self) -> str:
        return self.name or (str(self.personnel) if self.personnel is not None else "")

    def __str__(self) -> str:
        return self.person


class MeetingTopic(BusinessRecord, Model):
    """议题: one item on a meeting's agenda and what the meeting made of it."""

    __tablename__ = "meeting_topic"
    #: What a search-as-you-type drop-down finds it by (app/registry/labels.py).
    __label_columns__ = ("seq", "title")

    meeting_id: Mapped[int] = parent_key("meeting", _l("Meeting"))
    meeting = parent_relation("Meeting", "topics", _l("Meeting"))
    seq: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("No.")))
    title: Mapped[str] = mapped_column(String(300), index=True, info=label(_l("Title")))
    reporting_department_id: Mapped[Optional[int]] = fk_column("department", _l("Reporting department"))
    reporting_department = relation("Department", reporting_department_id, _l("Reporting department"))
    reporter: Mapped[Optional[str]] = mapped_column(String(50), info=label(_l("Reporter")))
    coordinated: Mapped[bool] = flag(_l("Coordinated beforehand"),
                                     description=_l("The departments concerned have agreed before the meeting"),
                                     server_default=False)
    is_major_decision: Mapped[bool] = flag(_l("Major decision"), index=True, server_default=False)
    result: Mapped[Optional[str]] = lookup_column(MEETING_TOPIC_RESULT, _l("Result"))
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    decisions = child_rows("MeetingDecision", "topic", _l("Decisions"), order_by="MeetingDecision.seq", owned=False)

    def __str__(self) -> str:
        return f"{self.seq}. {self.title}" if self.seq else (self.title or "")


class MeetingDecision(SupervisedRecord, BusinessRecord, Model):
    """议定事项: what a meeting decided, who leads it, by when; supervised when it needs to be."""

    __tablename__ = "meeting_decision"
    #: What a search-as-you-type drop-down finds it by (app/registry/labels.py).
    __label_columns__ = ("meeting", "seq", "content")
    __str_reads__ = ("meeting",)    # its label names it: lists and exports load it with the row

    meeting_id: Mapped[int] = parent_key("meeting", _l("Meeting"))
    meeting = parent_relation("Meeting", "decisions", _l("Meeting"))
    topic_id: Mapped[Optional[int]] = fk_column("meeting_topic", _l("Topic"), ondelete="SET NULL")
    topic = parent_relation("MeetingTopic", "decisions", _l("Topic"), foreign_keys=[topic_id])
    seq: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("Item no.")))
    content: Mapped[str] = mapped_column(Text, info=label(_l("Decision content")))
    lead_department_id: Mapped[Optional[int]] = fk_column("department", _l("Lead department"))
    lead_department = relation("Department", lead_department_id, _l("Lead department"))
    responsible_leader: Mapped[Optional[str]] = mapped_column(String(50), index=True, info=label(
        _l("Responsible leader")))
    due_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Due date")))
    needs_supervision: Mapped[bool] = flag(_l("Needs supervision"), index=True, server_default=False)
    supervision_item_id: Mapped[Optional[int]] = fk_column("supervision_item", _l("Supervision item"))
    supervision_item = relation("SupervisionItem", supervision_item_id, _l("Supervision item"))
    implementation_note: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Progress of implementation")))
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    co_dept_links = child_rows("MeetingDecisionCoDept", "decision", _l("Co-departments"),
                               order_by="MeetingDecisionCoDept.seq")
    #: The co-handling units themselves (read only: edit them as `co_dept_links`).
    co_departments = relationship(
        "Department", secondary="meeting_decision_co_dept", viewonly=True,
        primaryjoin="and_(MeetingDecision.id == MeetingDecisionCoDept.decision_id, "
                    "MeetingDecisionCoDept.is_deleted == False)",
        secondaryjoin="Department.id == MeetingDecisionCoDept.department_id",
        order_by="MeetingDecisionCoDept.seq", info=label(_l("Co-departments")))

    @display(_l("Implementation status"), lookup=SUP_STATUS)
    def implementation_status(self) -> Optional[str]:
        """The supervision item's status: what the 落实情况表 reports."""
        return self.supervision_status

    @display(_l("Meeting date"), reads=("meeting",))
    def meeting_date(self) -> Optional[dt.date]:
        meeting = self.meeting
        return meeting.start_at.date() if meeting is not None and meeting.start_at else None

    @display(_l("Decision content"))
    def content_brief(self) -> str:
        return brief(self.content, 60)

    def __str__(self) -> str:
        prefix = f"{self.meeting} #{self.seq}" if self.meeting is not None and self.seq else ""
        return f"{prefix} {brief(self.content, 30)}".strip()


class MeetingDecisionCoDept(BusinessRecord, Model):
    """One co-handling unit (配合单位) of a decision."""

    __tablename__ = "meeting_decision_co_dept"

    decision_id: Mapped[int] = parent_key("meeting_decision", _l("Decision"))
    decision = parent_relation("MeetingDecision", "co_dept_links", _l("Decision"))
    seq: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("No.")))
    department_id: Mapped[int] = fk_column("department", _l("Department"), nullable=False)
    department = relation("Department", department_id, _l("Department"))
    role: Mapped[str] = lookup_column(HANDLING_ROLE, _l("Handling role"), nullable=False, default=CO_HANDLER)

    def __str__(self) -> str:
        return str(self.department) if self.department is not None else ""


# --- Checks docs/domain.md states (pure: they read, never write) -----------------------------------
def meeting_problems(meeting: Meeting) -> list[str]:
    """A classified meeting keeps a registration stub only; a meeting ends after it starts;
    its minutes are a 纪要."""
    problems: list[str] = []
    if meeting.secrecy_level in CLASSIFIED_LEVELS and (meeting.summary or "").strip():
        problems.append(gettext("A meeting classified Confidential or above keeps a registration stub only: "
                                "remove the summary."))
    if meeting.start_at and meeting.end_at and meeting.end_at < meeting.start_at:
        problems.append(gettext("A meeting cannot end before it starts."))
    doc_type = getattr(meeting.minutes_document, "doc_type", None)
    if doc_type not in (None, "JIYAO"):
        problems.append(gettext("The minutes document must be of type Minutes."))
    return problems


# --- Where a meeting is held: one of the office's rooms, booked with the meeting ---------------------
def chosen_room(meeting: Meeting):
    """The room the meeting names now, whichever way this save changed it: the relation (a form,
    a script) or its id (the API, an import); before the flush the two may disagree."""
    from sqlalchemy.orm import attributes

    from models.base import record_session
    from models.services import MeetingRoom

    relation = attributes.get_history(meeting, "meeting_room")
    if relation.has_changes():
        return relation.added[0] if relation.added else None
    key = attributes.get_history(meeting, "meeting_room_id")
    if key.has_changes():
        new = key.added[0] if key.added else None
        session = record_session(meeting)
        if new is None or session is None:
            return None
        with session.no_autoflush:
            return session.get(MeetingRoom, new)
    return parent_of(meeting, "meeting_room", MeetingRoom)


def meeting_room_problems(meeting: Meeting) -> list[str]:
    """A meeting is held in one of the office's rooms or at a venue outside, not both; a room is
    booked for the meeting's whole time, so the meeting needs its start and end; the room must be
    available (when it is chosen), a secure room for a meeting classified Confidential or above,
    and free of other bookings for that time (the booking in the way named)."""
    from app.lifecycle import changed
    from models.services import room_clashes

    room = chosen_room(meeting)
    if room is None:
        return []
    problems: list[str] = []
    if (meeting.venue or "").strip():
        problems.append(gettext("Choose one of the office's meeting rooms or type a venue outside the office, "
                                "not both."))
    if meeting.is_deleted or meeting.status == "CANCELLED":
        return problems
    if meeting.start_at is None or meeting.end_at is None:
        problems.append(gettext("A meeting in one of the office's rooms needs its start and end time: the room is "
                                "booked for them."))
        return problems
    if meeting.end_at <= meeting.start_at:
        return problems                 # "cannot end before it starts" (meeting_problems) says it
    if room.status != "AVAILABLE" and (meeting.id is None or changed(meeting, "meeting_room_id", "meeting_room")):
        from models.lookups import safe_lookup_label

        problems.append(gettext("%(room)s cannot be booked: it is %(status)s.", room=str(room),
                                status=safe_lookup_label("svc_room_status", room.status)))
    if meeting.secrecy_level in CLASSIFIED_LEVELS and not room.is_secure_room:
        problems.append(gettext("A meeting classified Confidential or above is held in a secure room; %(room)s is "
                                "not one.", room=str(room)))
    problems += room_clashes(room, meeting.start_at, meeting.end_at,
                             meeting.room_request_id or getattr(meeting.room_request, "id", None))
    return problems


#: The request type of a meeting room booking (lookup svc_request_type).
ROOM_REQUEST = "HUIYISHI"


def book_room(meeting: Meeting, change) -> None:
    """Save hook, a chain (views/meetings.py): whatever path saves a meeting (form, API, import,
    calendar drag, workflow step, trash), its room booking follows it — a meeting that holds a
    room gets a logistics request for that room and time (made approved: the meeting is the
    office's own; the Administration Division prepares the room), moved when the meeting moves,
    switched to the new room when the room changes, and cancelled when the meeting is cancelled,
    trashed or moves to a venue outside. The rules (`meeting_room_problems`) refuse a clash
    before this runs; the room's hold (`hold_times`) and, on PostgreSQL, the exclusion
    constraint do the rest."""
    from models.base import live
    from models.services import INACTIVE_REQUEST_STATES, LogisticsRequest, RoomBooking

    session = change.session
    request = parent_of(meeting, "room_request", LogisticsRequest)
    room = chosen_room(meeting)
    booked = request is not None and not request.is_deleted and request.status not in INACTIVE_REQUEST_STATES
    if room is None or not meeting.holds_room():
        if booked:
            release_room(request, session, meeting)
        return
    reason = " ".join(x for x in (meeting.session_label, meeting.title) if x)[:300] or str(room)
    if not booked:
        request = LogisticsRequest(request_type=ROOM_REQUEST, applicant=_booking_person(),
                                   department_id=meeting.organizer_id or getattr(meeting.organizer, "id", None),
                                   reason=reason, start_at=meeting.start_at, end_at=meeting.end_at,
                                   status="APPROVED")
        session.add(request)
        session.add(RoomBooking(request=request, meeting_room=room))
        meeting.room_request = request
        from app.lifecycle import when_saved
        from models.supervision import log_status

        when_saved(session, request, lambda: log_status(session, request, "create", None, request.status, reason))
        return
    if (request.start_at, request.end_at) != (meeting.start_at, meeting.end_at):
        request.start_at, request.end_at = meeting.start_at, meeting.end_at
    if request.reason != reason:
        request.reason = reason
    bookings = live(request.room_bookings)
    if not bookings:
        session.add(RoomBooking(request=request, meeting_room=room))
    elif bookings[0].meeting_room is not room and bookings[0].meeting_room_id != room.id:
        bookings[0].meeting_room = room


def release_room(request, session, meeting: Meeting) -> None:
    """Cancel a meeting's room booking (the room is free again), logged on the request; a booking
    whose service has begun (the meeting under way or held) stays as it was."""
    from models.moves import move

    note = gettext("The meeting «%(meeting)s» no longer holds the room.", meeting=str(meeting))
    move(request, "CANCELLED", note[:300], session=session, transition="cancel_request")


def _booking_person():
    """The staff record of whoever saves the meeting: the booking's applicant (none outside a request)."""
    from flask import g, has_request_context

    user = getattr(g, "user", None) if has_request_context() else None
    return getattr(user, "personnel", None)


def meeting_of_request(request) -> Optional[Meeting]:
    """The meeting whose room booking `request` is, if any."""
    from models.base import record_session

    if request is None or request.id is None:
        return None
    session = record_session(request)
    if session is None:
        return None
    from sqlalchemy import select

    with session.no_autoflush:
        return session.scalar(select(Meeting).where(Meeting.room_request_id == request.id,
                                                    Meeting.is_deleted.is_(False)))


def decision_problems(decision: MeetingDecision) -> list[str]:
    """A decision to supervise needs its lead unit and due date; the lead is no co-department;
    its topic belongs to its meeting."""
    problems: list[str] = []
    if decision.needs_supervision:
        if decision.lead_department is None and decision.lead_department_id is None:
            problems.append(gettext("A decision that needs supervision needs its lead department."))
        if decision.due_date is None:
            problems.append(gettext("A decision that needs supervision needs its due date."))
    lead = decision.lead_department_id or getattr(decision.lead_department, "id", None)
    co = [unit for unit in (link.department_id or getattr(link.department, "id", None)
                            for link in decision.co_dept_links if not link.is_deleted) if unit is not None]
    if lead is not None and lead in co:
        problems.append(gettext("The lead department cannot also be a co-department."))
    if len(co) != len(set(co)):
        problems.append(gettext("A co-department is listed more than once."))
    topic = decision.topic
    if topic is not None and decision.meeting is not None and topic.meeting is not decision.meeting:
        problems.append(gettext("The topic belongs to another meeting."))
    return problems


# --- Chain: a decision that needs supervision opens its item (docs/domain.md §4) ---------------------
def decision_item(decision: MeetingDecision, session) -> dict:
    """What the supervision item of a decision says: the decision, where it was taken, who leads."""
    meeting = parent_of(decision, "meeting", Meeting)
    where = (meeting.session_label or meeting.title) if meeting is not None else ""
    ref = f"{where} #{decision.seq}" if where and decision.seq else where
    return dict(title=brief(decision.content, 60), content=decision.content, source_ref=ref,
                lead_department=decision.lead_department or decision.lead_department_id,
                due_date=decision.due_date, responsible_leader=decision.responsible_leader)


#: Save hook (a chain, views/meetings.py): a decision that needs supervision opens its item.
decision_opens_item = opens_item("HUIYI", wants=lambda d: bool(d.needs_supervision), details=decision_item)
