"""Logistics, civil services and reception (docs/domain.md §8, function 14).

A `Reception` (公务接待) is one visit the office receives on the strength of an official
letter (公函): who comes, how many, what they do, where they stay and eat, what it
costs. Its `GuestMember` rows are the guest list (names and ID/passport numbers:
sensitive personal information).

A `LogisticsRequest` (后勤申请) is one request to the Administration Division — a car,
a meeting room, a repair, office supplies. What is dispatched or booked lives in one
child table per kind, shown as tabs of the request: `VehicleDispatch` (a `Vehicle` of
the office's fleet), `RoomBooking` (a `MeetingRoom`), `RepairOrder`, `SupplyIssue`.

Receptions and logistics requests change status only through their workflows
(views/services.py); the availability of vehicles and rooms is a plain field. The rules
are pure functions (`reception_problems`, `guest_member_problems`, `request_problems`,
`dispatch_problems`, `room_booking_problems`, `repair_problems`, `supply_problems`)
returning translated messages; the two that must look at other rows (the guest list,
other bookings of a room) read through the record's session, or the app's session for a
record not yet added.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Optional

from flask_babel import gettext
from sqlalchemy import Date, DateTime, Integer, Numeric, String, Text, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

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
from models.base import live as _live
from models.base import record_session as _session_of
from models.label_sql import joined
from models.lookups import SATISFACTION, define_lookup
from models.meetings import brief
from models.org import GENDER

# --- Enumerations (docs/domain.md §8) ----------------------------------------------------------
GUEST_TYPE = define_lookup("svc_guest_type", _l("Guest type"), [
    ("SHANGJI", "上级机关", "Higher authority"),
    ("WAIDI", "外地党政代表团", "Party and government delegation from elsewhere"),
    ("WAIBIN", "外宾", "Foreign guests"),
    ("GANGAOTAI", "港澳台", "Hong Kong, Macao and Taiwan"),
    ("QIYE", "企业", "Enterprise"),
    ("ZHUANJIA", "专家", "Experts"),
    ("QITA", "其他", "Other"),
])
GUEST_LEVEL = define_lookup("svc_guest_level", _l("Guest level"), [
    ("SHENGBU", "省部级及以上", "Provincial or ministerial and above"),
    ("TINGJU", "厅局级", "Bureau level"),
    ("XIANCHU", "县处级", "County or division level"),
    ("QITA", "其他", "Other"),
])
ROOM_STANDARD = define_lookup("svc_room_standard", _l("Room standard"), [
    ("BIAOZHUN", "标准间", "Standard room"),
    ("DANJIAN", "单间", "Single room"),
    ("TAOJIAN", "普通套间", "Ordinary suite"),
    ("BUZHUSU", "不安排住宿", "No lodging"),
])
SETTLEMENT = define_lookup("svc_settlement", _l("Settlement method"), [
    ("GONGWUKA", "公务卡", "Official card"),
    ("ZHUANZHANG", "转账", "Bank transfer"),
])
RECEPTION_STATUS = define_lookup("svc_reception_status", _l("Reception status"), [
    ("APPLIED", "已申请", "Applied"),
    ("APPROVED", "已审批", "Approved"),
    ("PLANNED", "已制定方案", "Planned"),
    ("IN_PROGRESS", "接待中", "In progress"),
    ("SETTLING", "结算中", "Settling"),
    ("CLOSED", "已办结", "Closed"),
    ("REJECTED", "未批准", "Rejected"),
    ("CANCELLED", "已取消", "Cancelled"),
])
REQUEST_TYPE = define_lookup("svc_request_type", _l("Request type"), [
    ("YONGCHE", "用车", "Vehicle"),
    ("HUIYISHI", "会议室", "Meeting room"),
    ("WEIXIU", "维修", "Repair"),
    ("LINGYONG", "物品领用", "Supplies"),
    ("QITA", "其他", "Other"),
])
REQUEST_STATUS = define_lookup("svc_request_status", _l("Request status"), [
    ("SUBMITTED", "已提交", "Submitted"),
    ("APPROVED", "已批准", "Approved"),
    ("REJECTED", "未批准", "Rejected"),
    ("ASSIGNED", "已派单", "Assigned"),
    ("IN_PROGRESS", "办理中", "In progress"),
    ("DONE", "已完成", "Done"),
    ("RATED", "已评价", "Rated"),
    ("CANCELLED", "已取消", "Cancelled"),
])
# 党政机关公务用车管理办法 (2017): the categories of official vehicles the office may keep.
VEHICLE_CATEGORY = define_lookup("svc_vehicle_category", _l("Vehicle category"), [
    ("JIYAO", "机要通信用车", "Confidential communications vehicle"),
    ("YINGJI", "应急保障用车", "Emergency support vehicle"),
    ("ZHIFA", "执法执勤用车", "Law enforcement and duty vehicle"),
    ("TEZHONG", "特种专业技术用车", "Special technical vehicle"),
    ("QITA", "其他", "Other"),
])
VEHICLE_STATUS = define_lookup("svc_vehicle_status", _l("Vehicle status"), [
    ("IN_SERVICE", "在用", "In service"),
    ("IN_REPAIR", "维修中", "Under repair"),
    ("RETIRED", "已报废", "Retired"),
])
ROOM_STATUS = define_lookup("svc_room_status", _l("Meeting room status"), [
    ("AVAILABLE", "可用", "Available"),
    ("MAINTENANCE", "维护中", "Under maintenance"),
    ("CLOSED", "停用", "Out of use"),
])

#: A request in these states holds nothing: its room is free again.
INACTIVE_REQUEST_STATES = frozenset({"REJECTED", "CANCELLED"})
#: From these states on, the guest list must name every guest (see `guest_list_problems`).
GUEST_LIST_FINAL_STATES = frozenset({"SETTLING", "CLOSED"})
#: States in which a reception may still lack its official letter: an application registered
#: before the letter arrives, and one refused or called off. Approval needs the letter.
RECEPTION_LETTERLESS_STATES = frozenset({"APPLIED", "REJECTED", "CANCELLED"})


def money_sum(*values: Optional[Decimal]) -> Optional[Decimal]:
    """The sum of the amounts entered; empty when none is."""
    entered = [Decimal(v) for v in values if v is not None]
    return sum(entered, Decimal("0")) if entered else None


def meal_companion_limit(guests: int) -> int:
    """党政机关国内公务接待管理规定 (2013) Art. 11: up to 10 guests at most 3 companions
    at a working meal; above 10, at most one third of the guests."""
    return 3 if guests <= 10 else guests // 3


# --- Reception ----------------------------------------------------------------------------
class Reception(BusinessRecord, Model):
    """公务接待: one visit received on the strength of an official letter."""

    __tablename__ = "reception"
    #: What a search-as-you-type drop-down finds it by (app/registry/labels.py).
    __label_columns__ = ("guest_org", "arrive_at")

    guest_org: Mapped[str] = mapped_column(String(200), index=True, info=label(_l("Guest organisation")))
    guest_type: Mapped[str] = lookup_column(GUEST_TYPE, _l("Guest type"), nullable=False)
    foreign_affairs_dept_id: Mapped[Optional[int]] = fk_column("department", _l("Foreign-affairs office"),
                                                               description=_l("Required for foreign guests"))
    foreign_affairs_dept = relation("Department", foreign_affairs_dept_id, _l("Foreign-affairs office"))
    head_name: Mapped[Optional[str]] = mapped_column(String(50), index=True, info=label(_l("Head of delegation")))
    head_post: Mapped[Optional[str]] = mapped_column(String(100), info=label(_l("Post of the head")))
    guest_level: Mapped[str] = lookup_column(GUEST_LEVEL, _l("Guest level"), nullable=False)
    headcount: Mapped[int] = mapped_column(Integer, info=label(
        _l("Number of guests"), description=_l("Not lower than the guest list; equal to it from settlement on")))
    official_letter_no: Mapped[Optional[str]] = mapped_column(String(100), index=True, info=label(
        _l("Official letter number"), description=_l(
            "No official letter, no reception: required for approval, may follow the application")))
    official_letter_file: Mapped[Optional[str]] = mapped_column(String(200), info=label(
        _l("Official letter file"), description=_l("File name of the scanned letter")))
    purpose: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Purpose")))
    arrive_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, index=True, info=label(_l("Arrives at")))
    depart_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Departs at")))
    itinerary: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Itinerary")))
    accompanying_staff: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Accompanying staff")))
    meal_count: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("Working meals")))
    meal_companions: Mapped[Optional[int]] = mapped_column(Integer, info=label(
        _l("Meal companions"),
        description=_l("At most 3 for up to 10 guests; above that at most one third of the guests")))
    hotel: Mapped[Optional[str]] = mapped_column(String(100), info=label(_l("Hotel")))
    room_standard: Mapped[Optional[str]] = lookup_column(ROOM_STANDARD, _l("Room standard"))
    vehicle_arrangement: Mapped[Optional[str]] = mapped_column(String(200), info=label(_l("Vehicle arrangement")))
    budget: Mapped[Optional[Decimal]] = mapped_column(Numeric(12, 2), info=label(_l("Budget (yuan)")))
    cost_lodging: Mapped[Optional[Decimal]] = mapped_column(Numeric(12, 2), info=label(_l("Lodging cost (yuan)")))
    cost_meals: Mapped[Optional[Decimal]] = mapped_column(Numeric(12, 2), info=label(_l("Meal cost (yuan)")))
    cost_transport: Mapped[Optional[Decimal]] = mapped_column(Numeric(12, 2), info=label(
        _l("Transport cost (yuan)")))
    cost_other: Mapped[Optional[Decimal]] = mapped_column(Numeric(12, 2), info=label(_l("Other costs (yuan)")))
    settlement_method: Mapped[Optional[str]] = lookup_column(SETTLEMENT, _l("Settlement method"))
    approver: Mapped[Optional[str]] = mapped_column(String(50), index=True, info=label(_l("Approver")))
    host_department_id: Mapped[Optional[int]] = fk_column("department", _l("Host department"))
    host_department = relation("Department", host_department_id, _l("Host department"))
    status: Mapped[str] = lookup_column(RECEPTION_STATUS, _l("Status"), nullable=False, default="APPLIED")
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    members = child_rows("GuestMember", "reception", _l("Guest list"), order_by="GuestMember.seq")

    @display(_l("Total actual cost (yuan)"))
    def total_cost(self) -> Optional[Decimal]:
        return money_sum(self.cost_lodging, self.cost_meals, self.cost_transport, self.cost_other)

    @display(_l("Head of delegation and post"))
    def head(self) -> str:
        return "，".join(x for x in (self.head_name, self.head_post) if x)

    def __str__(self) -> str:
        when = f"（{self.arrive_at:%Y-%m-%d}）" if self.arrive_at else ""
        return f"{self.guest_org or ''}{when}"


class GuestMember(BusinessRecord, Model):
    """One person on a reception's guest list."""

    __tablename__ = "guest_member"
    #: Found by the global search by its pinyin initials too (王小明 → wxm: app/search/words.py).
    __person_names__ = ("name",)

    reception_id: Mapped[int] = parent_key("reception", _l("Reception"))
    reception = parent_relation("Reception", "members", _l("Reception"))
    seq: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("No.")))
    name: Mapped[str] = mapped_column(String(100), index=True, info=label(_l("Full name")))
    post: Mapped[Optional[str]] = mapped_column(String(100), info=label(_l("Post")))
    gender: Mapped[Optional[str]] = lookup_column(GENDER, _l("Gender"))
    id_no: Mapped[Optional[str]] = mapped_column(String(30), info=label(
        _l("ID or passport number"), sensitive=True, mask="id_card"))
    remark: Mapped[Optional[str]] = mapped_column(String(200), info=label(_l("Remarks")))

    def __str__(self) -> str:
        return self.name or ""


