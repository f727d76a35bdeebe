"""A meeting's venue as a room booking (docs/domain.md §4, §8): a meeting held in one of the office's
rooms books it for the meeting's time (a logistics request with its room booking), a clash with
another booking is refused naming it, moving the meeting (its form, the calendar) moves the
booking, cancelling or trashing the meeting frees the room; a place outside the office stays a
typed venue — one or the other."""
from __future__ import annotations

import datetime as dt
import uuid

import views  # noqa: F401  (registers every entity)
from app.extensions import db
from models.meetings import Meeting
from models.services import LogisticsRequest, MeetingRoom, RoomBooking
from tests.factories import make
from tests.helpers import api_client, version_of

T0 = dt.datetime(2026, 9, 8, 9, 0)


def _tag() -> str:
    return uuid.uuid4().hex[:6]


def _room(app, **values) -> int:
    with app.app_context():
        room = make(db.session, MeetingRoom, name=f"第{_tag()}会议室", building="市政府西楼", capacity=40,
                    status="AVAILABLE", **values)
        db.session.commit()
        return room.id


def _create(app, room: int | None, start: dt.datetime, hours: float = 2, *, lang: str = "en", **values):
    api, headers = api_client(app, "clerk", lang)
    body = {"meeting_type": "ZHUANTI", "title": f"专题会议{_tag()}", "start_at": start.isoformat(),
            "end_at": (start + dt.timedelta(hours=hours)).isoformat(), **values}
    if room is not None:
        body["meeting_room_id"] = room
    return api.post("/api/v1/meeting/", json=body, headers=headers)


def _booking(app, meeting_id: int) -> tuple:
    """(request status, request start, end, room id, held from, held until) of the meeting's booking."""
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        req = meeting.room_request
        if req is None:
            return None
        booking = req.room_bookings[0]
        return req.status, req.start_at, req.end_at, booking.meeting_room_id, booking.busy_from, booking.busy_until


def _holds(app, room: int) -> list[tuple]:
    with app.app_context():
        return [(b.busy_from, b.busy_until) for b in db.session.query(RoomBooking).filter_by(meeting_room_id=room)
                if b.busy_from is not None]


def test_saving_a_meeting_books_its_room(app):
    room = _room(app)
    answer = _create(app, room, T0)
    assert answer.status_code == 201, answer.json
    pk = answer.json["id"]
    end = T0 + dt.timedelta(hours=2)
    assert _booking(app, pk) == ("APPROVED", T0, end, room, T0, end)
    with app.app_context():
        req = db.session.get(Meeting, pk).room_request
        assert req.request_type == "HUIYISHI" and req.applicant.name == "clerk测试"


def test_a_clash_is_refused_naming_the_other_booking(app, as_role):
    room = _room(app)
    first = _create(app, room, T0)
    title = None
    with app.app_context():
        title = db.session.get(Meeting, first.json["id"]).title
    answer = _create(app, room, T0 + dt.timedelta(hours=1), lang="en")
    assert answer.status_code == 422
    said = str(answer.json)
    assert "is already booked from 2026-09-08 09:00 to 2026-09-08 11:00" in said and title in said
    zh = _create(app, room, T0 + dt.timedelta(hours=1), lang="zh")
    assert zh.status_code == 422 and "已被预订" in str(zh.json)
    # a logistics request of the Administration Division holds the room too
    with app.app_context():
        req = make(db.session, LogisticsRequest, request_type="HUIYISHI", reason=f"处室例会{_tag()}",
                   start_at=T0 + dt.timedelta(hours=5), end_at=T0 + dt.timedelta(hours=7))
        make(db.session, RoomBooking, request=req, meeting_room_id=room)
        db.session.commit()
        reason = req.reason
    clash = _create(app, room, T0 + dt.timedelta(hours=6))
    assert clash.status_code == 422 and reason in str(clash.json)
    assert len(_holds(app, room)) == 2


def test_one_of_the_rooms_or_a_venue_outside_not_both(app):
    room = _room(app)
    answer = _create(app, room, T0, venue="厦门国际会议中心")
    assert answer.status_code == 422 and "not both" in str(answer.json)
    outside = _create(app, None, T0, venue="厦门国际会议中心")
    assert outside.status_code == 201 and _booking(app, outside.json["id"]) is None
    no_end = _create(app, room, T0)
    api, headers = api_client(app, "clerk", "en")
    pk = no_end.json["id"]
    answer = api.put(f"/api/v1/meeting/{pk}", json={"end_at": None, "row_version": version_of(app, Meeting, pk)},
                     headers=headers)
    assert answer.status_code == 422 and "needs its start and end time" in str(answer.json)


