"""Logistics and reception (function 14): each rule refuses a bad save through the form and
the API, and writes nothing; the demo data keeps every rule."""
from __future__ import annotations

import datetime as dt
import random
import uuid

import pytest
from sqlalchemy import func

import views  # noqa: F401  (registers every entity)
from app.extensions import db
from app.registry.checks import problems
from app.registry.spec import REGISTRY, entity_for
from models.org import Department
from models.services import (
    GuestMember,
    LogisticsRequest,
    MeetingRoom,
    Reception,
    RepairOrder,
    RoomBooking,
    SupplyIssue,
    Vehicle,
    VehicleDispatch,
    meal_companion_limit,
)
from tests.factories import form_data, make
from tests.helpers import api_client as _api
from tests.helpers import count as _count
from tests.helpers import valid_form as _form
from tests.helpers import version_of
from tests.pages import alerts

T0 = dt.datetime(2026, 5, 11, 9, 0)


def _tag(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"





def _refused(response, text: str) -> None:
    assert response.status_code == 200
    messages = alerts(response.data.decode())
    assert any(text in m for m in messages), messages


def _reception_body(**values) -> dict:
    body = {"guest_org": _tag("接口接待"), "guest_type": "WAIDI", "guest_level": "TINGJU", "headcount": 8,
            "official_letter_no": "深府办函〔2026〕12号"}
    body.update(values)
    return body


# --- Reception ----------------------------------------------------------------------------
def test_meal_companion_limit_follows_the_2013_rules():
    assert [meal_companion_limit(n) for n in (1, 10, 11, 12, 14, 15, 30)] == [3, 3, 3, 4, 4, 5, 10]


def test_too_many_meal_companions_are_refused(app, as_role):
    org = _tag("陪餐超标代表团")
    data = _form(app, Reception, guest_org=org, headcount=8)
    data.update(meal_companions="4")
    client = as_role("clerk", lang="en")
    _refused(client.post("/receptionview/add", data=data), "At most 3 meal companions are allowed for 8 guests")
    assert _count(app, Reception, guest_org=org) == 0
    data.update(headcount="12")  # above 10 guests: a third, i.e. 4
    assert client.post("/receptionview/add", data=data).status_code == 302
    assert _count(app, Reception, guest_org=org) == 1

    api, headers = _api(app)
    body = _reception_body(headcount=30, meal_companions=11)
    response = api.post("/api/v1/reception/", json=body, headers=headers)
    assert response.status_code == 422
    assert "At most 10 meal companions" in response.json["message"]["rules"][0]
    assert _count(app, Reception, guest_org=body["guest_org"]) == 0
    body["meal_companions"] = 10
    assert api.post("/api/v1/reception/", json=body, headers=headers).status_code == 201


def _reception_state(app, pk: int) -> tuple:
    with app.app_context():
        r = db.session.get(Reception, pk)
        return r.status, r.official_letter_no


def test_no_official_letter_no_reception(app, as_role):
    """An application may be registered while its 公函 is on the way; approving it, and
    anything past approval, needs the letter's number."""
    org = _tag("无公函代表团")
    data = _form(app, Reception, guest_org=org)
    data.pop("official_letter_no", None)
    assert as_role("clerk", lang="en").post("/receptionview/add", data=data).status_code == 302
    with app.app_context():
        by_form = db.session.query(Reception).filter_by(guest_org=org).one()
        assert (by_form.status, by_form.official_letter_no) == ("APPLIED", None)
        form_pk = by_form.id

    api, headers = _api(app)
    body = _reception_body()
    del body["official_letter_no"]
    response = api.post("/api/v1/reception/", json=body, headers=headers)
    assert response.status_code == 201, response.json
    pk = response.json["id"]

    # approval without the letter is refused, on screen and through the API, and changes nothing
    manager = as_role("manager", lang="en")
    page = manager.post(f"/receptionview/transition/{form_pk}/approve_reception",
                        data={"approver": "张处长", "official_letter_no": " "},
                        follow_redirects=True).get_data(as_text=True)
    assert any("needs “Official letter number”" in m for m in alerts(page)), alerts(page)
    assert _reception_state(app, form_pk) == ("APPLIED", None)
    api_m, headers_m = _api(app, "manager", "en")
    response = api_m.post(f"/api/v1/reception/{pk}/transition/approve_reception", json={"approver": "张处长"},
                          headers=headers_m)
    assert response.status_code == 422
    assert any("Official letter number" in m for m in response.json["message"]), response.json
    assert _reception_state(app, pk) == ("APPLIED", None)
    response = api_m.post(f"/api/v1/reception/{pk}/transition/approve_reception",
                          json={"approver": "张处长", "official_letter_no": "深府办函〔2026〕13号"}, headers=headers_m)
    assert response.status_code == 200, response.json
    assert _reception_state(app, pk) == ("APPROVED", "深府办函〔2026〕13号")

    # once approved, the letter cannot be taken away again
    response = api.put(f"/api/v1/reception/{pk}", json={"official_letter_no": "  ",
                                                        "row_version": version_of(app, Reception, pk)},
                       headers=headers)
    assert response.status_code == 422
    assert "no official letter, no reception" in response.json["message"]["rules"][0]
    with app.app_context():
        data = form_data(entity_for(Reception), db.session.get(Reception, pk))
    data["official_letter_no"] = ""
    _refused(as_role("clerk", lang="en").post(f"/receptionview/edit/{pk}", data=data),
             "no official letter, no reception")
    assert _reception_state(app, pk) == ("APPROVED", "深府办函〔2026〕13号")


@pytest.fixture()
def reception_of_two(app):
    """A reception for 2 guests with both on its list. (Its optional units are set: FAB's PUT
    re-validates every field the body leaves out, and refuses an empty foreign key.)"""
    with app.app_context():
        unit = make(db.session, Department)
        r = make(db.session, Reception, guest_org=_tag("名单测试团"), headcount=2, host_department=unit,
                 foreign_affairs_dept=unit)
        for seq, name in ((1, "甲来宾"), (2, "乙来宾")):
            make(db.session, GuestMember, reception=r, seq=seq, name=name)
        db.session.commit()
        return r.id


def test_guest_list_cannot_outgrow_the_headcount(app, as_role, reception_of_two):
    pk = reception_of_two
    data = _form(app, GuestMember, name="丙来宾", seq=3)
    data["reception"] = str(pk)
    _refused(as_role("clerk", lang="en").post("/guestmemberview/add", data=data),
             "The guest list would name 3 people, more than the 2 guests")
    assert _count(app, GuestMember, reception_id=pk) == 2

    api, headers = _api(app)
    response = api.post("/api/v1/guest_member/", json={"reception_id": pk, "name": "丁来宾", "seq": 4},
                        headers=headers)
    assert response.status_code == 422
    assert _count(app, GuestMember, reception_id=pk) == 2


def test_headcount_cannot_drop_below_the_list_and_must_match_it_at_settlement(app, as_role, reception_of_two):
    pk = reception_of_two
    with app.app_context():
        data = form_data(entity_for(Reception), db.session.get(Reception, pk))
    data["headcount"] = "1"
    _refused(as_role("clerk", lang="en").post(f"/receptionview/edit/{pk}", data=data),
             "The guest list names 2 people, more than the 1 guests")
    with app.app_context():
        assert db.session.get(Reception, pk).headcount == 2

    with app.app_context():  # the guests have arrived (approved with its letter, planned)
        reception = db.session.get(Reception, pk)
        reception.status, reception.official_letter_no = "IN_PROGRESS", "深府办函〔2026〕14号"
        db.session.commit()

    api, headers = _api(app)
    # receiving with a list shorter than the headcount is fine; settling is not
    assert api.put(f"/api/v1/reception/{pk}", json={"headcount": 3, "row_version": version_of(app, Reception, pk)},
                   headers=headers).status_code == 200
    response = api.post(f"/api/v1/reception/{pk}/transition/settle_reception", json={}, headers=headers)
    assert response.status_code == 422
    assert any("it names 2 of 3" in m for m in response.json["message"]), response.json
    with app.app_context():
        assert db.session.get(Reception, pk).status == "IN_PROGRESS"
    assert api.put(f"/api/v1/reception/{pk}", json={"headcount": 2, "row_version": version_of(app, Reception, pk)},
                   headers=headers).status_code == 200
    response = api.post(f"/api/v1/reception/{pk}/transition/settle_reception", json={}, headers=headers)
    assert response.status_code == 200, response.json
    # settling, the headcount cannot leave the list behind again
    response = api.put(f"/api/v1/reception/{pk}", json={"headcount": 3, "row_version": version_of(app, Reception, pk)},
                       headers=headers)
    assert response.status_code == 422
    assert "it names 2 of 3" in response.json["message"]["rules"][0]
    with app.app_context():
        assert (db.session.get(Reception, pk).status, db.session.get(Reception, pk).headcount) == ("SETTLING", 2)


def test_guests_depart_after_they_arrive(app, as_role):
    org = _tag("时间倒置团")
    data = _form(app, Reception, guest_org=org)
    data.update(arrive_at="2026-05-11 09:00:00", depart_at="2026-05-10 17:00:00")
    _refused(as_role("clerk", lang="en").post("/receptionview/add", data=data),
             "The guests must depart after they arrive.")
    assert _count(app, Reception, guest_org=org) == 0
    api, headers = _api(app)
    body = _reception_body(arrive_at="2026-05-11T09:00:00", depart_at="2026-05-11T08:00:00")
    response = api.post("/api/v1/reception/", json=body, headers=headers)
    assert response.status_code == 422
    assert "The guests must depart after they arrive." in response.json["message"]["rules"]
    assert _count(app, Reception, guest_org=body["guest_org"]) == 0


def test_foreign_guests_need_the_foreign_affairs_office(app, as_role):
    org = _tag("外宾代表团")
    data = _form(app, Reception, guest_org=org)
    data.update(guest_type="WAIBIN")
    data.pop("foreign_affairs_dept", None)
    _refused(as_role("clerk", lang="en").post("/receptionview/add", data=data), "foreign-affairs office")
    assert _count(app, Reception, guest_org=org) == 0
    api, headers = _api(app)
    body = _reception_body(guest_type="WAIBIN", guest_level="QITA")
    response = api.post("/api/v1/reception/", json=body, headers=headers)
    assert response.status_code == 422
    assert any("foreign-affairs office" in m for m in response.json["message"]["rules"])
    assert _count(app, Reception, guest_org=body["guest_org"]) == 0


# --- Logistics ------------------------------------------------------------------------------
def _request(session, start: dt.datetime, hours: float = 2, **values) -> LogisticsRequest:
    values.setdefault("request_type", "HUIYISHI")
    values.setdefault("department", make(session, Department))  # see reception_of_two
    values.setdefault("reason", _tag("会议室申请"))
    return make(session, LogisticsRequest, start_at=start, end_at=start + dt.timedelta(hours=hours), **values)


@pytest.fixture()
def booked_room(app):
    """A room for 20, booked 09:00–11:00; a second request 10:00–12:00 (overlapping) and a third
    11:00–12:00 (right after), neither with a booking yet."""
    with app.app_context():
        room = make(db.session, MeetingRoom, name=_tag("测试会议室"), capacity=20)
        first = _request(db.session, T0)
        make(db.session, RoomBooking, request=first, meeting_room=room, attendees=12)
        overlapping = _request(db.session, T0 + dt.timedelta(hours=1))
        after = _request(db.session, T0 + dt.timedelta(hours=2), hours=1)
        db.session.commit()
        return {"room": room.id, "first": first.id, "overlapping": overlapping.id, "after": after.id}


def test_a_room_cannot_be_booked_twice_at_once(app, as_role, booked_room):
    ids = booked_room
    data = _form(app, RoomBooking, attendees=10)
    data.update(request=str(ids["overlapping"]), meeting_room=str(ids["room"]))
    _refused(as_role("clerk", lang="en").post("/roombookingview/add", data=data),
             "is already booked from 2026-05-11 09:00")
    assert _count(app, RoomBooking, meeting_room_id=ids["room"]) == 1

    api, headers = _api(app)
    body = {"request_id": ids["overlapping"], "meeting_room_id": ids["room"], "attendees": 10}
    response = api.post("/api/v1/room_booking/", json=body, headers=headers)
    assert response.status_code == 422
    assert _count(app, RoomBooking, meeting_room_id=ids["room"]) == 1
    body["request_id"] = ids["after"]  # 11:00–12:00 only touches 09:00–11:00
    assert api.post("/api/v1/room_booking/", json=body, headers=headers).status_code == 201
    assert _count(app, RoomBooking, meeting_room_id=ids["room"]) == 2


def test_moving_a_request_onto_a_booked_room_is_refused(app, as_role, booked_room):
    ids = booked_room
    with app.app_context():
        req = db.session.get(LogisticsRequest, ids["after"])
        make(db.session, RoomBooking, request=req, meeting_room=db.session.get(MeetingRoom, ids["room"]))
        db.session.commit()
        data = form_data(entity_for(LogisticsRequest), req)
    data.update(start_at="2026-05-11 10:30:00")
    _refused(as_role("clerk", lang="en").post(f"/logisticsrequestview/edit/{ids['after']}", data=data),
             "is already booked")
    with app.app_context():
        assert db.session.get(LogisticsRequest, ids["after"]).start_at == T0 + dt.timedelta(hours=2)
    # once the first request is cancelled its room is free again
    api, headers = _api(app)
    response = api.post(f"/api/v1/logistics_request/{ids['first']}/transition/cancel_request",
                        json={"comment": "会议取消"}, headers=headers)
    assert response.status_code == 200, response.json
    assert api.put(f"/api/v1/logistics_request/{ids['after']}", json={
        "start_at": "2026-05-11T10:30:00", "row_version": version_of(app, LogisticsRequest, ids["after"])},
                   headers=headers).status_code == 200


def test_attendees_must_fit_into_the_room(app, as_role, booked_room):
    ids = booked_room
    data = _form(app, RoomBooking)
    data.update(request=str(ids["after"]), meeting_room=str(ids["room"]), attendees="21")
    _refused(as_role("clerk", lang="en").post("/roombookingview/add", data=data), "21 attendees do not fit")
    assert _count(app, RoomBooking, meeting_room_id=ids["room"]) == 1
    api, headers = _api(app)
    body = {"request_id": ids["after"], "meeting_room_id": ids["room"], "attendees": 25}
    assert api.post("/api/v1/room_booking/", json=body, headers=headers).status_code == 422
    assert _count(app, RoomBooking, meeting_room_id=ids["room"]) == 1


def test_the_odometer_cannot_run_backwards(app, as_role):
    with app.app_context():
        car = make(db.session, Vehicle, plate_no=_tag("闽D")[:10])
        db.session.commit()
        car_id = car.id
    data = _form(app, VehicleDispatch)
    data.update(vehicle=str(car_id), odometer_out="52310", odometer_in="52290")
    _refused(as_role("clerk", lang="en").post("/vehicledispatchview/add", data=data),
             "The odometer reading on return (52290 km) cannot be lower than at departure (52310 km).")
    assert _count(app, VehicleDispatch, vehicle_id=car_id) == 0
    api, headers = _api(app)
    body = {"request_id": int(data["request"]), "vehicle_id": car_id, "odometer_out": 52310, "odometer_in": 52000}
    assert api.post("/api/v1/vehicle_dispatch/", json=body, headers=headers).status_code == 422
    assert _count(app, VehicleDispatch, vehicle_id=car_id) == 0
    body["odometer_in"] = 52346
    assert api.post("/api/v1/vehicle_dispatch/", json=body, headers=headers).status_code == 201
    with app.app_context():
        assert db.session.query(VehicleDispatch).filter_by(vehicle_id=car_id).one().mileage == 36


def test_a_request_ends_after_it_starts(app, as_role):
    reason = _tag("时间倒置申请")
    data = _form(app, LogisticsRequest, reason=reason)
    data.update(start_at="2026-05-11 14:00:00", end_at="2026-05-11 13:00:00")
    _refused(as_role("clerk", lang="en").post("/logisticsrequestview/add", data=data),
             "A request must end after it starts.")
    assert _count(app, LogisticsRequest, reason=reason) == 0
    api, headers = _api(app)
    body = {"request_type": "YONGCHE", "applicant_id": int(data["applicant"]), "reason": reason,
            "start_at": "2026-05-11T14:00:00", "end_at": "2026-05-11T14:00:00"}
    response = api.post("/api/v1/logistics_request/", json=body, headers=headers)
    assert response.status_code == 422
    assert "A request must end after it starts." in response.json["message"]["rules"]
    assert _count(app, LogisticsRequest, reason=reason) == 0


def _request_state(app, pk: int) -> tuple:
    with app.app_context():
        req = db.session.get(LogisticsRequest, pk)
        return req.status, req.rating


def test_a_rated_request_has_its_rating(app, as_role):
    with app.app_context():
        done = _request(db.session, T0, request_type="WEIXIU", status="DONE", rating=None)
        rated = _request(db.session, T0, request_type="WEIXIU", status="RATED", rating="MANYI")
        db.session.commit()
        done_id, rated_id = done.id, rated.id
    # rating a service needs the rating
    client = as_role("clerk", lang="en")
    page = client.post(f"/logisticsrequestview/transition/{done_id}/rate_request", data={"rating": ""},
                       follow_redirects=True).get_data(as_text=True)
    assert any("needs “Rating”" in m for m in alerts(page)), alerts(page)
    assert _request_state(app, done_id) == ("DONE", None)
    api, headers = _api(app)
    url = f"/api/v1/logistics_request/{done_id}/transition/rate_request"
    response = api.post(url, json={}, headers=headers)
    assert response.status_code == 422 and _request_state(app, done_id) == ("DONE", None)
    assert api.post(url, json={"rating": "MANYI"}, headers=headers).status_code == 200
    assert _request_state(app, done_id) == ("RATED", "MANYI")

    # a rated request keeps its rating
    with app.app_context():
        data = form_data(entity_for(LogisticsRequest), db.session.get(LogisticsRequest, rated_id))
    data["rating"] = ""
    _refused(client.post(f"/logisticsrequestview/edit/{rated_id}", data=data), "A rated request needs its rating.")
    version = version_of(app, LogisticsRequest, rated_id)
    response = api.put(f"/api/v1/logistics_request/{rated_id}", json={"rating": None, "row_version": version},
                       headers=headers)
    assert response.status_code == 422
    assert "A rated request needs its rating." in response.json["message"]["rules"]
    assert _request_state(app, rated_id) == ("RATED", "MANYI")


def test_a_repair_is_not_finished_before_it_is_requested(app, as_role):
    location = _tag("西楼3楼")
    data = _form(app, RepairOrder, location=location)
    with app.app_context():
        start = db.session.get(LogisticsRequest, int(data["request"])).start_at
    data["finished_at"] = (start - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    _refused(as_role("clerk", lang="en").post("/repairorderview/add", data=data),
             "A repair cannot be finished before it was requested")
    assert _count(app, RepairOrder, location=location) == 0
    api, headers = _api(app)
    body = {"request_id": int(data["request"]), "location": location,
            "finished_at": (start - dt.timedelta(days=1)).isoformat()}
    assert api.post("/api/v1/repair_order/", json=body, headers=headers).status_code == 422
    assert _count(app, RepairOrder, location=location) == 0


def test_supplies_issue_at_least_one_and_stock_stays_positive(app, as_role):
    item = _tag("A4复印纸")
    data = _form(app, SupplyIssue, item=item)
    data.update(quantity="0", stock_after="-5")
    response = as_role("clerk", lang="en").post("/supplyissueview/add", data=data)
    _refused(response, "The quantity issued must be at least 1.")
    _refused(response, "The stock left after the issue cannot be negative.")
    assert _count(app, SupplyIssue, item=item) == 0
    api, headers = _api(app)
    body = {"request_id": int(data["request"]), "item": item, "quantity": 5, "stock_after": -1}
    assert api.post("/api/v1/supply_issue/", json=body, headers=headers).status_code == 422
    assert _count(app, SupplyIssue, item=item) == 0


# --- Demo data ------------------------------------------------------------------------------
def test_demo_data_keeps_every_rule(app):
    """The org seeder and this domain's seeder, in a transaction that is rolled back."""
    from app.demo import DemoContext, org, services

    models = (Reception, GuestMember, LogisticsRequest, VehicleDispatch, RoomBooking, RepairOrder, SupplyIssue)
    with app.app_context():
        session = db.session
        try:
            before = {m: session.query(func.max(m.id)).scalar() or 0 for m in models}
            ctx = DemoContext(session, random.Random(20261126), 1.0)
            org.seed(ctx)
            counts = services.seed(ctx)
            assert counts["Reception"] >= 100 and counts["LogisticsRequest"] >= 500
            assert counts["VehicleDispatch"] > 100 and counts["RoomBooking"] > 100
            for model in models:
                checks = REGISTRY[model].checks
                seeded = session.query(model).filter(model.id > before[model]).all()
                assert seeded
                broken = [(o.id, found) for o in seeded if (found := problems(checks, o))]
                assert broken == [], (model.__name__, broken[:3])
            assert session.query(MeetingRoom).filter_by(is_secure_room=True).count() >= 2
        finally:
            session.rollback()
    with app.app_context():      # one transaction, nothing committed midway: the units and logins are gone
        from models.org import Department

        seeded = db.session.query(Department).filter_by(name_zh="厦门市应急管理局", valid_from=dt.date(2019, 3, 1))
        assert seeded.count() == 0
        assert app.appbuilder.sm.find_user(username="districts") is None