# --- Fleet and rooms --------------------------------------------------------------------
class Vehicle(BusinessRecord, Model):
    """车辆: one official vehicle of the office (党政机关公务用车管理办法, 2017)."""

    __tablename__ = "vehicle"
    #: What a search-as-you-type drop-down finds it by (app/registry/labels.py).
    __label_columns__ = ("plate_no", "brand", "model_name")
    __order__ = ("plate_no", "asc")

    plate_no: Mapped[str] = mapped_column(String(20), unique=True, index=True, info=label(
        _l("Plate number"), description=_l("e.g. 闽D12345; unique")))
    category: Mapped[str] = lookup_column(VEHICLE_CATEGORY, _l("Vehicle category"), nullable=False)
    brand: Mapped[Optional[str]] = mapped_column(String(50), info=label(_l("Brand")))
    model_name: Mapped[Optional[str]] = mapped_column(String(100), info=label(_l("Model")))
    seats: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("Seats")))
    department_id: Mapped[Optional[int]] = fk_column("department", _l("Department"))
    department = relation("Department", department_id, _l("Department"))
    status: Mapped[str] = lookup_column(VEHICLE_STATUS, _l("Status"), nullable=False, default="IN_SERVICE")
    purchase_date: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(_l("Purchase date")))
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    def __str__(self) -> str:
        car = " ".join(x for x in (self.brand, self.model_name) if x)
        return f"{self.plate_no} {car}".strip() if self.plate_no else car


