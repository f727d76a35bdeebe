"""The data layer every generated screen and API goes through.

FAB's `SQLAInterface` deletes rows and, on its bulk-action path, fetches rows by id
without the view's base filters. Here deleting a business record moves it to the
Trash (`is_deleted`), a row is only ever fetched through the guard filters (a deleted
record is not found), and only `purge()` removes a row for good.
"""
from __future__ import annotations

from typing import Any, Optional

from flask_appbuilder.exceptions import DatabaseException
from flask_appbuilder.models.filters import Filters
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy.exc import SQLAlchemyError

from app.registry.scope import scope_condition
from models.base import BusinessRecord


class OfficeInterface(SQLAInterface):

    def __init__(self, obj, session=None, entity=None):
        super().__init__(obj, session)
        self.entity = entity

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
