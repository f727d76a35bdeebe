"""Make a valid record of any registered model, creating what it requires.

Generic on purpose: the CRUD tests cover every entity the registry knows, including
ones added later, without a hand-written fixture per model.
"""
from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Numeric, String, Text
from sqlalchemy import inspect as sa_inspect

from models.base import BusinessRecord, today_cn
from models.lookups import lookup_table

_seq = itertools.count(1)

AUDIT = {"id", "created_at", "updated_at", "created_by", "updated_by", "is_deleted", "row_version", "custom_fields"}


def sample_value(model, column):
    info = column.info or {}
    n = next(_seq)
    if info.get("lookup"):
        rows = lookup_table().get(info["lookup"], [])
        return rows[0].code if rows else None
    t = column.type
    if isinstance(t, DateTime):
        return dt.datetime(2026, 3, 2, 9, 30) + dt.timedelta(minutes=n)
    if isinstance(t, Date):
        return dt.date(2026, 3, 2) + dt.timedelta(days=n % 200)
    if isinstance(t, Boolean):
        return False
    if isinstance(t, Integer):
        if column.key.endswith("year"):      # a year has four digits, however many records a run makes
            return 2000 + n % 50
        return 1000 + n
    if isinstance(t, (Numeric, Float)):
        return Decimal("12.50")
    if isinstance(t, (String, Text)):
        length = getattr(t, "length", None) or 200
        text = f"测试{model.__name__}{n}"
        return text[:length]
    return None


#: Values a generic sample cannot guess because a domain rule ties them together
#: (an upward document needs a signer, a plain telegram a title, ...).
SAMPLES = {
    "Document": lambda: {"direction": "INTERNAL", "status": "DRAFT", "writing_direction": "PINGXING",
                         "doc_type": "HAN", "urgency": "PUTONG", "secrecy_level": "FEIMI",
                         # set by the actions and the rules of a normative document, never sampled
                         "validity": None, "declassified_from": None},
    "Telegram": lambda: {"title": f"测试明传电报{next(_seq)}", "transmitted_at": dt.datetime(2026, 3, 2, 10, 0)},
    "ExtensionRequest": lambda: {"requested_due": dt.date(2027, 6, 30)},
    "DistrictRequest": lambda: {"kind": "QINGSHI", "due_date": dt.date(2026, 4, 30)},
    "Dispute": lambda: {"prior_consultation": True},
    "GazetteIssue": lambda: {"year": today_cn().year},  # published this year: the date stamped is today
    "Retiree": lambda: {"retire_type": "TUIXIU"},
    "DocumentRecipient": lambda: {"group_name": "各区人民政府"},
    # a day no seeded calendar lists (the day is unique; 2026's holidays are reference data)
    "WorkCalendar": lambda: {"day": dt.date(2040, 1, 1) + dt.timedelta(days=next(_seq))},
    # one shift of a kind per day (models/duty.py shift_problems): a day of its own, never one an
    # earlier test's committed shift holds (the generic date wraps every 200 records)
    # one scoring rule per year, level, basis and publication (models/info.py): a year of its own
    "InfoScoreRule": lambda: {"year_from": 3000 + next(_seq)},
    "DutyShift": lambda: {"duty_date": dt.date(2041, 1, 1) + dt.timedelta(days=next(_seq))},
    # a time limit in hours or in working days (models/sla.py telegram_sla_problems)
    "TelegramSLA": lambda: {"hours": 2},
}


#: Links a rule asks for although their column may stay empty (a logistics request names its applicant;
#: only a meeting's room booking, made by the meeting, may lack one).
REQUIRED_LINKS = {"LogisticsRequest": {"applicant"}}


def _test_unit_id(session):
    """Departments made for a test sit under the test users' unit (tests/conftest.py)."""
    from models.org import Department
    from tests.conftest import TEST_UNIT_CODE

    return session.query(Department.id).filter_by(code=TEST_UNIT_CODE).scalar()


def make(session, model, *, full: bool = False, **values):
    """Build, add and flush an instance of `model` with every required column set
    (`full`: every column, as a diligent clerk fills the whole form)."""
    if model.__name__ in SAMPLES:
        values = {**SAMPLES[model.__name__](), **values}
    if model.__name__ == "Department" and not {"parent", "parent_id"} & set(values):
        values["parent_id"] = _test_unit_id(session)
    mapper = sa_inspect(model)
    fk_targets = {}
    for rel in mapper.relationships:
        if rel.direction.name == "MANYTOONE":
            for col in rel.local_columns:
                fk_targets[col.key] = rel
    parents, samples = {}, {}
    for col in mapper.columns:
        key = col.key
        if key in values or key in AUDIT or col.primary_key:
            continue
        if key in fk_targets:
            rel = fk_targets[key]
            if rel.key not in values and (not col.nullable or rel.key in REQUIRED_LINKS.get(model.__name__, ())):
                parents[rel.key] = make(session, rel.mapper.class_)
            continue
        if not full and col.nullable and not (col.info or {}).get("lookup"):
            continue
        if not full and col.default is not None and not (col.info or {}).get("lookup"):
            continue
        value = sample_value(model, col)
        if value is not None:
            samples[key] = value
    # Attached to a parent, `obj` sits in the parent's collection before it is in the session:
    # any flush in between (a parent made above, a lookup query's autoflush) would warn that
    # the new child is missing. So the parents come first and `obj` joins the session whole.
    obj = model()
    with session.no_autoflush:
        for key, value in {**parents, **samples, **values}.items():
            setattr(obj, key, value)
    session.add(obj)
    session.flush()
    return obj


def form_data(entity, obj) -> dict:
    """What a user would type into the add form to create a copy of `obj` (or, with the
    version of a saved `obj`, what its edit form sends)."""
    mapper = sa_inspect(entity.model)
    data = {}
    for name in entity.form_fields:
        if name in mapper.relationships:
            rel = mapper.relationships[name]
            if rel.uselist:
                continue
            target = getattr(obj, name)
            if target is not None:
                data[name] = str(sa_inspect(target).identity[0])
            continue
        if name not in mapper.columns:
            continue
        value = getattr(obj, name)
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "y"
        elif isinstance(value, dt.datetime):
            data[name] = value.strftime("%Y-%m-%d %H:%M:%S")
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    version = getattr(obj, "row_version", None) if sa_inspect(obj).persistent else None
    if version is not None:     # the edit form carries the version it was read at (an add form ignores it)
        data["row_version"] = str(version)
    return data


def is_business(model) -> bool:
    return issubclass(model, BusinessRecord)