class MeetingRoom(BusinessRecord, Model):
    """会议室: a room the office books out; a secure room (涉密会议室) is approved for classified meetings."""

    __tablename__ = "meeting_room"
    #: What a search-as-you-type drop-down finds it by (app/registry/labels.py).
    __label_columns__ = ("building", "name", lambda cls: joined(cls.building, cls.name))
    __order__ = ("name", "asc")

    name: Mapped[str] = mapped_column(String(100), index=True, info=label(_l("Name")))
    building: Mapped[Optional[str]] = mapped_column(String(50), index=True, info=label(
        _l("Building"), description=_l("e.g. 市政府西楼")))
    floor: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("Floor")))
    capacity: Mapped[int] = mapped_column(Integer, info=label(_l("Capacity (seats)")))
    is_secure_room: Mapped[bool] = flag(_l("Secure room"), description=_l("Approved for classified meetings"),
                                        index=True, server_default=False)
    equipment: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Equipment")))
    status: Mapped[str] = lookup_column(ROOM_STATUS, _l("Status"), nullable=False, default="AVAILABLE")
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    def __str__(self) -> str:
        return f"{self.building or ''}{self.name or ''}"


# --- Logistics requests -------------------------------------------------------------------
class LogisticsRequest(BusinessRecord, Model):
    """后勤申请: one request to the Administration Division; what it gets lives in the child tables."""

    __tablename__ = "logistics_request"
    #: What a search-as-you-type drop-down finds it by (app/registry/labels.py).
    __label_columns__ = ("start_at", "applicant", "reason")
    __str_reads__ = ("applicant",)    # its label names it: lists load it with the row

    request_type: Mapped[str] = lookup_column(REQUEST_TYPE, _l("Request type"), nullable=False)
    applicant_id: Mapped[Optional[int]] = fk_column("personnel", _l("Applicant"), description=_l(
        "Who asks; a meeting's room booking names whoever booked the meeting"))
    applicant = relation("Personnel", applicant_id, _l("Applicant"))
    department_id: Mapped[Optional[int]] = fk_column("department", _l("Requesting department"))
    department = relation("Department", department_id, _l("Requesting department"))
    reason: Mapped[str] = mapped_column(String(300), index=True, info=label(_l("Reason")))
    start_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True, info=label(_l("Starts at")))
    end_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True, info=label(_l("Ends at")))
    approver: Mapped[Optional[str]] = mapped_column(String(50), index=True, info=label(_l("Approver")))
    status: Mapped[str] = lookup_column(REQUEST_STATUS, _l("Status"), nullable=False, default="SUBMITTED")
    rating: Mapped[Optional[str]] = lookup_column(SATISFACTION, _l("Rating"))
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    vehicle_dispatches = child_rows("VehicleDispatch", "request", _l("Vehicle dispatches"),
                                    order_by="VehicleDispatch.id")
    room_bookings = child_rows("RoomBooking", "request", _l("Room bookings"), order_by="RoomBooking.id")
    repair_orders = child_rows("RepairOrder", "request", _l("Repair orders"), order_by="RepairOrder.id")
    supply_issues = child_rows("SupplyIssue", "request", _l("Supply issues"), order_by="SupplyIssue.id")

    @display(_l("Vehicle, room or item"), reads=("vehicle_dispatches.vehicle", "room_bookings.meeting_room",
                                                  "repair_orders", "supply_issues"))
    def subject(self) -> str:
        parts = [str(d.vehicle) for d in self.vehicle_dispatches if not d.is_deleted and d.vehicle is not None]
        parts += [str(b.meeting_room) for b in self.room_bookings if not b.is_deleted and b.meeting_room is not None]
        parts += [r.location for r in self.repair_orders if not r.is_deleted and r.location]
        parts += [f"{s.item}×{s.quantity}" for s in self.supply_issues if not s.is_deleted and s.item]
        return "、".join(parts)

    def __str__(self) -> str:
        when = f"{self.start_at:%Y-%m-%d %H:%M} " if self.start_at else ""
        who = f"{self.applicant} " if self.applicant is not None else ""
        return f"{when}{who}{brief(self.reason, 24)}".strip()


