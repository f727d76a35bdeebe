"""No double booking of a room or a vehicle (models/services.py `hold_times`, migration 0019):
what a booking or dispatch holds follows its request; a clash the rules see is refused with
the booking in the way named; two saves racing for one room or car never both win — on
PostgreSQL the exclusion constraint refuses the second (the room's lock makes it wait for the
first's commit rather than deadlock), on SQLite the hold is checked again
under the write lock — and the loser is told which booking won."""
from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
from sqlalchemy.exc import IntegrityError

import models.services as services
from app.extensions import db
from app.registry.saving import judge
from app.registry.spec import entity_for
from models.org import Department
from models.services import LogisticsRequest, MeetingRoom, RoomBooking, Vehicle, VehicleDispatch
from tests.factories import make
from tests.helpers import valid_form
from tests.pages import alerts

T0 = dt.datetime(2026, 6, 15, 9, 0)


def _request(session, start: dt.datetime, hours: float = 2, kind: str = "YONGCHE") -> LogisticsRequest:
    return make(session, LogisticsRequest, request_type=kind, department=make(session, Department),
                reason=f"用车申请{uuid.uuid4().hex[:6]}", start_at=start, end_at=start + dt.timedelta(hours=hours))


@pytest.fixture()
def dispatched_car(app):
    """A car dispatched 09:00–11:00; a second request 10:00–12:00 (overlapping) without a car."""
    with app.app_context():
        car = make(db.session, Vehicle, plate_no=f"闽D·{uuid.uuid4().hex[:5].upper()}")
        first = _request(db.session, T0)
        make(db.session, VehicleDispatch, request=first, vehicle=car)
        second = _request(db.session, T0 + dt.timedelta(hours=1))
        db.session.commit()
        return {"car": car.id, "first": first.id, "second": second.id}


def _second_dispatch_form(app, ids) -> dict:
    """What a clerk types to send the car of `dispatched_car` on its second, overlapping request."""
    data = valid_form(app, VehicleDispatch)
    data.update(request=str(ids["second"]), vehicle=str(ids["car"]))
    return data


def _holds(app, model, **where) -> list[tuple]:
    with app.app_context():
        return [(r.busy_from, r.busy_until) for r in db.session.query(model).filter_by(**where).order_by(model.id)]


def test_a_vehicle_cannot_be_dispatched_twice_at_once(app, as_role, dispatched_car):
    ids = dispatched_car
    data = _second_dispatch_form(app, ids)
    page = as_role("clerk", "en").post("/vehicledispatchview/add", data=data).get_data(as_text=True)
    assert any("is already dispatched from 2026-06-15 09:00 to 2026-06-15 11:00" in a for a in alerts(page))
    assert len(_holds(app, VehicleDispatch, vehicle_id=ids["car"])) == 1
    zh = as_role("clerk", "zh").post("/vehicledispatchview/add", data=data).get_data(as_text=True)
    assert any("已被派出" in a for a in alerts(zh)), alerts(zh)


def test_what_a_dispatch_holds_follows_its_request(app, dispatched_car):
    ids = dispatched_car
    assert _holds(app, VehicleDispatch, vehicle_id=ids["car"]) == [(T0, T0 + dt.timedelta(hours=2))]
    with app.app_context():
        request = db.session.get(LogisticsRequest, ids["first"])
        request.start_at, request.end_at = T0 + dt.timedelta(hours=5), T0 + dt.timedelta(hours=6)
        db.session.commit()
    assert _holds(app, VehicleDispatch, vehicle_id=ids["car"]) == [(T0 + dt.timedelta(hours=5),
                                                                     T0 + dt.timedelta(hours=6))]
    with app.app_context():
        db.session.get(LogisticsRequest, ids["first"]).status = "CANCELLED"
        db.session.commit()
    assert _holds(app, VehicleDispatch, vehicle_id=ids["car"]) == [(None, None)]      # a cancelled trip holds nothing


def _judged_save(session, record) -> None:
    """What a form's save does: the entity's rules, then the write."""
    with session.no_autoflush:
        judge(entity_for(type(record)), record, session, new=True)
    session.add(record)
    session.flush()


