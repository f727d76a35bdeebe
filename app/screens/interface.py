"""The data layer every generated screen and API goes through.

FAB's `SQLAInterface` deletes rows and, on its bulk-action path, fetches rows by id
without the view's base filters. Here deleting a business record moves it to the
Trash (`is_deleted`), a row is only ever fetched through the guard filters (a deleted
record is not found), and only `purge()` removes a row for good.

FAB also counts every matching row for each list page: at a million rows that count
costs more than the page. The list screens count only up to LIST_COUNT_CAP rows past the
page shown and then say "more than N"; the REST API keeps the exact count.
"""
from __future__ import annotations

from typing import Any, Optional

from flask import current_app, g, has_app_context, has_request_context
from flask_appbuilder.exceptions import DatabaseException
from flask_appbuilder.models.filters import Filters
from flask_appbuilder.models.sqla import filters as fab
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import asc, desc, func, not_, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import aliased

from app.registry import need_to_know
from app.registry.introspect import column_of, kind_of, relationship_of
from app.registry.loads import list_loads
from app.registry.refusals import bounded_page, record_id
from app.registry.scope import scope_condition
from app.screens.locking import is_save_conflict
from app.seams import DataInterfaceSeams
from models.base import BusinessRecord

#: Set on `g` to the entity whose list the request leaves its 内部 rows out of (the API's list).
LEAVE_OUT_INTERNAL = "_office_leave_out_internal"

#: A list screen counts its rows only this far past the page it shows (config
#: LIST_COUNT_CAP): at a million rows the exact count would cost more than the page.
LIST_COUNT_CAP = 10_000


class AtLeast(int):
    """A row count that stopped counting: there are more rows than this. It is still the
    number FAB's pager computes its pages from (so the next pages stay reachable); where a
    template prints it, it reads "more than 10,000"."""

    def __html__(self) -> str:
        return Markup('<span class="office-count-capped" title="{}">{}</span>').format(
            gettext("Counting stops here to keep the list fast; narrow the search for the exact number."),
            gettext("more than %(count)s", count=f"{int(self):,}"))