class _SortedProperty(property):
    """A computed attribute a list can sort by: FAB orders by `_col_name` instead."""


def sorted_by(column: str, prop: property) -> property:
    """Let lists sort a labelled computed attribute by a (dotted) column, e.g. "request.start_at"."""
    sortable = _SortedProperty(prop.fget)
    sortable._col_name = column
    return sortable


class _RequestChild:
    """What every subtype row shows of its request (the use registers list these)."""

    def _request(self) -> Optional[LogisticsRequest]:
        return getattr(self, "request", None)

    @display(_l("Starts at"), reads=("request",))
    def request_start(self) -> Optional[dt.datetime]:
        req = self._request()
        return req.start_at if req is not None else None

    request_start = sorted_by("request.start_at", request_start)

    @display(_l("Ends at"), reads=("request",))
    def request_end(self) -> Optional[dt.datetime]:
        req = self._request()
        return req.end_at if req is not None else None

    @display(_l("Reason"), reads=("request",))
    def request_reason(self) -> str:
        req = self._request()
        return req.reason if req is not None else ""

    @display(_l("Requesting department"), reads=("request.department",))
    def request_department(self) -> str:
        req = self._request()
        return str(req.department) if req is not None and req.department is not None else ""


class VehicleDispatch(_RequestChild, BusinessRecord, Model):
    """派车: one vehicle sent out for a request, with its odometer readings and costs."""

    __tablename__ = "vehicle_dispatch"
    __str_reads__ = ("vehicle",)    # its label names it: lists load it with the row

    request_id: Mapped[int] = parent_key("logistics_request", _l("Logistics request"))
    request = parent_relation("LogisticsRequest", "vehicle_dispatches", _l("Logistics request"))
    vehicle_id: Mapped[int] = fk_column("vehicle", _l("Vehicle"), nullable=False)
    vehicle = relation("Vehicle", vehicle_id, _l("Vehicle"))
    driver_id: Mapped[Optional[int]] = fk_column("personnel", _l("Driver"))
    driver = relation("Personnel", driver_id, _l("Driver"))
    passengers: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Passengers")))
    route: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Route")))
    odometer_out: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("Odometer out (km)")))
    odometer_in: Mapped[Optional[int]] = mapped_column(Integer, info=label(
        _l("Odometer in (km)"), description=_l("Not lower than the reading at departure")))
    fuel_cost: Mapped[Optional[Decimal]] = mapped_column(Numeric(10, 2), info=label(_l("Fuel or charging (yuan)")))
    toll_cost: Mapped[Optional[Decimal]] = mapped_column(Numeric(10, 2), info=label(_l("Tolls (yuan)")))
    parking_cost: Mapped[Optional[Decimal]] = mapped_column(Numeric(10, 2), info=label(_l("Parking (yuan)")))
    remark: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Remarks")))
    # the time the vehicle is held (`hold_times`): PostgreSQL refuses two overlapping holds of one vehicle
    busy_from: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Held from")))
    busy_until: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Held until")))

    @display(_l("Mileage (km)"))
    def mileage(self) -> Optional[int]:
        if self.odometer_out is None or self.odometer_in is None:
            return None
        return self.odometer_in - self.odometer_out

    @display(_l("Total cost (yuan)"))
    def cost_total(self) -> Optional[Decimal]:
        return money_sum(self.fuel_cost, self.toll_cost, self.parking_cost)

    def __str__(self) -> str:
        return str(self.vehicle) if self.vehicle is not None else ""


