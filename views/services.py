"""Logistics and reception (后勤服务与公务接待): receptions with their guest lists, logistics
requests with what was dispatched, booked, repaired or issued, the fleet and the meeting rooms."""
from app.ledgers import SERIAL, register_ledger
from app.registry import register
from app.registry.spec import CalendarSpec
from app.workflow import Transition, Workflow
from models.base import _l
from models.meetings import brief
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
    dispatch_problems,
    guest_member_problems,
    hold_times,
    reception_problems,
    repair_problems,
    request_problems,
    room_booking_problems,
    supply_problems,
)

# --- Reception ----------------------------------------------------------------------------
register(
    GuestMember, group="F14_Services", title=_l("Guest list"), item=_l("Guest"), menu=False,
    checks=[guest_member_problems],
    list=["seq", "name", "gender", "post"],
    search=["name", "post", "reception"],
    sections=[(_l("Guest"), ["reception", "seq", "name", "gender", "post", "id_no", "remark"])],
    # ID and passport numbers are sensitive personal information: never in a spreadsheet.
    export=["reception", "seq", "name", "gender", "post", "remark"],
    base_order=("seq", "asc"),
)

register(
    Reception, group="F14_Services", title=_l("Receptions"), item=_l("Reception"), icon="fa-handshake-o",
    calendar=CalendarSpec(start="arrive_at", end="depart_at", color="#2e7d32", title=lambda r: r.guest_org),
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"guest_org": ["来宾", "来访单位", "接待对象单位"], "guest_level": ["来宾级别", "接待级别"],
              "head_name": ["带队领导", "领队"], "head_post": ["带队领导职务", "领队职务"],
              "headcount": ["来访人数", "人数"], "official_letter_no": ["公函编号", "来函文号"],
              "purpose": ["公务活动项目", "来访目的"], "arrive_at": ["接待日期", "来访时间", "抵达日期"],
              "depart_at": ["离开日期"], "host_department": ["接待处室", "承办单位"], "meal_count": ["用餐次数"],
              "hotel": ["住宿地点", "住宿宾馆"], "approver": ["审批领导"]},
    checks=[reception_problems],
    list=["arrive_at", "guest_org", "guest_type", "head", "headcount", "official_letter_no", "host_department",
          "status"],
    search=["guest_org", "guest_type", "guest_level", "head_name", "official_letter_no", "arrive_at", "status",
            "host_department", "approver", "hotel", "settlement_method"],
    order=["arrive_at", "guest_org", "guest_type", "headcount", "official_letter_no", "status"],
    sections=[
        (_l("Guests"), ["guest_org", "guest_type", "foreign_affairs_dept", "head_name", "head_post", "guest_level",
                        "headcount"]),
        (_l("Official letter"), ["official_letter_no", "official_letter_file", "purpose"]),
        (_l("Programme"), ["arrive_at", "depart_at", "itinerary", "accompanying_staff", "host_department"]),
        (_l("Meals, lodging and transport"), ["meal_count", "meal_companions", "hotel", "room_standard",
                                              "vehicle_arrangement"]),
        (_l("Costs"), ["budget", "cost_lodging", "cost_meals", "cost_transport", "cost_other", "total_cost",
                       "settlement_method"]),
        (_l("Approval"), ["approver", "status", "remark"]),
    ],
    readonly=["total_cost"],
    # 公务接待台账 (docs/domain.md §10): date, guests, head and post, number, letter, purpose,
    # companions, lodging, cost details, approver.
    export=["arrive_at", "depart_at", "guest_org", "guest_type", "guest_level", "head_name", "head_post",
            "headcount", "official_letter_no", "purpose", "accompanying_staff", "meal_count", "meal_companions",
            "hotel", "room_standard", "cost_lodging", "cost_meals", "cost_transport", "cost_other", "total_cost",
            "budget", "settlement_method", "approver", "host_department", "status", "remark"],
    base_order=("arrive_at", "desc"),
    related=[GuestMember],
    # APPLIED → APPROVED → PLANNED → IN_PROGRESS → SETTLING → CLOSED, or REJECTED / CANCELLED
    # (docs/domain.md §8). No official letter, no approval; settling needs the full guest list
    # (`reception_problems`) and closing the settlement method.
    workflow=Workflow(finished=["CLOSED", "REJECTED", "CANCELLED"], transitions=[
        Transition("approve_reception", _l("Approve the reception"), ["APPLIED"], "APPROVED",
                   roles=["Manager", "Leader"], fields=["official_letter_no", "official_letter_file", "approver"],
                   requires=["official_letter_no", "approver"], style="success"),
        Transition("reject_reception", _l("Refuse the reception"), ["APPLIED"], "REJECTED",
                   roles=["Manager", "Leader"], fields=["approver"], comment="required", style="danger", todo=False),
        Transition("plan_reception", _l("Reception plan made"), ["APPROVED"], "PLANNED",
                   roles=["Clerk", "Manager"],
                   fields=["itinerary", "accompanying_staff", "meal_count", "meal_companions", "hotel",
                           "room_standard", "vehicle_arrangement", "budget"], requires=["itinerary"]),
        Transition("start_reception", _l("Guests arrived"), ["PLANNED"], "IN_PROGRESS", roles=["Clerk", "Manager"]),
        Transition("settle_reception", _l("Settle the costs"), ["IN_PROGRESS"], "SETTLING",
                   roles=["Clerk", "Manager"],
                   fields=["cost_lodging", "cost_meals", "cost_transport", "cost_other", "settlement_method"]),
        Transition("close_reception", _l("Close the reception"), ["SETTLING"], "CLOSED", roles=["Manager", "Leader"],
                   fields=["settlement_method"], requires=["settlement_method"], style="success"),
        Transition("cancel_reception", _l("Cancel the reception"), ["APPLIED", "APPROVED", "PLANNED"], "CANCELLED",
                   roles=["Clerk", "Manager", "Leader"], comment="required", style="danger", todo=False),
    ]),
)

