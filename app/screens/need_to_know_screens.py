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

from dataclasses import dataclass, field

from flask import abort, flash, jsonify, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.api import protect, safe
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


@dataclass
class ListChange:
    """What saving a list came to: what to tell the user, as (category, message) — danger for
    a refusal, which changed nothing."""

    messages: list = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return any(category == "danger" for category, _message in self.messages)


def change_list(session, entity, item, unit_ids: list[int], user_ids: list[int]) -> ListChange:
    """Replace the record's list by these units and people — the page's and the API's save: at
    most MOST of them, each one offered (a live unit, an active login), never shutting the
    editing user out of a 内部 record; the change is one line of the record's History."""
    if len(unit_ids) + len(user_ids) > MOST:
        return ListChange([("danger", gettext("A need-to-know list names at most %(n)d units and people.",
                                                     n=MOST))])
    user = _user_model()
    units = session.query(Department).filter(Department.id.in_(unit_ids), Department.is_deleted.is_(False)) \
        .all() if unit_ids else []
    people = session.query(user).filter(user.id.in_(user_ids), user.active.is_(True)).all() if user_ids else []
    if len(units) != len(unit_ids) or len(people) != len(user_ids):
        return ListChange([("danger", gettext("Choose units and people from the lists offered."))])
    before_units, before_users = entries(session, entity.name, item.id)
    before = ({u.id for u in before_units}, {u.id for u in before_users})
    after = ({u.id for u in units}, {u.id for u in people})
    if before == after:
        return ListChange([("info", gettext("The need-to-know list is unchanged."))])
    if _shuts_out(item, after):
        return ListChange([("danger", gettext(
            "You would no longer see this internal record: add yourself or your unit to its need-to-know list."))])
    session.execute(delete(NeedToKnow).where(NeedToKnow.entity == entity.name, NeedToKnow.record_id == item.id))
    who = current_username()
    session.add_all([NeedToKnow(entity=entity.name, record_id=item.id, department_id=unit.id, created_by=who)
                     for unit in units]
                    + [NeedToKnow(entity=entity.name, record_id=item.id, user_id=person.id, created_by=who)
                       for person in people])
    record_act(session, "UPDATE", entity.name, record_id=item.id, record_name=str(item)[:300],
               detail=coded("need_to_know",
                            before={"units": sorted(before[0]), "users": sorted(u.username for u in before_users)},
                            after={"units": sorted(after[0]), "users": sorted(p.username for p in people)}))
    session.commit()
    change = ListChange([("success", gettext("Need-to-know list saved."))])
    if item.secrecy_level != INTERNAL_LEVEL:
        change.messages.append(("info", gettext("The list applies while the record is Internal (内部).")))
    return change


def _shuts_out(item, after: tuple[set, set]) -> bool:
    """Whether the list `after` would keep the editing user from a 内部 record."""
    reader = need_to_know.current_reader()
    if reader is None or item.secrecy_level != INTERNAL_LEVEL or not (after[0] or after[1]):
        return False
    if reader.username and getattr(item, "created_by", None) == reader.username:
        return False
    return not (set(reader.units) & after[0]) and reader.user_id not in after[1]


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
        change = change_list(self.datamodel.session, self.entity, item, _ids(request.form.getlist("units")),
                             _ids(request.form.getlist("users")))
        for category, message in change.messages:
            flash(message, category)
        return self._back_to_list(pk)

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


class NeedToKnowApi:
    """API mixin of EntityApi: `/api/v1/<entity>/<pk>/need_to_know` — read the list (who may
    read the record) and replace it, with the page's rules and History line."""

    def _listed_record(self, pk):
        if self.entity is None or not self.entity.is_business or not need_to_know.has_level(self.entity.model):
            return None
        return self.datamodel.get(pk, self._base_filters)

    def _list_answer(self, item, **extra):
        units, users = entries(self.datamodel.session, self.entity.name, item.id)
        return self.response(200, id=item.id, applies=item.secrecy_level == INTERNAL_LEVEL,
                             units=[{"id": unit.id, "name": str(unit)} for unit in units],
                             users=[{"id": user.id, "username": user.username, "name": user_label(user)}
                                    for user in users], **extra)

    @expose("/<int:pk>/need_to_know", methods=["GET"])
    @protect()
    @safe
    def need_to_know(self, pk):
        """---
        get:
          summary: The need-to-know list (知悉范围) of the record, the units and people who read it while it is 内部
          parameters:
          - in: path
            schema: {type: integer}
            name: pk
          responses:
            200: {description: "The list: units, users, and whether it applies (the record is 内部)"}
            404: {$ref: '#/components/responses/404'}
        """
        item = self._listed_record(pk)
        if item is None:
            return self.response_404()
        return self._list_answer(item)

    @expose("/<int:pk>/need_to_know", methods=["PUT"])
    @protect()
    @safe
    def put_need_to_know(self, pk):
        """---
        put:
          summary: Replace the need-to-know list of the record (a JSON object of two lists of ids, units and users)
          parameters:
          - in: path
            schema: {type: integer}
            name: pk
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    units: {type: array, items: {type: integer}}
                    users: {type: array, items: {type: integer}}
          responses:
            200: {description: The list as saved}
            400: {description: The body is not an object of two lists of ids}
            404: {$ref: '#/components/responses/404'}
            422: {description: "Refused: unknown or inactive units or people, too many, or it would shut you out"}
        """
        item = self._listed_record(pk)
        if item is None:
            return self.response_404()
        body = request.get_json(silent=True)
        ids = _strict_ids(body)
        if ids is None:
            return self.response_400(message=gettext(
                'The body is {"units": [unit ids], "users": [user ids]}: lists of whole numbers.'))
        change = change_list(self.datamodel.session, self.entity, item, *ids)
        if change.refused:
            return self.response_422(message=[message for _category, message in change.messages])
        return self._list_answer(item, message=[message for _category, message in change.messages])


def _strict_ids(body) -> tuple[list[int], list[int]] | None:
    """(unit ids, user ids) of an API body, or None when it is not two lists of whole numbers."""
    if not isinstance(body, dict) or set(body) - {"units", "users"}:
        return None
    out = []
    for key in ("units", "users"):
        values = body.get(key, [])
        if not isinstance(values, list) or not all(type(v) is int for v in values):
            return None
        if any(not 0 < v < 2**31 for v in values):
            return None
        out.append(list(dict.fromkeys(values)))
    return out[0], out[1]