class RoomBooking(_RequestChild, BusinessRecord, Model):
    """会议室预订: a meeting room held for the time of its request."""

    __tablename__ = "room_booking"
    __str_reads__ = ("meeting_room",)    # its label names it: lists load it with the row

    request_id: Mapped[int] = parent_key("logistics_request", _l("Logistics request"))
    request = parent_relation("LogisticsRequest", "room_bookings", _l("Logistics request"))
    meeting_room_id: Mapped[int] = fk_column("meeting_room", _l("Meeting room"), nullable=False)
    meeting_room = relation("MeetingRoom", meeting_room_id, _l("Meeting room"))
    attendees: Mapped[Optional[int]] = mapped_column(Integer, info=label(
        _l("Attendees"), description=_l("Not more than the room's capacity")))
    needs: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("Needs"), description=_l("Tea, projector, video conferencing, name cards …")))
    remark: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Remarks")))
    # the time the room is held (`hold_times`): PostgreSQL refuses two overlapping holds of one room
    busy_from: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Held from")))
    busy_until: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Held until")))

    def __str__(self) -> str:
        return str(self.meeting_room) if self.meeting_room is not None else ""


class RepairOrder(_RequestChild, BusinessRecord, Model):
    """维修单: what is broken, where, who repaired it and how well."""

    __tablename__ = "repair_order"

    request_id: Mapped[int] = parent_key("logistics_request", _l("Logistics request"))
    request = parent_relation("LogisticsRequest", "repair_orders", _l("Logistics request"))
    location: Mapped[str] = mapped_column(String(200), index=True, info=label(
        _l("Location"), description=_l("e.g. 西楼3楼305室")))
    fault: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Fault")))
    assignee: Mapped[Optional[str]] = mapped_column(String(100), info=label(_l("Repaired by")))
    finished_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Finished at")))
    rating: Mapped[Optional[str]] = lookup_column(SATISFACTION, _l("Rating"))
    remark: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Remarks")))

    def __str__(self) -> str:
        return f"{self.location or ''} {brief(self.fault, 20)}".strip()


class SupplyIssue(_RequestChild, BusinessRecord, Model):
    """物品领用: office supplies handed out for a request, and the stock left."""

    __tablename__ = "supply_issue"

    request_id: Mapped[int] = parent_key("logistics_request", _l("Logistics request"))
    request = parent_relation("LogisticsRequest", "supply_issues", _l("Logistics request"))
    item: Mapped[str] = mapped_column(String(100), index=True, info=label(_l("Article")))
    spec: Mapped[Optional[str]] = mapped_column(String(100), info=label(_l("Specification")))
    unit: Mapped[Optional[str]] = mapped_column(String(10), info=label(_l("Unit of measure")))
    quantity: Mapped[int] = mapped_column(Integer, info=label(_l("Quantity")))
    stock_after: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("Stock after issue")))
    remark: Mapped[Optional[str]] = mapped_column(String(300), info=label(_l("Remarks")))

    def __str__(self) -> str:
        return f"{self.item or ''} {self.spec or ''}".strip()


# --- Checks docs/domain.md states (pure: they read, never write) -----------------------------------






def _fmt(value: Optional[dt.datetime]) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else ""