def test_a_classified_meeting_needs_a_secure_room_and_a_room_under_repair_is_not_booked(app):
    plain, repair = _room(app), _room(app)
    with app.app_context():
        db.session.get(MeetingRoom, repair).status = "MAINTENANCE"
        db.session.commit()
    secret = _create(app, plain, T0, secrecy_level="MIMI")
    assert secret.status_code == 422 and "secure room" in str(secret.json)
    assert _create(app, _room(app, is_secure_room=True), T0, secrecy_level="MIMI").status_code == 201
    under_repair = _create(app, repair, T0)
    assert under_repair.status_code == 422 and "cannot be booked" in str(under_repair.json)


def test_moving_the_meeting_moves_its_booking(app, as_role):
    room = _room(app)
    pk = _create(app, room, T0).json["id"]
    api, headers = api_client(app, "clerk", "en")
    later = T0 + dt.timedelta(days=1)
    answer = api.put(f"/api/v1/meeting/{pk}", json={"start_at": later.isoformat(),
                                                    "end_at": (later + dt.timedelta(hours=3)).isoformat(),
                                                    "row_version": version_of(app, Meeting, pk)}, headers=headers)
    assert answer.status_code == 200, answer.json
    assert _booking(app, pk)[1:] == (later, later + dt.timedelta(hours=3), room, later, later + dt.timedelta(hours=3))
    # the calendar's drag goes through the same rules and moves the booking too
    moved = T0 + dt.timedelta(days=2)
    client = as_role("clerk", "en")
    answer = client.post("/calendar/move", json={"entity": "Meeting", "pk": pk, "start": moved.isoformat(),
                                                 "version": version_of(app, Meeting, pk)})
    assert answer.status_code == 200, answer.json
    assert _booking(app, pk)[1:3] == (moved, moved + dt.timedelta(hours=3))
    # a drag onto another booking is refused, and nothing moves
    other = _create(app, room, T0 + dt.timedelta(days=3)).json["id"]
    answer = client.post("/calendar/move", json={"entity": "Meeting", "pk": other, "start": moved.isoformat(),
                                                 "version": version_of(app, Meeting, other)})
    assert answer.status_code == 409 and "is already booked" in " ".join(answer.json["messages"])
    assert _booking(app, other)[1] == T0 + dt.timedelta(days=3)
    # the booking alone does not move: the meeting does
    with app.app_context():
        req_id = db.session.get(Meeting, pk).room_request_id
    answer = api.put(f"/api/v1/logistics_request/{req_id}",
                     json={"start_at": T0.isoformat(), "row_version": version_of(app, LogisticsRequest, req_id)},
                     headers=headers)
    assert answer.status_code == 422 and "move the meeting" in str(answer.json)


def test_another_room_moves_the_booking_to_it(app):
    first, second = _room(app), _room(app)
    pk = _create(app, first, T0).json["id"]
    api, headers = api_client(app, "clerk", "en")
    answer = api.put(f"/api/v1/meeting/{pk}", json={"meeting_room_id": second,
                                                    "row_version": version_of(app, Meeting, pk)}, headers=headers)
    assert answer.status_code == 200, answer.json
    assert _booking(app, pk)[3] == second and _holds(app, first) == []


def test_cancelling_or_trashing_the_meeting_frees_the_room(app):
    room = _room(app)
    pk = _create(app, room, T0).json["id"]
    api, headers = api_client(app, "manager", "en")
    answer = api.post(f"/api/v1/meeting/{pk}/transition/cancel", json={"comment": "会议取消"}, headers=headers)
    assert answer.status_code == 200, answer.json
    status, *_rest, held_from, held_until = _booking(app, pk)
    assert (status, held_from, held_until) == ("CANCELLED", None, None)
    # the slot is free again: another meeting takes it; trashing that one frees it too
    again = _create(app, room, T0)
    assert again.status_code == 201, again.json
    admin, admin_headers = api_client(app, "admin", "en")
    assert admin.delete(f"/api/v1/meeting/{again.json['id']}", headers=admin_headers).status_code == 200
    assert _booking(app, again.json["id"])[0] == "CANCELLED" and _holds(app, room) == []
    # and a venue outside instead of the room frees it as well
    third = _create(app, room, T0).json["id"]
    with app.app_context():                     # any path that saves the meeting: here a script
        meeting = db.session.get(Meeting, third)
        meeting.meeting_room, meeting.venue = None, "厦门国际会展中心"
        db.session.commit()
    assert _booking(app, third)[0] == "CANCELLED" and _holds(app, room) == []
