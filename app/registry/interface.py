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

from flask import current_app, has_app_context
from flask_appbuilder.exceptions import DatabaseException
from flask_appbuilder.models.filters import Filters
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import SQLAlchemyError

from app.registry.scope import scope_condition
from models.base import BusinessRecord

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


class OfficeInterface(SQLAInterface):

    def __init__(self, obj, session=None, entity=None, capped_count: bool = False):
        super().__init__(obj, session)
        self.entity = entity
        #: The list screens' count stops at LIST_COUNT_CAP; the REST API's stays exact.
        self.capped_count = capped_count

    def scope(self):
        """The current user's department scope over this entity (None: no limit)."""
        return scope_condition(self.entity)

    def _apply_inner_all(self, query, filters=None, order_column="", order_direction="", page=None,
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
        return self.apply_pagination(query, page, page_size)

    def query(self, filters=None, order_column="", order_direction="", page=None, page_size=None,
              select_columns=None, outer_default_load=False):
        """FAB's list query, its count stopping at `count_limit` on the screens."""
        if not self.capped_count or not page_size:
            return super().query(filters, order_column, order_direction, page, page_size,
                                 select_columns, outer_default_load)
        query = self.session.query(self.obj)
        count = self.count_up_to(query, filters, count_limit(page, page_size, self.count_cap()), select_columns)
        query = self.apply_all(query, filters, order_column, order_direction, page, page_size,
                               select_columns, outer_default_load)
        name = self.obj.__name__
        items = query.all()
        # as FAB: a query with outer joins yields rows holding the object under its class name
        return count, [getattr(item, name) if hasattr(item, name) else item for item in items]

    @staticmethod
    def count_cap() -> int:
        return current_app.config.get("LIST_COUNT_CAP", LIST_COUNT_CAP) if has_app_context() else LIST_COUNT_CAP

    def count_up_to(self, query, filters, limit: int, select_columns=None) -> int:
        """The number of matching rows, or `AtLeast(limit)` when there are more: the
        database stops after limit + 1 rows (`count(*)` over a LIMITed subquery)."""
        inner = self._apply_inner_all(query, filters, select_columns=select_columns, aliases_mapping={})
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

    def get(self, id: Any, filters: Optional[Filters] = None, select_columns=None,
            outer_default_load: bool = False):
        if filters is None:
            filters = self.guard_filters()
        return super().get(id, filters, select_columns, outer_default_load)

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
        if not self.is_business:
            return None
        try:
            pk = int(pk)
        except (TypeError, ValueError):
            return None
        return self.deleted_query().filter(self.obj.id == pk).one_or_none()

    def _commit(self) -> None:
        try:
            self.session.commit()
        except SQLAlchemyError as ex:
            self.session.rollback()
            raise DatabaseException from ex