def meal_companion_problems(reception: Reception) -> list[str]:
    """Meal companions within the national limit (see `meal_companion_limit`)."""
    guests, companions = reception.headcount, reception.meal_companions
    if guests is None or companions is None or guests < 1:
        return []
    limit = meal_companion_limit(guests)
    if companions <= limit:
        return []
    return [gettext("At most %(limit)d meal companions are allowed for %(guests)d guests (%(companions)d entered): "
                    "up to 10 guests at most 3, above 10 at most one third of the guests.",
                    limit=limit, guests=guests, companions=companions)]


def guest_list_problems(reception: Reception) -> list[str]:
    """The headcount against the guest list.

    Decision: while a reception is applied for and planned, the list may be shorter than
    the headcount — a clerk saves the reception first and enters the guests one by one,
    and delegations often send their names late — but never longer: a headcount below the
    names listed understates the basis of the meal-companion limit and the per-head cost
    norms. From settlement on (SETTLING, CLOSED) the list must name exactly the headcount:
    the reception is settled against its 接待清单, which names the guests received, and a
    headcount not backed by names would justify more companions and higher costs than the
    visit had."""
    if reception.headcount is None:
        return []
    count = len(_live(reception.members))
    if count > reception.headcount:
        return [gettext("The guest list names %(count)d people, more than the %(headcount)d guests given as "
                        "the headcount.", count=count, headcount=reception.headcount)]
    if reception.status in GUEST_LIST_FINAL_STATES and count != reception.headcount:
        return [gettext("From settlement on the guest list must name every guest: it names %(count)d of "
                        "%(headcount)d.", count=count, headcount=reception.headcount)]
    return []


def reception_problems(reception: Reception) -> list[str]:
    """No official letter, no reception (an application may be registered while the letter is on
    its way, but nothing past it goes ahead without one); companions within the limit; the
    headcount against the guest list; departure after arrival; foreign guests received with the
    foreign-affairs office."""
    problems: list[str] = []
    if reception.status not in RECEPTION_LETTERLESS_STATES and not (reception.official_letter_no or "").strip():
        problems.append(gettext("A reception needs the number of the official letter that asks for it: "
                                "no official letter, no reception."))
    if reception.headcount is not None and reception.headcount < 1:
        problems.append(gettext("The number of guests must be at least 1."))
    if reception.meal_companions is not None and reception.meal_companions < 0:
        problems.append(gettext("The number of meal companions cannot be negative."))
    costs = (reception.budget, reception.cost_lodging, reception.cost_meals, reception.cost_transport,
             reception.cost_other)
    if any(v is not None and v < 0 for v in costs):
        problems.append(gettext("A cost cannot be negative."))
    problems += meal_companion_problems(reception)
    problems += guest_list_problems(reception)
    if reception.arrive_at and reception.depart_at and reception.depart_at <= reception.arrive_at:
        problems.append(gettext("The guests must depart after they arrive."))
    if reception.guest_type == "WAIBIN" and reception.foreign_affairs_dept is None \
            and reception.foreign_affairs_dept_id is None:
        problems.append(gettext("Foreign guests are received together with the foreign-affairs office: "
                                "name it."))
    return problems


def guest_member_problems(member: GuestMember) -> list[str]:
    """Adding a guest must not make the list longer than the reception's headcount (the
    reception's own rule, seen from the list: raise the headcount first)."""
    reception = parent_of(member, "reception", Reception)
    if reception is None or member.is_deleted or reception.headcount is None:
        return []
    members = _live(reception.members)
    if not any(m is member for m in members):
        members.append(member)
    if len(members) > reception.headcount:
        return [gettext("The guest list would name %(count)d people, more than the %(headcount)d guests of the "
                        "reception: raise its headcount first.", count=len(members), headcount=reception.headcount)]
    return []


#: What a request books that no other request may hold at the same time: the child record and
#: the relation naming the room or vehicle (docs/domain.md §10, "no double booking").
BOOKED = {"RoomBooking": "meeting_room", "VehicleDispatch": "vehicle"}


def _resource_of(booking):
    return getattr(booking, BOOKED[type(booking).__name__])


def _held_times(booking, request) -> tuple[Optional[dt.datetime], Optional[dt.datetime]]:
    """The time `booking` holds its room or vehicle: its request's, while both are live and the
    request is not refused or cancelled; (None, None) when it holds nothing."""
    if request is None or booking.is_deleted or request.is_deleted or request.status in INACTIVE_REQUEST_STATES \
            or not (request.start_at and request.end_at) or request.end_at <= request.start_at:
        return None, None
    return request.start_at, request.end_at


def hold_times(record, change) -> None:
    """Keep `busy_from`/`busy_until` of a booking or dispatch equal to the time it holds (its
    request's): on the booking's own save and on its request's.

    The rules (`_booking_clashes`) refuse a clash they can see; two saves at the same moment
    see neither the other. PostgreSQL's exclusion constraint on these columns (migration
    0019) refuses the second; SQLite has none, but writes one transaction at a time: a hold
    written is looked at again after the flush, when the write lock is ours, and a clash
    found then refuses the save as the constraint would."""
    if isinstance(record, LogisticsRequest):
        for child in [*record.room_bookings, *record.vehicle_dispatches]:
            _set_hold(child, record, change.session)
        return
    _set_hold(record, parent_of(record, "request", LogisticsRequest), change.session)


