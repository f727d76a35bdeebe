"""The need-to-know list (知悉范围) on the record page of every entity with a secrecy level
(docs/domain.md §9, app/registry/need_to_know.py): its tab shows the units and people on
it, and whoever may edit the record changes it there — two search-as-you-type fields, one
of units and one of people. Each change is one line of the record's History (who, when,
the list before and after).

A user may not save a list that would shut himself out of a 内部 record (he is not on it,
did not register it, and his role does not read every internal record): he would lose
the record he is editing; the page says so and changes nothing.
"""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_babel import gettext
from sqlalchemy import delete, or_, select

from app.audit import coded, current_username, record_act
from app.registry import need_to_know
from app.registry.labels import label_condition
from models.lookups import INTERNAL_LEVEL
from models.need_to_know import NeedToKnow
from models.org import Department

#: Units or people a search-as-you-type field shows per page of results.
PAGE = 20

#: Units and people one list may name at most (a list of the whole office is no list).
MOST = 200


def _user_model():
    from app.security import OfficeUser

    return OfficeUser


def entries(session, entity_name: str, record_id: int) -> tuple[list, list]:
    """(units, users) on the record's list, in the units' order and by name."""
    rows = session.execute(select(NeedToKnow.department_id, NeedToKnow.user_id)
                           .where(NeedToKnow.entity == entity_name, NeedToKnow.record_id == record_id)).all()
    unit_ids = {unit for unit, _user in rows if unit is not None}
    user_ids = {user for _unit, user in rows if user is not None}
    units = (session.query(Department).filter(Department.id.in_(unit_ids))
             .order_by(Department.sort_order, Department.id).all()) if unit_ids else []
    user = _user_model()
    users = session.query(user).filter(user.id.in_(user_ids)).order_by(user.username).all() if user_ids else []
    return units, users


def user_label(user) -> str:
    """A person as the list shows him: his name, login and unit."""
    name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    unit = getattr(user, "department", None)
    text = f"{name} ({user.username})" if name else user.username
    return f"{text} · {unit}" if unit is not None else text


def _ids(values) -> list[int]:
    out = []
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < number < 2**31 and number not in out:
            out.append(number)
    return out


class NeedToKnowScreens:
    """Mixin of EntityView: the need-to-know tab and its saving."""

    def has_need_to_know(self) -> bool:
        return self.entity is not None and self.entity.is_business and need_to_know.has_level(self.entity.model)

    def need_to_know_context(self, item) -> dict:
        if item is None or not self.has_need_to_know():
            return {}
        units, users = entries(self.datamodel.session, self.entity.name, item.id)
        return {"need_to_know": {
            "units": units, "users": [(user, user_label(user)) for user in users],
            "internal": item.secrecy_level == INTERNAL_LEVEL,
            "editable": self.can("edit"),
            "units_url": url_for(f"{self.endpoint}.need_to_know_choices", kind="units"),
            "users_url": url_for(f"{self.endpoint}.need_to_know_choices", kind="users"),
        }}

    def _back_to_list(self, pk):
        return redirect(url_for(f"{self.endpoint}.show", pk=pk) + "#NeedToKnow")

    @expose("/need_to_know/<pk>", methods=["POST"])
    @has_access
    def set_need_to_know(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if item is None or not self.has_need_to_know():
            abort(404)
        session = self.datamodel.session
        unit_ids, user_ids = _ids(request.form.getlist("units")), _ids(request.form.getlist("users"))
        if len(unit_ids) + len(user_ids) > MOST:
            flash(gettext("A need-to-know list names at most %(n)d units and people.", n=MOST), "danger")
            return self._back_to_list(pk)
        user = _user_model()
        units = session.query(Department).filter(Department.id.in_(unit_ids), Department.is_deleted.is_(False)) \
            .all() if unit_ids else []
        people = session.query(user).filter(user.id.in_(user_ids), user.active.is_(True)).all() if user_ids else []
        if len(units) != len(unit_ids) or len(people) != len(user_ids):
            flash(gettext("Choose units and people from the lists offered."), "danger")
            return self._back_to_list(pk)
        before_units, before_users = entries(session, self.entity.name, item.id)
        before = ({u.id for u in before_units}, {u.id for u in before_users})
        after = ({u.id for u in units}, {u.id for u in people})
        if before == after:
            flash(gettext("The need-to-know list is unchanged."), "info")
            return self._back_to_list(pk)
        if self._shuts_out(item, after):
            flash(gettext("You would no longer see this internal record: add yourself or your unit to its "
                          "need-to-know list."), "danger")
            return self._back_to_list(pk)
        session.execute(delete(NeedToKnow).where(NeedToKnow.entity == self.entity.name,
                                                 NeedToKnow.record_id == item.id))
        who = current_username()
        session.add_all([NeedToKnow(entity=self.entity.name, record_id=item.id, department_id=unit.id,
                                    created_by=who) for unit in units]
                        + [NeedToKnow(entity=self.entity.name, record_id=item.id, user_id=person.id, created_by=who)
                           for person in people])
        record_act(session, "UPDATE", self.entity.name, record_id=item.id, record_name=str(item)[:300],
                   detail=coded("need_to_know",
                                before={"units": sorted(before[0]), "users": sorted(u.username for u in before_users)},
                                after={"units": sorted(after[0]), "users": sorted(p.username for p in people)}))
        session.commit()
        flash(gettext("Need-to-know list saved."), "success")
        if item.secrecy_level != INTERNAL_LEVEL:
            flash(gettext("The list applies while the record is Internal (内部)."), "info")
        return self._back_to_list(pk)

    def _shuts_out(self, item, after: tuple[set, set]) -> bool:
        """Whether the list `after` would keep the editing user from a 内部 record."""
        reader = need_to_know.current_reader()
        if reader is None or item.secrecy_level != INTERNAL_LEVEL or not (after[0] or after[1]):
            return False
        if reader.username and getattr(item, "created_by", None) == reader.username:
            return False
        return not (set(reader.units) & after[0]) and reader.user_id not in after[1]

    @expose("/need_to_know/choices/<kind>")
    @has_access
    def need_to_know_choices(self, kind):
        """Select2's JSON for the list's fields: units (the organisation tree, which every
        role reads) or people (active logins) whose names hold every word typed."""
        if not self.has_need_to_know() or kind not in ("units", "users"):
            abort(404)
        session = self.datamodel.session
        page = min(max(request.args.get("page", 1, type=int) or 1, 1), 50)
        words = request.args.get("q", "")[:200]
        ids = _ids(request.args.getlist("id"))
        if kind == "units":
            query = session.query(Department).filter(Department.is_deleted.is_(False))
            if ids:
                query = query.filter(Department.id.in_(ids))
            matching = label_condition(Department, words)
            if matching is not None:
                query = query.filter(matching)
            query = query.order_by(Department.sort_order, Department.id)
            label = str
        else:
            user = _user_model()
            query = session.query(user).filter(user.active.is_(True))
            if ids:
                query = query.filter(user.id.in_(ids))
            for word in words.split():
                like = f"%{word.replace('%', '').replace('_', '')}%"
                query = query.filter(or_(user.first_name.ilike(like), user.last_name.ilike(like),
                                         user.username.ilike(like)))
            query = query.order_by(user.username)
            label = user_label
        rows = query.offset((page - 1) * PAGE).limit(PAGE + 1).all()
        return jsonify(results=[{"id": str(row.id), "text": label(row)} for row in rows[:PAGE]],
                       pagination={"more": len(rows) > PAGE})
