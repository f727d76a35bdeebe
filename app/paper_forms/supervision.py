"""The supervision office's forms: 督办通知单 (the notice that opens an item to its handling
units: what, by when, what is required, who supervises) and 催办单 (one 催办 of an item: to
which unit, how, what it asks, and the unit's answer)."""
from __future__ import annotations

from app.paper_forms.values import day, guarded, label, live, moment, text
from models.lookups import LEAD


def _units(item) -> tuple[str, str]:
    """(lead unit, co-handling units) as the notice names them."""
    rows = live(item.assignments)
    lead = [text(a.department) for a in rows if a.role == LEAD and a.department is not None]
    others = [text(a.department) for a in rows if a.role != LEAD and a.department is not None]
    return "、".join(lead) or text(item.lead_department), "、".join(others)


def supervision_notice(item) -> dict:
    lead, others = _units(item)
    return {
        "item_no": text(item.item_no), "title": text(item.title), "content": text(item.content),
        "requirement": text(item.requirement), "source": label("sup_source_type", item.source_type),
        "source_ref": text(item.source_ref) or text(item.source_document),
        "leader": text(item.responsible_leader), "supervisor": text(item.supervisor),
        "lead_unit": lead, "co_units": others, "opened": day(item.opened_at), "due": day(item.due_date),
        "cycle": label("sup_feedback_cycle", item.feedback_cycle), "level": label("sup_priority", item.priority),
        "units": [{"unit": text(a.department), "role": label("handling_role", a.role),
                   "contact": text(a.contact_person), "phone": guarded(a, "contact_phone"), "due": day(a.dept_due_date)}
                  for a in live(item.assignments)],
        "remark": text(item.remark),
    }


def urge_notice(urge) -> dict:
    item = urge.item
    return {
        "item_no": text(item.item_no) if item else "", "title": text(item.title) if item else "",
        "due": day(item.due_date) if item else "", "requirement": text(item.requirement) if item else "",
        "unit": text(urge.department), "method": label("sup_urge_method", urge.method),
        "urged_at": moment(urge.urged_at), "urged_by": text(urge.urged_by), "content": text(urge.content),
        "response": text(urge.response), "count": _count(urge),
    }


def _count(urge) -> str:
    """Which 催办 of the item this is for its unit (第N次), counted by time."""
    item = urge.item
    if item is None:
        return ""
    same = sorted((u for u in live(item.urge_records) if u.department_id == urge.department_id),
                  key=lambda u: (u.urged_at is None, u.urged_at, u.id or 0))
    return str(next((n for n, u in enumerate(same, start=1) if u is urge), len(same) or 1))