def _set_hold(booking, request, session) -> None:
    start, end = _held_times(booking, request)
    if booking.busy_from == start and booking.busy_until == end:
        return
    booking.busy_from, booking.busy_until = start, end
    if start is None:
        return
    if session.get_bind().dialect.name == "postgresql":
        _wait_for_other_holds(session, booking)
    elif session.get_bind().dialect.name == "sqlite":
        from app.lifecycle import when_saved  # the lifecycle reads the registry: not at the top

        when_saved(session, booking, lambda: _refuse_overlap(session, booking))


def _wait_for_other_holds(session, booking) -> None:
    """Take the room's (vehicle's) lock until this transaction ends. Two saves writing
    overlapping holds at once would each wait, inside the exclusion constraint's check, for
    the other's uncommitted row — a deadlock PostgreSQL breaks with an error no user should
    read. Waiting here instead, the second writes after the first committed, and the
    constraint refuses it as a plain double booking."""
    resource = _resource_of(booking)
    resource_id = getattr(resource, "id", None) or getattr(booking, f"{BOOKED[type(booking).__name__]}_id")
    if resource_id is not None:
        session.execute(select(func.pg_advisory_xact_lock(func.hashtext(type(booking).__tablename__),
                                                          resource_id)))


def _refuse_overlap(session, booking) -> None:
    """After the flush that wrote `booking`'s hold: another hold of the same room or vehicle
    overlapping it (committed by a save that won the race) refuses this save."""
    model = type(booking)
    column = getattr(model, f"{BOOKED[model.__name__]}_id")
    clash = session.scalar(select(model.id).where(
        column == getattr(booking, f"{BOOKED[model.__name__]}_id"), model.id != booking.id,
        model.busy_from.isnot(None), model.busy_from < booking.busy_until, model.busy_until > booking.busy_from
    ).limit(1))
    if clash is not None:
        raise IntegrityError("double booking", {"id": booking.id, "other": clash},
                             Exception(f"ex_{model.__tablename__}_busy"))


def _conflicts(session, model, resource_id: int, start: dt.datetime, end: dt.datetime, exclude: list[int]):
    """Live bookings (or dispatches) of one room (or vehicle) whose active requests overlap [start, end)."""
    column = getattr(model, f"{BOOKED[model.__name__]}_id")
    stmt = (
        select(model).join(model.request)
        .where(column == resource_id, model.is_deleted.is_(False),
               LogisticsRequest.is_deleted.is_(False),
               LogisticsRequest.status.notin_(INACTIVE_REQUEST_STATES),
               LogisticsRequest.start_at < end, LogisticsRequest.end_at > start)
        .order_by(LogisticsRequest.start_at)
    )
    if exclude:
        stmt = stmt.where(model.id.notin_(exclude))
    return list(session.scalars(stmt.limit(3)))


def conflict_message(resource, other) -> str:
    """Why a booking is refused, naming the one in the way: its time and its request."""
    req = other.request
    if isinstance(other, VehicleDispatch):
        return gettext("%(vehicle)s is already dispatched from %(start)s to %(end)s (%(reason)s).",
                       vehicle=str(resource), start=_fmt(req.start_at), end=_fmt(req.end_at),
                       reason=brief(req.reason, 30))
    return gettext("%(room)s is already booked from %(start)s to %(end)s (%(reason)s).", room=str(resource),
                   start=_fmt(req.start_at), end=_fmt(req.end_at), reason=brief(req.reason, 30))


def _booking_clashes(booking, request: LogisticsRequest, exclude: list[int]) -> list[str]:
    name = BOOKED[type(booking).__name__]
    resource = parent_of(booking, name, MeetingRoom if name == "meeting_room" else Vehicle)
    if resource is None or resource.id is None or _held_times(booking, request) == (None, None):
        return []
    session = _session_of(booking) or _session_of(request)
    if session is None:
        return []
    return [conflict_message(resource, other)
            for other in _conflicts(session, type(booking), resource.id, request.start_at, request.end_at, exclude)]