def _race(app, make_booking) -> list[str]:
    """Two sessions save a clashing booking at the same moment: both pass the rules (each
    looked before the other wrote), then write. Returns each one's outcome."""
    real = services._conflicts
    both_looked = threading.Barrier(2, timeout=20)

    def looked(*args, **kwargs):
        found = real(*args, **kwargs)
        try:
            both_looked.wait()
        except threading.BrokenBarrierError:
            pass
        return found

    outcomes: list[str] = []

    def save(n: int) -> None:
        with app.app_context():
            try:
                make_booking(db.session, n)
                db.session.commit()
                outcomes.append("saved")
            except IntegrityError:
                db.session.rollback()
                outcomes.append("refused")
            except Exception as error:       # e.g. a deadlock: neither a save nor a refusal a user could read
                db.session.rollback()
                outcomes.append(f"failed: {type(error).__name__}: {str(error)[:200]}")

    services._conflicts = looked
    try:
        threads = [threading.Thread(target=save, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        services._conflicts = real
    return sorted(outcomes)


def test_two_bookings_racing_for_one_room_never_both_win(app):
    with app.app_context():
        room = make(db.session, MeetingRoom, name=f"竞争会议室{uuid.uuid4().hex[:4]}", capacity=30)
        requests = [_request(db.session, T0 + dt.timedelta(minutes=30 * n), kind="HUIYISHI") for n in range(2)]
        db.session.commit()
        room_id, request_ids = room.id, [r.id for r in requests]

    def book(session, n):
        _judged_save(session, RoomBooking(request=session.get(LogisticsRequest, request_ids[n]),
                                          meeting_room=session.get(MeetingRoom, room_id), attendees=5))

    assert _race(app, book) == ["refused", "saved"]
    held = [h for h in _holds(app, RoomBooking, meeting_room_id=room_id) if h[0] is not None]
    assert len(held) == 1


def test_two_dispatches_racing_for_one_car_never_both_win(app):
    with app.app_context():
        car = make(db.session, Vehicle, plate_no=f"闽D·{uuid.uuid4().hex[:5].upper()}")
        requests = [_request(db.session, T0 + dt.timedelta(minutes=45 * n)) for n in range(2)]
        db.session.commit()
        car_id, request_ids = car.id, [r.id for r in requests]

    def dispatch(session, n):
        _judged_save(session, VehicleDispatch(request=session.get(LogisticsRequest, request_ids[n]),
                                              vehicle=session.get(Vehicle, car_id)))

    assert _race(app, dispatch) == ["refused", "saved"]
    assert len(_holds(app, VehicleDispatch, vehicle_id=car_id)) == 1


def test_the_loser_of_a_race_on_the_form_is_told_which_booking_won(app, as_role, dispatched_car, monkeypatch):
    """The rules passed (the winner was not saved yet when they looked): the database refuses
    the save, and the page names the winner as the rules would have."""
    ids = dispatched_car
    data = _second_dispatch_form(app, ids)
    real, calls = services._conflicts, []

    def blind_once(*args, **kwargs):          # the first look misses the winner, as in a race
        calls.append(1)
        return [] if len(calls) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(services, "_conflicts", blind_once)
    page = as_role("clerk", "en").post("/vehicledispatchview/add", data=data).get_data(as_text=True)
    assert any("is already dispatched from 2026-06-15 09:00" in a for a in alerts(page)), alerts(page)
    assert len(_holds(app, VehicleDispatch, vehicle_id=ids["car"])) == 1


def test_postgresql_refuses_an_overlapping_hold_written_by_plain_sql(app):
    """Whatever writes it — a script, a bulk statement — PostgreSQL refuses the second hold."""
    if app.config["BACKEND"] != "postgresql":
        pytest.skip("the exclusion constraint is PostgreSQL's")
    with app.app_context():
        car = make(db.session, Vehicle, plate_no=f"闽D·{uuid.uuid4().hex[:5].upper()}")
        first, second = _request(db.session, T0), _request(db.session, T0 + dt.timedelta(hours=3))
        make(db.session, VehicleDispatch, request=first, vehicle=car)
        other = make(db.session, VehicleDispatch, request=second, vehicle=car)
        db.session.commit()
        with pytest.raises(IntegrityError, match="ex_vehicle_dispatch_busy"):
            db.session.execute(db.text("UPDATE vehicle_dispatch SET busy_from = :start, busy_until = :end "
                                       "WHERE id = :id"), {"start": T0, "end": T0 + dt.timedelta(hours=1),
                                                           "id": other.id})
        db.session.rollback()