# --- Logistics: the subtype rows first (tabs of the request) --------------------------------
register(
    RepairOrder, group="F14_Services", title=_l("Repair orders"), item=_l("Repair order"), menu=False,
    checks=[repair_problems],
    list=["request_start", "location", "fault", "assignee", "finished_at", "rating"],
    search=["location", "assignee", "finished_at", "rating"],
    order=["request_start", "location", "assignee", "finished_at", "rating"],
    sections=[
        (_l("Repair"), ["request", "location", "fault"]),
        (_l("Handling"), ["assignee", "finished_at", "rating", "remark"]),
    ],
    base_order=("request.start_at", "desc"),
)

register(
    SupplyIssue, group="F14_Services", title=_l("Supply issues"), item=_l("Supply issue"), menu=False,
    checks=[supply_problems],
    list=["request_start", "item", "spec", "unit", "quantity", "stock_after"],
    search=["item", "spec"],
    order=["request_start", "item", "quantity", "stock_after"],
    sections=[(_l("Supply issue"), ["request", "item", "spec", "unit", "quantity", "stock_after", "remark"])],
    base_order=("request.start_at", "desc"),
)

# The use registers (公务用车/会议室使用登记, docs/domain.md §10) have their own menu entries.
register(
    VehicleDispatch, group="F14_Services", title=_l("Vehicle dispatches"), item=_l("Vehicle dispatch"),
    calendar=CalendarSpec(start="request.start_at", end="request.end_at", color="#1f6fb2", resource="vehicle",
                          unit="request.department",
                          title=lambda d: f"{d.vehicle} · {brief(d.route or d.request.reason, 24)}"),
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"vehicle": ["车牌号", "车号", "车牌号码"], "driver": ["司机"], "passengers": ["用车人", "乘车人"],
              "route": ["目的地", "行驶路线"], "odometer_out": ["出车里程", "出车公里数"],
              "odometer_in": ["收车里程", "回车里程"], "fuel_cost": ["油费", "加油费"],
              "toll_cost": ["过路费", "路桥费"], "parking_cost": ["停车费"]},
    icon="fa-car",
    checks=[dispatch_problems],
    on_save=[hold_times],              # the time the vehicle is held: no double dispatch (PostgreSQL enforces it)
    list=["request_start", "vehicle", "driver", "request_reason", "request_department", "route", "mileage",
          "cost_total"],
    search=["vehicle", "driver", "route", "passengers"],
    order=["request_start", "route"],
    sections=[
        (_l("Dispatch"), ["request", "request_start", "request_end", "request_reason", "request_department",
                          "vehicle", "driver", "passengers", "route"]),
        (_l("Mileage and costs"), ["odometer_out", "odometer_in", "mileage", "fuel_cost", "toll_cost",
                                   "parking_cost", "cost_total", "remark"]),
    ],
    readonly=["request_start", "request_end", "request_reason", "request_department", "mileage", "cost_total"],
    export=["request_start", "request_end", "vehicle", "driver", "request_reason", "request_department",
            "passengers", "route", "odometer_out", "odometer_in", "mileage", "fuel_cost", "toll_cost",
            "parking_cost", "cost_total", "remark"],
    base_order=("request.start_at", "desc"),
)