def room_booking_problems(booking: RoomBooking) -> list[str]:
    """Not more attendees than the room seats; the room free for the whole time of the request;
    a meeting's booking is of the meeting's room."""
    problems: list[str] = []
    room = parent_of(booking, "meeting_room", MeetingRoom)
    if booking.attendees is not None:
        if booking.attendees < 1:
            problems.append(gettext("The number of attendees must be at least 1."))
        elif room is not None and room.capacity is not None and booking.attendees > room.capacity:
            problems.append(gettext("%(attendees)d attendees do not fit into %(room)s (%(capacity)d seats).",
                                    attendees=booking.attendees, room=str(room), capacity=room.capacity))
    request = parent_of(booking, "request", LogisticsRequest)
    if request is not None:
        problems += _booking_clashes(booking, request, [booking.id] if booking.id else [])
        from models.meetings import meeting_of_request

        meeting = meeting_of_request(request)
        if meeting is not None and room is not None and meeting.meeting_room_id not in (None, room.id):
            problems.append(gettext("This room booking is the meeting «%(meeting)s»'s: choose the room on the "
                                    "meeting.", meeting=str(meeting)))
    return problems


def room_clashes(room: MeetingRoom, start: dt.datetime, end: dt.datetime, request_id: Optional[int]) -> list[str]:
    """Why `room` cannot be held from `start` to `end`: the live bookings of other requests in
    the way (a meeting's own booking, request `request_id`, does not count), each named."""
    session = _session_of(room)
    if session is None or room.id is None:
        return []
    with session.no_autoflush:
        others = _conflicts(session, RoomBooking, room.id, start, end, [])
    return [conflict_message(room, other) for other in others if other.request_id != request_id]


def meeting_booking_problems(req: LogisticsRequest) -> list[str]:
    """A meeting's room booking keeps the meeting's time: it moves with the meeting, not alone."""
    from models.meetings import meeting_of_request

    meeting = meeting_of_request(req)
    if meeting is None or req.status in INACTIVE_REQUEST_STATES or req.is_deleted:
        return []
    if (req.start_at, req.end_at) != (meeting.start_at, meeting.end_at):
        return [gettext("This room booking is the meeting «%(meeting)s»'s: move the meeting, and its booking moves "
                        "with it.", meeting=str(meeting))]
    return []


def request_problems(req: LogisticsRequest) -> list[str]:
    """A request ends after it starts; a rated request has its rating; moving a request in
    time (or reviving a cancelled one) must not make its room bookings clash with others; a
    request names its applicant, but for a meeting's room booking; a meeting's booking keeps
    the meeting's time."""
    problems: list[str] = []
    if req.applicant is None and req.applicant_id is None:
        from models.meetings import meeting_of_request

        if meeting_of_request(req) is None:
            problems.append(gettext("A request needs its applicant."))
    problems += meeting_booking_problems(req)
    if req.start_at and req.end_at and req.end_at <= req.start_at:
        problems.append(gettext("A request must end after it starts."))
    if req.status == "RATED" and not req.rating:
        problems.append(gettext("A rated request needs its rating."))
    for bookings in (_live(req.room_bookings), _live(req.vehicle_dispatches)):
        own = [b.id for b in bookings if b.id]
        seen: set = set()
        for booking in bookings:
            name = BOOKED[type(booking).__name__]
            resource = getattr(booking, name)
            key = getattr(booking, f"{name}_id") or (id(resource) if resource is not None else None)
            if key is None:
                continue
            if key in seen:
                problems.append(gettext("The request books %(room)s twice.", room=str(resource or "")))
            seen.add(key)
            problems += _booking_clashes(booking, req, own)
    return problems


def dispatch_problems(dispatch: VehicleDispatch) -> list[str]:
    """The odometer cannot run backwards; costs are not negative."""
    problems: list[str] = []
    out, back = dispatch.odometer_out, dispatch.odometer_in
    if out is not None and back is not None and back < out:
        problems.append(gettext("The odometer reading on return (%(back)d km) cannot be lower than at departure "
                                "(%(out)d km).", back=back, out=out))
    if any(v is not None and v < 0 for v in (out, back)):
        problems.append(gettext("An odometer reading cannot be negative."))
    if any(v is not None and v < 0 for v in (dispatch.fuel_cost, dispatch.toll_cost, dispatch.parking_cost)):
        problems.append(gettext("A cost cannot be negative."))
    request = parent_of(dispatch, "request", LogisticsRequest)
    if request is not None:          # the vehicle free for the whole time of the request
        problems += _booking_clashes(dispatch, request, [dispatch.id] if dispatch.id else [])
    return problems


def repair_problems(order: RepairOrder) -> list[str]:
    """A repair is not finished before it was asked for."""
    request = parent_of(order, "request", LogisticsRequest)
    if order.finished_at and request is not None and request.start_at and order.finished_at < request.start_at:
        return [gettext("A repair cannot be finished before it was requested (%(start)s).",
                        start=_fmt(request.start_at))]
    return []


def supply_problems(issue: SupplyIssue) -> list[str]:
    """At least one article is issued, and the stock left cannot be negative."""
    problems: list[str] = []
    if issue.quantity is not None and issue.quantity < 1:
        problems.append(gettext("The quantity issued must be at least 1."))
    if issue.stock_after is not None and issue.stock_after < 0:
        problems.append(gettext("The stock left after the issue cannot be negative."))
    return problems