def count_limit(page: Optional[int], page_size: int, cap: int) -> int:
    """How far to count for a page: the next multiple of `cap` past the page's last row,
    so that the pager always offers the page after it while rows remain."""
    end = (page or 0) * page_size + page_size
    return cap * (end // cap + 1)


# --- list filters: what a user picks from and in what order --------------------------------------
# FAB's operator names read "Not Starts with", "Smaller than", "Relation"; its zh catalog has
# 以开始 / 以结束 and leaves "In" in English. The same filters (same `arg_name`, so the REST
# API and every URL keep working) under names that read as phrases in both languages.
class Contains(fab.FilterContains):
    name = _l("Contains")


class NotContains(fab.FilterNotContains):
    name = _l("Does not contain")


class StartsWith(fab.FilterStartsWith):
    name = _l("Starts with")


class NotStartsWith(fab.FilterNotStartsWith):
    name = _l("Does not start with")


class EndsWith(fab.FilterEndsWith):
    name = _l("Ends with")


class NotEndsWith(fab.FilterNotEndsWith):
    name = _l("Does not end with")


class Equal(fab.FilterEqual):
    name = _l("Equal to")


class NotEqual(fab.FilterNotEqual):
    name = _l("Not equal to")


class Greater(fab.FilterGreater):
    name = _l("Greater than")


class Smaller(fab.FilterSmaller):
    name = _l("Less than")


class After(fab.FilterGreater):
    name = _l("After")


class Before(fab.FilterSmaller):
    name = _l("Before")


class OneOf(fab.FilterIn):
    name = _l("Is one of")


class NoneOf(fab.FilterNotIn):
    name = _l("Is not one of")


class Is(fab.FilterRelationOneToManyEqual):
    name = _l("Is")


class IsNot(fab.FilterRelationOneToManyNotEqual):
    name = _l("Is not")


class Includes(fab.FilterRelationManyToManyEqual):
    name = _l("Includes")


#: FAB's own names, still shown on FAB's own screens (users, roles): listed so that our
#: catalog, merged after FAB's, gives them the same Chinese as ours.
FAB_FILTER_NAMES = (
    _l("Starts with"), _l("Not Starts with"), _l("Ends with"), _l("Not Ends with"), _l("Contains"),
    _l("Not Contains"), _l("Equal to"), _l("Not Equal to"), _l("Greater than"), _l("Smaller than"), _l("In"),
    _l("Not In"), _l("Relation"), _l("No Relation"), _l("Relation as Many"),
)

#: Text: "contains" first, the filter a new row offers ("燃气" finds 燃气 anywhere in a title;
#: FAB's first, "starts with", found nothing). A list's URL names a filter by its position
#: (`_flt_<position>_<column>`, one digit; app/dashboard/links.py looks positions up): an old
#: link's `_flt_0_` (FAB's "starts with") now reads "contains" and finds at least as much.
TEXT_FILTERS = [Contains, Equal, StartsWith, EndsWith, NotContains, NotEqual, NotStartsWith, NotEndsWith,
                OneOf, NoneOf]
NUMBER_FILTERS = [Equal, Greater, Smaller, NotEqual, OneOf, NoneOf]
DATE_FILTERS = [Equal, After, Before, NotEqual]
#: A lookup column is a choice among codes: "is" first, and no "contains" on a code.
LOOKUP_FILTERS = [Equal, NotEqual, OneOf, NoneOf]


class OfficeFilterConverter(fab.SQLAFilterConverter):
    """FAB's converter with the filters above (ordered so that the first one is what a user
    usually means)."""

    conversion_table = (
        ("is_relation_many_to_one", [Is, IsNot]),
        ("is_relation_one_to_one", [Is, IsNot]),
        ("is_relation_many_to_many", [Includes]),
        ("is_relation_one_to_many", [Includes]),
        ("is_enum", [Equal, NotEqual]),
        ("is_lookup", LOOKUP_FILTERS),
        ("is_text", TEXT_FILTERS),
        ("is_binary", TEXT_FILTERS[:8]),
        ("is_string", TEXT_FILTERS),
        ("is_integer", NUMBER_FILTERS),
        ("is_float", NUMBER_FILTERS),
        ("is_numeric", NUMBER_FILTERS),
        ("is_date", DATE_FILTERS),
        ("is_boolean", [Equal, NotEqual]),
        ("is_datetime", DATE_FILTERS),
        ("is_json", TEXT_FILTERS[:8]),
    )


#: How a list column is laid out (a class on its cells, office.css): `wide` for a title or a
#: summary (room for a phrase, at most two lines), `code` for numbers such as 厦府办〔2026〕12号,
#: `date`, `num`, `short` (codes, flags, short names) never wrapped; `ref` a linked record's name.
_WIDE_NAMES = ("title", "subject", "summary", "content", "description")
_WIDE_ENDINGS = ("_brief", "_summary", "_content", "_subject")
_CODE_NAMES = ("_no", "_code", "code", "_number")


def column_layout(model, name: str) -> str:
    kind = "relation" if "." in name else kind_of(model, name)
    lowered = name.lower()
    if kind in ("date", "datetime"):
        return kind
    if lowered.endswith(_CODE_NAMES):
        return "code"
    if kind in ("int", "number") or lowered.endswith("_days"):
        return "num"
    if kind in ("lookup", "bool"):
        return "short"
    if kind in ("relation", "relations"):
        return "ref"
    if kind == "text" or lowered in _WIDE_NAMES or lowered.endswith(_WIDE_ENDINGS) or lowered.startswith("title"):
        return "wide"
    if kind == "string":
        length = getattr(column_of(model, name).type, "length", None) or 0
        if length >= 200:
            return "wide"
        if 0 < length <= 60:
            return "short"
    return "plain"


def relation_sort_key(model, name: str):
    """What a list sorted by the many-to-one relation `name` sorts by: the related record's
    order column (`__order__`), else the first column of its label, else its id — read by a
    subquery on an alias, so no join lands beside the scope's own EXISTS on the same table.
    None when `name` is no such relation."""
    if not name or "." in name:
        return None
    rel = relationship_of(model, name)
    if rel is None or rel.uselist or len(rel.local_columns) != 1:
        return None
    target = rel.mapper.class_
    table = target.__table__.columns
    candidates = [getattr(target, "__order__", ("",))[0],
                  *[c for c in getattr(target, "__label_columns__", ()) if isinstance(c, str)]]
    column = next((c for c in candidates if c in table), "id")
    other = aliased(target)
    (local,) = rel.local_columns
    (remote,) = [right for left, right in rel.local_remote_pairs if left is local]
    return (select(getattr(other, column)).where(getattr(other, remote.key) == getattr(model, local.key))
            .correlate(model).scalar_subquery())


def in_one_transaction() -> bool:
    """Whether the request's save commits once at its end (the API's POST and PUT)."""
    return has_request_context() and bool(g.get("_office_one_transaction"))


class OfficeInterface(DataInterfaceSeams, SQLAInterface):

    filter_converter_class = OfficeFilterConverter

    def __init__(self, obj, session=None, entity=None, capped_count: bool = False, listed=()):
        super().__init__(obj, session)
        self.entity = entity
        #: The list screens' count stops at LIST_COUNT_CAP; the REST API's stays exact.
        self.capped_count = capped_count
        self.loads = list_loads(obj, listed)

    def loads_for(self, listed) -> tuple:
        """`list_loads` of a chosen set of columns, worked out once per set."""
        kept = self.__dict__.setdefault("_loads_for", {})
        key = tuple(listed)
        if key not in kept:
            if len(kept) > 500:
                kept.clear()
            kept[key] = list_loads(self.obj, key)
        return kept[key]

    def is_lookup(self, name: str) -> bool:
        """A code column chosen from a lookup (a select of codes on the form)."""
        return kind_of(self.obj, name) == "lookup"

    def column_layouts(self, names) -> dict[str, str]:
        """{column: layout} of a list's columns (see `column_layout`), for its template."""
        return {name: column_layout(self.obj, name) for name in names}

    def get_related_interface(self, col_name: str):
        """The records a relation field may offer — form drop-downs, the API's `_info`, list
        filters: only those the user may see (the related entity's scope) and not in the
        Trash. FAB's own would offer every unit's records."""
        from app.registry.spec import REGISTRY

        kept = self.__dict__.setdefault("_related_interfaces", {})
        related = kept.get(col_name)
        if related is None:     # built once: it converts the related table's columns to filters
            model = self.get_related_model(col_name)
            related = self.__class__(model, self.session, entity=REGISTRY.get(model))
            related.choices_only = True
            kept[col_name] = related
        return related

    #: A related interface (`get_related_interface`): leaves the Trash out of every query.
    choices_only = False

    def scope(self):
        """The current user's department scope over this entity (None: no limit)."""
        return scope_condition(self.entity)

    def apply_inner_all(self, query, filters=None, order_column="", order_direction="", page=None,
                        page_size=None, select_columns=None, aliases_mapping=None):
        """FAB's own steps (filters, joins, order, page), with the scope added after the
        order's joins: FAB skips a join when the query mentions the table anywhere, and
        the scope's EXISTS on a parent table would otherwise cost the ORDER BY its join.
        Every list, count and fetch by id passes here."""
        inner_filters = self.get_inner_filters(filters)
        query = self.apply_inner_select_joins(query, select_columns, aliases_mapping)
        query = self.apply_filters(query, inner_filters)
        query = self.apply_engine_specific_hack(query, page, page_size, order_column)
        query = self.apply_order_by(query, order_column, order_direction, aliases_mapping=aliases_mapping,
                                    bypass_many_to_many=True, add_pk=True)
        condition = self.scope()
        if condition is not None:
            query = query.filter(condition)
        if self.choices_only and self.is_business:
            query = query.filter(self.obj.is_deleted.is_(False))
        if self.leaving_out_internal():
            query = query.filter(not_(need_to_know.internal_rows(self.entity)))
        return self.apply_pagination(query, page, page_size)

    def leaving_out_internal(self) -> bool:
        """Whether this request's list leaves the 内部 rows out: the API's list for a user who
        may not export them in bulk (EntityApi.get_list_headless)."""
        return (self.entity is not None and has_request_context()
                and g.get(LEAVE_OUT_INTERNAL) is self.entity)

    def query(self, filters=None, order_column="", order_direction="", page=None, page_size=None,
              select_columns=None, outer_default_load=False, listed=None):
        """FAB's list query, its count stopping at `count_limit` on the screens. A page
        past what the database can count to (`page_=99999999999999999999`) is an empty
        page, not an overflowing OFFSET. `listed`: the columns a user chose to show
        (app/screens/columns.py), whose relations are read with the rows."""
        page, page_size = bounded_page(page, page_size)
        if self.leaving_out_internal():        # how many the list leaves out, said in its answer
            g.pop(LEAVE_OUT_INTERNAL)
            try:
                internal = self.session.query(self.obj).filter(need_to_know.internal_rows(self.entity))
                g.office_internal_left_out = self.query_count(internal, filters, select_columns)
            finally:
                g.setdefault(LEAVE_OUT_INTERNAL, self.entity)
        if not self.capped_count or not page_size:
            return super().query(filters, order_column, order_direction, page, page_size,
                                 select_columns, outer_default_load)
        query = self.session.query(self.obj)
        count = self.count_up_to(query, filters, count_limit(page, page_size, self.count_cap()), select_columns)
        backwards = self._from_the_end(count, page, page_size, order_column, select_columns)
        if backwards is None:
            query = self.apply_all(query, filters, order_column, order_direction, page, page_size,
                                   select_columns, outer_default_load)
        else:
            offset, limit = backwards
            query = self.apply_all(query, filters, order_column, "desc" if order_direction == "asc" else "asc",
                                   None, None, select_columns, outer_default_load).offset(offset).limit(limit)
        loads = self.loads if listed is None else self.loads_for(listed)
        if loads:
            query = query.options(*loads)
        name = self.obj.__name__
        items = query.all()
        if backwards is not None:
            items.reverse()
        # as FAB: a query with outer joins yields rows holding the object under its class name
        return count, [getattr(item, name) if hasattr(item, name) else item for item in items]

    def _from_the_end(self, count, page, page_size, order_column, select_columns) -> Optional[tuple[int, int]]:
        """A page nearer the end of the list than its start is read from the end: the order
        reversed, the OFFSET counted from the last row, the rows turned back. The database
        then walks past the rows after the page, not all those before it: a scoped clerk's
        last page walked the whole table in id order to reach its OFFSET (35 ms at 100,000
        rows on SQLite; 1 ms backwards). The order is (column, id), a total order, so the
        reversed one is exactly its mirror; NULLs sort at one end in both directions on
        SQLite and PostgreSQL alike. Only with an exact count (under the cap) and without
        FAB's outer query (a to-many column selected)."""
        if (not order_column or not page or not page_size or isinstance(count, AtLeast)
                or (select_columns and self.exists_col_to_many(select_columns))):
            return None
        offset = page * page_size
        after = count - offset                 # rows from the page's first to the list's last
        if after <= 0 or after >= offset:
            return None
        limit = min(page_size, after)
        return after - limit, limit

    @staticmethod
    def count_cap() -> int:
        return current_app.config.get("LIST_COUNT_CAP", LIST_COUNT_CAP) if has_app_context() else LIST_COUNT_CAP

    def count_up_to(self, query, filters, limit: int, select_columns=None) -> int:
        """The number of matching rows, or `AtLeast(limit)` when there are more: the
        database stops after limit + 1 rows (`count(*)` over a LIMITed subquery)."""
        inner = self.apply_inner_all(query, filters, select_columns=select_columns, aliases_mapping={})
        rows = inner.with_entities(sa_inspect(self.obj).primary_key[0]).limit(limit + 1).subquery()
        count = self.session.execute(select(func.count()).select_from(rows)).scalar_one()
        return AtLeast(limit) if count > limit else count

    @property
    def is_business(self) -> bool:
        return issubclass(self.obj, BusinessRecord)

    def guard_filters(self) -> Filters:
        """What every fetch by id must satisfy, whichever path asks."""
        filters = Filters(self.filter_converter_class, self)
        if self.is_business:
            filters.add_filter("is_deleted", FilterEqual, False)
        return filters

    def sortable(self, order_column: str) -> bool:
        """Whether `order_column` names an attribute of the model (a column, a relation, a
        `_col_name` sort key) or `relation.column`: an unknown name in a list's URL is
        ignored, where FAB put it in the SQL (a 500)."""
        model, name = self.obj, order_column
        if "." in order_column:
            root, _dot, name = order_column.partition(".")
            relation = sa_inspect(self.obj).relationships.get(root)
            if relation is None or "." in name:
                return False
            model = relation.mapper.class_
        return name in sa_inspect(model).all_orm_descriptors or hasattr(getattr(model, name, None), "_col_name")

    def apply_order_by(self, query, order_column, order_direction, aliases_mapping=None,
                       bypass_many_to_many=False, add_pk=False):
        """FAB's sort, and a sort by a unit, a person or another record a row points to: by
        that record's own order (units in their official order, people by name). FAB would
        sort by the relation itself and fail (a list sorted by 提出单位 answered 500)."""
        if order_column and not self.sortable(order_column):
            order_column = ""
        key = relation_sort_key(self.obj, order_column)
        if key is not None:
            direction = asc if order_direction == "asc" else desc
            ordered = query.order_by(direction(key))
            return ordered.order_by(direction(self.obj.id)) if add_pk else ordered
        return super().apply_order_by(query, order_column, order_direction, aliases_mapping=aliases_mapping,
                                      bypass_many_to_many=bypass_many_to_many, add_pk=add_pk)

    def apply_pagination(self, query, page, page_size):
        page, page_size = bounded_page(page, page_size)
        return super().apply_pagination(query, page, page_size)

    def get(self, id: Any, filters: Optional[Filters] = None, select_columns=None,
            outer_default_load: bool = False):
        """The row of id `id` through the guard filters; None (a 404) for an id no row can
        have — not a number, or beyond the id column's range (PostgreSQL raised on it)."""
        id = record_id(self.obj, id)
        if id is None:
            return None
        if filters is None:
            filters = self.guard_filters()
        return super().get(id, filters, select_columns, outer_default_load)

    # --- the API's saves: one transaction (EntityApi.one_transaction) --------------------
    def add(self, item, commit: bool = True) -> None:
        if not in_one_transaction():
            return super().add(item, commit)
        self.session.add(item)
        self._flush()

    def edit(self, item, commit: bool = True) -> None:
        if not in_one_transaction():
            return super().edit(item, commit)
        self.session.merge(item)
        self._flush()

    def _flush(self) -> None:
        """Write now, commit later: the answer needs the id, and what follows the save
        (its status log) belongs to the same transaction."""
        try:
            self.session.flush()
        except IntegrityError:
            raise                       # EntityApi answers 409 or 422 naming the field
        except SQLAlchemyError as ex:
            if is_save_conflict(ex):
                raise                   # a lost race: EntityApi answers 409 with what changed
            self.session.rollback()
            raise DatabaseException from ex

    def delete(self, item, commit: bool = True) -> None:
        if not self.is_business:
            return super().delete(item, commit)
        item.is_deleted = True
        if commit:
            self._commit()

    def delete_all(self, items) -> None:
        if not self.is_business:
            return super().delete_all(items)
        for item in items:
            item.is_deleted = True
        self._commit()

    def restore(self, item) -> None:
        item.is_deleted = False
        self._commit()

    def purge(self, item) -> None:
        """Remove the row for good (Admin only, from the Trash; audited as DELETE)."""
        super().delete(item)

    def deleted_query(self):
        """The Trash: deleted rows within the user's scope."""
        query = self.session.query(self.obj).filter(self.obj.is_deleted.is_(True))
        condition = self.scope()
        return query.filter(condition) if condition is not None else query

    def get_deleted(self, pk: Any):
        pk = record_id(self.obj, pk) if self.is_business else None
        if pk is None:
            return None
        return self.deleted_query().filter(self.obj.id == pk).one_or_none()

    def _commit(self) -> None:
        try:
            self.session.commit()
        except SQLAlchemyError as ex:
            self.session.rollback()
            raise DatabaseException from ex
