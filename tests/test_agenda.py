"""The office calendar (app/agenda): each source's events are its list's records in the
window — never one out of the user's scope — filtered by room, vehicle and unit; a drag
moves the record holding the times through its rules, at the version read, in the user's
rights, and a refusal says why in his language."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

from app.extensions import db
from models.meetings import Meeting
from models.org import Department
from models.services import LogisticsRequest, MeetingRoom, RoomBooking
from tests.factories import make

T0 = dt.datetime(2026, 7, 6, 9, 0)
WINDOW = "start=2026-07-01T00:00:00Z&end=2026-08-01T00:00:00Z"


def _events(client, source: str, extra: str = "") -> list[dict]:
    answer = client.get(f"/calendar/events/{source}?{WINDOW}{extra}")
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()


def _titles(events) -> set[str]:
    return {e["title"] for e in events}


@pytest.fixture()
def meetings(app):
    """A meeting of the clerk's unit and one of a unit outside it, in July 2026."""
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        outside = make(db.session, Department, code=f"CAL-{tag}", name_zh=f"外单位{tag}")
        outside.parent_id = None
        own = make(db.session, Meeting, title=f"日程会议{tag}", start_at=T0, end_at=T0 + dt.timedelta(hours=2),
                   created_by="clerk")
        foreign = make(db.session, Meeting, title=f"外单位会议{tag}", start_at=T0, end_at=T0 + dt.timedelta(hours=1),
                       organizer=outside, created_by="someone")
        db.session.commit()
        return {"tag": tag, "own": own.id, "foreign": foreign.id, "outside": outside.id}


def test_the_calendar_shows_what_the_lists_show(app, as_role, meetings):
    tag = meetings["tag"]
    page = as_role("clerk", "zh").get("/calendar/").get_data(as_text=True)
    assert "日程" in page and "fullcalendar.global.min.js" in page and "会议活动" in page
    clerk = _titles(_events(as_role("clerk", "zh"), "Meeting"))
    assert f"日程会议{tag}" in clerk and f"外单位会议{tag}" not in clerk      # his unit's only
    leader = _events(as_role("leader", "zh"), "Meeting")
    assert {f"日程会议{tag}", f"外单位会议{tag}"} <= _titles(leader)
    event = next(e for e in leader if e["title"] == f"日程会议{tag}")
    assert event["start"] == "2026-07-06T09:00:00" and event["end"] == "2026-07-06T11:00:00"
    assert event["url"] == f"/meetingview/show/{meetings['own']}"
    assert event["editable"] is False                  # a Leader reads and decides; he does not edit
    assert _events(as_role("clerk", "zh"), "Meeting")[0]["editable"] is True
    # the unit filter
    only = _titles(_events(as_role("leader", "zh"), "Meeting", f"&unit={meetings['outside']}"))
    assert only == {f"外单位会议{tag}"}


@pytest.mark.parametrize("lang, message", [("zh", "一次最多查看两个月的日程。"),
                                           ("en", "Ask for a window of at most two months.")])
def test_a_window_too_wide_or_unknown_source_is_refused(app, as_role, lang, message):
    client = as_role("clerk", lang)
    answer = client.get("/calendar/events/Meeting?start=2026-01-01T00:00:00Z&end=2026-12-31T00:00:00Z")
    assert answer.status_code == 400 and answer.get_json()["message"] == message
    assert client.get(f"/calendar/events/NoSuchThing?{WINDOW}").status_code == 404
    assert client.get("/calendar/events/Meeting?start=bogus&end=").status_code == 400


def _move(client, entity, pk, start, end=None, version=None):
    body = {"entity": entity, "pk": pk, "start": start, "end": end, "version": version}
    return client.post("/calendar/move", json=body)