register(
    RoomBooking, group="F14_Services", title=_l("Room bookings"), item=_l("Room booking"), icon="fa-calendar",
    calendar=CalendarSpec(start="request.start_at", end="request.end_at", color="#e67e22", resource="meeting_room",
                          unit="request.department",
                          title=lambda b: f"{b.meeting_room} · {brief(b.request.reason, 24)}"),
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"meeting_room": ["会议室名称", "使用会议室"], "attendees": ["参会人员数", "人数"],
              "needs": ["会务要求", "服务需求"]},
    checks=[room_booking_problems],
    on_save=[hold_times],              # the time the room is held: no double booking (PostgreSQL enforces it)
    list=["request_start", "request_end", "meeting_room", "request_reason", "request_department", "attendees"],
    search=["meeting_room", "attendees", "needs"],
    order=["request_start", "attendees"],
    sections=[
        (_l("Booking"), ["request", "request_start", "request_end", "request_reason", "request_department",
                         "meeting_room", "attendees", "needs", "remark"]),
    ],
    readonly=["request_start", "request_end", "request_reason", "request_department"],
    export=["request_start", "request_end", "meeting_room", "request_reason", "request_department", "attendees",
            "needs", "remark"],
    base_order=("request.start_at", "desc"),
)

register(
    LogisticsRequest, group="F14_Services", title=_l("Logistics requests"), item=_l("Logistics request"),
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"reason": ["事由", "用途"], "department": ["申请单位"]},
    icon="fa-truck",
    checks=[request_problems],
    on_save=[hold_times],              # moving or cancelling a request moves or frees what it holds
    list=["start_at", "request_type", "applicant", "department", "reason", "subject", "status"],
    search=["request_type", "applicant", "department", "reason", "start_at", "end_at", "approver", "status",
            "rating"],
    order=["start_at", "request_type", "reason", "status"],
    sections=[
        (_l("Request"), ["request_type", "applicant", "department", "reason", "start_at", "end_at", "subject"]),
        (_l("Handling"), ["approver", "status", "rating", "remark"]),
    ],
    readonly=["subject"],
    export=["start_at", "end_at", "request_type", "applicant", "department", "reason", "subject", "approver",
            "status", "rating", "remark"],
    base_order=("start_at", "desc"),
    related=[VehicleDispatch, RoomBooking, RepairOrder, SupplyIssue],
    # SUBMITTED → APPROVED | REJECTED → ASSIGNED → IN_PROGRESS → DONE → RATED, or CANCELLED
    # (docs/domain.md §8). A refused or cancelled request frees its room bookings.
    workflow=Workflow(finished=["RATED", "REJECTED", "CANCELLED"], transitions=[
        Transition("approve_request", _l("Approve the logistics request"), ["SUBMITTED"], "APPROVED",
                   roles=["Manager", "Leader"], fields=["approver"], requires=["approver"], style="success"),
        Transition("reject_request", _l("Refuse the logistics request"), ["SUBMITTED"], "REJECTED",
                   roles=["Manager", "Leader"], fields=["approver"], comment="required", style="danger", todo=False),
        Transition("assign_request", _l("Assign a handler"), ["APPROVED"], "ASSIGNED", roles=["Clerk", "Manager"]),
        Transition("start_request", _l("Start the service"), ["ASSIGNED"], "IN_PROGRESS",
                   roles=["Clerk", "Manager"]),
        Transition("finish_request", _l("Service done"), ["IN_PROGRESS"], "DONE", roles=["Clerk", "Manager"],
                   style="success"),
        Transition("rate_request", _l("Rate the service"), ["DONE"], "RATED", roles=["Clerk", "Manager"],
                   fields=["rating"], requires=["rating"], todo=False),
        Transition("cancel_request", _l("Cancel the logistics request"), ["SUBMITTED", "APPROVED", "ASSIGNED"],
                   "CANCELLED", roles=["Clerk", "Manager", "Leader"], comment="required", style="danger", todo=False),
    ]),
)

