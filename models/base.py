"""Shared building blocks of every model.

Labels live on the columns (`info={"label": ...}`) so that screens, Excel headers,
import templates and the API docs read one source. Enumerations are stored as stable
ASCII codes and labelled through the bilingual `lookup` table, which admins extend
without a migration.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional
from zoneinfo import ZoneInfo

from flask_appbuilder import Model
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, false, true
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

__all__ = [
    "Model", "BusinessRecord", "label", "lookup_column", "fk_column", "relation", "parent_key", "parent_relation",
    "child_rows", "flag", "display", "live",
    "record_session", "parent_of", "reference_seed", "REFERENCE_SEEDS", "now_cn", "today_cn", "current_lang",
    "bilingual", "_l", "RuleViolation", "refuse",
]

SHANGHAI = ZoneInfo("Asia/Shanghai")


class RuleViolation(Exception):
    """A save or a step refused by a domain rule: its messages, already in the user's language.
    Defined with the models, so that a rule or a workflow effect in models/ can refuse; the
    registry (`app.registry.checks`) and the engine answer it."""

    def __init__(self, messages):
        self.messages = [str(m) for m in messages]
        super().__init__("; ".join(self.messages))


def refuse(problems: list[str]) -> None:
    """Refuse the save or step when a rule has `problems` to say."""
    if problems:
        raise RuleViolation(problems)


def now_cn() -> dt.datetime:
    """Wall-clock time in Xiamen, stored naive: the office works in one time zone."""
    return dt.datetime.now(SHANGHAI).replace(tzinfo=None, microsecond=0)


def today_cn() -> dt.date:
    return now_cn().date()


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (or earlier): 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:          # 29 February
        return day.replace(year=day.year + years, day=28)


def current_lang() -> str:
    """'zh' or 'en' — the language the current request speaks (zh outside requests)."""
    try:
        locale = get_locale()
    except Exception:  # outside an app/request context
        locale = None
    return "en" if locale is not None and locale.language == "en" else "zh"


def bilingual(zh: Optional[str], en: Optional[str]) -> str:
    """Pick the label for the current language, falling back to the other one."""
    if current_lang() == "en":
        return en or zh or ""
    return zh or en or ""


def label(text, *, sensitive: bool = False, **extra: Any) -> dict[str, Any]:
    """Column `info` carrying its bilingual label (and flags later features read)."""
    info: dict[str, Any] = {"label": text}
    if sensitive:
        info["sensitive"] = True
    info.update(extra)
    return info


def lookup_column(category: str, text, *, nullable: bool = True, default: Optional[str] = None,
                  index: bool = True, **extra: Any):
    """A code column whose labels come from the lookup table `category`."""
    return mapped_column(
        String(32), nullable=nullable, default=default, index=index,
        info=label(text, lookup=category, **extra),
    )


def fk_column(table: str, text, *, nullable: bool = True, index: bool = True,
              ondelete: Optional[str] = None, **extra: Any):
    """A foreign key carrying the label of the relation it backs."""
    return mapped_column(
        ForeignKey(f"{table}.id", ondelete=ondelete), nullable=nullable, index=index,
        info=label(text, **extra),
    )


def relation(target: str, fk, text, **kwargs: Any):
    """A many-to-one relationship labelled once; `fk` is the local FK column."""
    return relationship(target, foreign_keys=[fk], info=label(text), **kwargs)


# --- child rows: `Parent.<children>` <-> `Child.<parent>` -----------------------------------
# A child table (a document's recipients, a meeting's topics, ...) is written as
#     parent_id: Mapped[int] = parent_key("parent", _l("Parent"))
#     parent = parent_relation("Parent", "children", _l("Parent"))
# and its parent holds
#     children = child_rows("Child", "parent", _l("Children"), order_by="Child.seq")


def parent_key(table: str, text, *, ondelete: Optional[str] = "CASCADE", **extra: Any):
    """The required, indexed foreign key of a child row to the record it belongs to; the
    database deletes the row with its parent (`ondelete=None` where it must refuse instead)."""
    return fk_column(table, text, nullable=False, ondelete=ondelete, **extra)


def parent_relation(target: str, back_populates: str, text, **kwargs: Any):
    """A child row's many-to-one side of its parent's `child_rows` list `back_populates`."""
    return relationship(target, back_populates=back_populates, info=label(text), **kwargs)


def child_rows(target: str, back_populates: str, text, *, order_by: Any = False, owned: bool = True,
               **kwargs: Any):
    """A record's list of child rows, in `order_by`. `owned` rows are part of the record: saved,
    deleted and orphan-deleted with it (cascade "all, delete-orphan"); the others (a member's
    dues, a shift's logs) are only linked to it."""
    if owned:
        kwargs["cascade"] = "all, delete-orphan"
    return relationship(target, back_populates=back_populates, order_by=order_by, info=label(text), **kwargs)


def flag(text, *, default: bool = False, index: bool = False, server_default: bool = True, **extra: Any):
    """A yes/no column. Nullability comes from the annotation (`Mapped[bool]` is NOT NULL,
    `Mapped[Optional[bool]]` is not: FAB turns a NOT NULL boolean into a required checkbox);
    `server_default` also writes the default into the schema, for rows inserted outside the ORM."""
    kwargs: dict[str, Any] = {}
    if server_default:
        kwargs["server_default"] = true() if default else false()
    if index:
        kwargs["index"] = True
    return mapped_column(Boolean, default=default, info=label(text, **extra), **kwargs)


#: Functions `seed(session) -> int` that insert the reference data an installation
#: needs (lookup codes, default time limits); `flask init-office` runs them all.
#: Each inserts only what is missing, so running it again never overwrites an admin's edits.
REFERENCE_SEEDS: list = []


def reference_seed(fn):
    REFERENCE_SEEDS.append(fn)
    return fn


def live(rows) -> list:
    """The rows of a collection that are not soft-deleted."""
    return [r for r in rows if not getattr(r, "is_deleted", False)]


def record_session(record):
    """The session a rule reads other rows through: the record's own, or (for a record a
    form or the API has built but not added yet) the application's."""
    from flask import has_app_context
    from sqlalchemy.orm import object_session

    session = object_session(record)
    if session is None and has_app_context():
        from app.extensions import db

        session = db.session
    return session


def parent_of(record, rel: str, model, fk: Optional[str] = None):
    """`record.<rel>`, or the row its `<rel>_id` points to: a record built from API input
    carries the id only, and the rules must see the parent either way."""
    parent = getattr(record, rel, None)
    pk = getattr(record, fk or f"{rel}_id", None)
    if parent is not None or pk is None:
        return parent
    session = record_session(record)
    if session is None:
        return None
    with session.no_autoflush:
        return session.get(model, pk)


def display(text, **extra: Any):
    """Decorator: a read-only computed attribute with a label (a labelled property).

    `reads=("parties.department",)` names the relations it follows, so a list showing it
    loads them with the page's rows instead of once per row (app/screens/interface.py
    `list_loads`); a model's `__str_reads__` does the same for what its label names."""
    def wrap(fn):
        fn.info = {"label": text, **extra}
        return property(fn)
    return wrap


class BusinessRecord:
    """Columns docs/domain.md §0 asks of every business table.

    `created_by`/`updated_by` keep the username rather than a foreign key: an audit
    trail must survive user renames and must not tie every table to `ab_user`.
    `row_version` is SQLAlchemy's `version_id_col`: every UPDATE of the row says
    `WHERE id = :id AND row_version = :read` and sets it one higher, so two saves of the
    same version cannot both succeed (optimistic locking, app/screens/locking.py);
    `custom_fields` holds the values of admin-defined fields without a migration.
    """

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime, default=now_cn, index=True, info=label(_l("Created at"), system=True))
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, default=now_cn, onupdate=now_cn, info=label(_l("Updated at"), system=True))
    created_by: Mapped[Optional[str]] = mapped_column(         # indexed: the unit scope asks "or he registered it"
        String(128), index=True, info=label(_l("Created by"), system=True))
    updated_by: Mapped[Optional[str]] = mapped_column(
        String(128), info=label(_l("Updated by"), system=True))
    is_deleted: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), nullable=False, index=True,
        info=label(_l("Deleted"), system=True))
    row_version: Mapped[int] = mapped_column(
        Integer, default=1, server_default="1", nullable=False,
        info=label(_l("Version"), system=True))
    custom_fields: Mapped[Optional[dict]] = mapped_column(
        JSON, default=dict, info=label(_l("Custom fields"), system=True))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        """The version check rides on every UPDATE the ORM writes, whatever path changes the
        row (screen, API, workflow step, Trash): a check made in Python before the write
        would leave a gap in which a concurrent save slips through."""
        return {"version_id_col": cls.__table__.c.row_version}

    # Shown on every record page, after the entity's own sections.
    SYSTEM_FIELDS = ("created_at", "created_by", "updated_at", "updated_by", "row_version")

    def __getattr__(self, name: str) -> Any:
        """`record.cf_<key>`: the stored value of an admin-defined field (app/custom_fields.py),
        so lists and record pages read custom fields like columns. Only called for names
        the class does not have."""
        if name.startswith("cf_"):
            return (object.__getattribute__(self, "custom_fields") or {}).get(name[3:])
        raise AttributeError(name)