def test_a_clerk_drags_a_meeting_to_another_day(app, as_role, meetings):
    clerk = as_role("clerk", "en")
    event = next(e for e in _events(clerk, "Meeting") if e["extendedProps"]["pk"] == meetings["own"])
    version = event["extendedProps"]["version"]
    answer = _move(clerk, "Meeting", meetings["own"], "2026-07-08T14:00:00.000Z", None, version)
    assert answer.status_code == 200, answer.get_json()
    with app.app_context():
        meeting = db.session.get(Meeting, meetings["own"])
        assert (meeting.start_at, meeting.end_at) == (dt.datetime(2026, 7, 8, 14), dt.datetime(2026, 7, 8, 16))
    # the calendar's old version: refused, nothing changed
    stale = _move(clerk, "Meeting", meetings["own"], "2026-07-09T14:00:00Z", None, version)
    assert stale.status_code == 409 and "changed this record meanwhile" in stale.get_json()["messages"][0]
    # a record out of his scope, a role that may not edit
    assert _move(clerk, "Meeting", meetings["foreign"], "2026-07-09T14:00:00Z").status_code == 404
    viewer = _move(as_role("viewer", "zh"), "Meeting", meetings["own"], "2026-07-09T14:00:00Z")
    assert viewer.status_code == 403 and viewer.get_json()["messages"] == ["您无权修改该记录。"]
    with app.app_context():
        assert db.session.get(Meeting, meetings["own"]).start_at == dt.datetime(2026, 7, 8, 14)


def test_moving_a_booking_onto_a_taken_room_is_refused_naming_the_booking(app, as_role):
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        room = make(db.session, MeetingRoom, name=f"日程会议室{tag}", capacity=40)
        first = make(db.session, LogisticsRequest, request_type="HUIYISHI", reason=f"先订{tag}",
                     start_at=T0, end_at=T0 + dt.timedelta(hours=2), created_by="clerk")
        later = make(db.session, LogisticsRequest, request_type="HUIYISHI", reason=f"后订{tag}",
                     start_at=T0 + dt.timedelta(hours=4), end_at=T0 + dt.timedelta(hours=5), created_by="clerk")
        make(db.session, RoomBooking, request=first, meeting_room=room, created_by="clerk")
        booking = make(db.session, RoomBooking, request=later, meeting_room=room, created_by="clerk")
        db.session.commit()
        room_id, booking_id, later_id, version = room.id, booking.id, later.id, later.row_version
    clerk = as_role("clerk", "en")
    events = _events(clerk, "RoomBooking", f"&meeting_room={room_id}")
    assert len(events) == 2 and all(e["title"].startswith(f"日程会议室{tag}") for e in events)
    assert next(e for e in events if e["extendedProps"]["pk"] == booking_id)["extendedProps"]["version"] == version
    refused = _move(clerk, "RoomBooking", booking_id, "2026-07-06T10:00:00Z", "2026-07-06T11:00:00Z", version)
    assert refused.status_code == 409
    assert any("is already booked from 2026-07-06 09:00" in m for m in refused.get_json()["messages"])
    with app.app_context():
        assert db.session.get(LogisticsRequest, later_id).start_at == T0 + dt.timedelta(hours=4)
    # a free time: the request moves, and what the booking holds with it
    moved = _move(clerk, "RoomBooking", booking_id, "2026-07-07T10:00:00Z", "2026-07-07T11:30:00Z", version)
    assert moved.status_code == 200, moved.get_json()
    with app.app_context():
        request = db.session.get(LogisticsRequest, later_id)
        assert (request.start_at, request.end_at) == (dt.datetime(2026, 7, 7, 10), dt.datetime(2026, 7, 7, 11, 30))
        held = db.session.get(RoomBooking, booking_id)
        assert (held.busy_from, held.busy_until) == (request.start_at, request.end_at)


def test_a_duty_shift_moves_by_whole_days(app, as_role):
    from models.duty import DutyShift

    with app.app_context():
        shift = make(db.session, DutyShift, duty_date=dt.date(2026, 7, 10), leader_name="测试领导",
                     created_by="clerk")
        db.session.commit()
        pk, version = shift.id, shift.row_version
    clerk = as_role("clerk", "zh")
    event = next(e for e in _events(clerk, "DutyShift") if e["extendedProps"]["pk"] == pk)
    assert event["allDay"] is True and event["start"] == "2026-07-10" and "测试领导" in event["title"]
    answer = _move(clerk, "DutyShift", pk, "2026-07-12", None, version)
    assert answer.status_code == 200, answer.get_json()
    with app.app_context():
        assert db.session.get(DutyShift, pk).duty_date == dt.date(2026, 7, 12)