# --- Fleet and rooms ------------------------------------------------------------------------
register(
    Vehicle, group="F14_Services", title=_l("Vehicles"), item=_l("Vehicle"), icon="fa-car",
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"plate_no": ["车牌号码", "车号"], "brand": ["厂牌"], "seats": ["核定座位数"],
              "purchase_date": ["购置时间", "购买日期"]},
    import_key=["plate_no"],
    list=["plate_no", "category", "brand", "model_name", "seats", "department", "status", "purchase_date"],
    search=["plate_no", "category", "brand", "model_name", "department", "status", "purchase_date"],
    order=["plate_no", "category", "brand", "model_name", "seats", "status", "purchase_date"],
    sections=[
        (_l("Vehicle"), ["plate_no", "category", "brand", "model_name", "seats", "purchase_date"]),
        (_l("Use"), ["department", "status", "remark"]),
    ],
    base_order=("plate_no", "asc"),
    related=[VehicleDispatch],
)

register(
    MeetingRoom, group="F14_Services", title=_l("Meeting rooms"), item=_l("Meeting room"), icon="fa-building-o",
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"name": ["会议室名称", "会议室"], "capacity": ["座位数", "可容纳人数"]},
    list=["name", "building", "floor", "capacity", "is_secure_room", "status"],
    search=["name", "building", "capacity", "is_secure_room", "status"],
    sections=[
        (_l("Meeting room"), ["name", "building", "floor", "capacity", "is_secure_room"]),
        (_l("Equipment and status"), ["equipment", "status", "remark"]),
    ],
    base_order=("name", "asc"),
    related=[RoomBooking],
)

# --- the ledger (docs/domain.md §10) ------------------------------------------------------------------
register_ledger(
    "receptions", _l("Official reception ledger"), Reception,
    # the guest level sets the reception's standards (党政机关国内公务接待管理规定): the paper
    # ledger records it; the head and his post in two columns, so the file imports back
    [SERIAL, "arrive_at", "depart_at", "guest_org", "guest_type", "guest_level", "head_name", "head_post",
     "headcount", "official_letter_no",
     "purpose", "accompanying_staff", "meal_count", "meal_companions", "hotel", "room_standard", "cost_lodging",
     "cost_meals", "cost_transport", "cost_other", "total_cost", "approver", "host_department", "status"],
    note=_l("Each reception with its official letter, companions, lodging and costs."),
)

register_ledger(
    "vehicle_use", _l("Official vehicle use register"), VehicleDispatch,
    # the request each trip was dispatched for (its time, applicant and reason), so the
    # register's file imports back onto it; the odometer readings as the paper register has them
    [SERIAL, "request", "request_start", "request_end", "vehicle", "driver", "request_reason", "request_department",
     "route", "odometer_out", "odometer_in", "mileage", "cost_total"],
    note=_l("Each trip of an official vehicle: when, why, for which division, mileage and cost."),
)

register_ledger(
    "room_use", _l("Meeting room use register"), RoomBooking,
    [SERIAL, "request", "request_start", "request_end", "meeting_room", "request_reason", "request_department",
     "attendees"],
    note=_l("Each booking of a meeting room: when, why and for which division."),
)
