"""The calendar page (/calendar/), its events by source as JSON, and the move a drag makes."""
from __future__ import annotations

import datetime as dt

from flask import jsonify, request
from flask_appbuilder import BaseView, expose
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.agenda.events import MoveRefused, events, move, parse_time, source_named, sources
from app.extensions import db
from app.registered_views import view_of
from app.registry.spec import REGISTRY
from app.signed_in import signed_in, signed_in_json
from models.org import Department
from models.services import MeetingRoom, Vehicle

#: Longest window one request may ask for (a month view asks six weeks).
LONGEST_WINDOW = dt.timedelta(days=62)


def _choices(model) -> list[tuple[int, str]]:
    """(id, label) of the records of `model` the user may see, through its list's scope."""
    entity = next((e for e in REGISTRY.values() if e.model is model), None)
    view = view_of(entity) if entity is not None else None
    if view is None:
        return []
    query = view.datamodel.apply_inner_all(db.session.query(model), view._base_filters)
    order = getattr(model, "__order__", ("id", "asc"))
    rows = query.order_by(None).order_by(getattr(model, order[0]), model.id).limit(500)
    return [(r.id, str(r)) for r in rows]


class AgendaView(BaseView):
    route_base = "/calendar"
    default_view = "index"


    @expose("/")
    @signed_in
    def index(self):
        shown = sources()
        used = {s.spec.resource for s in shown} | ({"unit"} if any(s.spec.unit for s in shown) else set())
        return self.render_template(
            "office/agenda.html", title=_l("Calendar"), sources=shown,
            rooms=_choices(MeetingRoom) if "meeting_room" in used else [],
            vehicles=_choices(Vehicle) if "vehicle" in used else [],
            units=_choices(Department) if "unit" in used else [])

    @expose("/events/<name>")
    @signed_in_json
    def feed(self, name):
        source = source_named(name)
        if source is None:
            return jsonify({"message": gettext("No such calendar.")}), 404
        start, end = parse_time(request.args.get("start")), parse_time(request.args.get("end"))
        if start is None or end is None or end <= start or end - start > LONGEST_WINDOW:
            return jsonify({"message": gettext("Ask for a window of at most two months.")}), 400
        filters = {key: request.args.get(key, type=int) for key in ("meeting_room", "vehicle", "unit")}
        return jsonify(events(source, start, end, filters))

    @expose("/move", methods=["POST"])
    @signed_in_json
    def move(self):
        data = request.get_json(silent=True) or {}
        source = source_named(str(data.get("entity", "")))
        start = parse_time(data.get("start"))
        if source is None or start is None:
            return jsonify({"messages": [gettext("No such calendar.")]}), 404
        try:
            move(source, data.get("pk"), start, parse_time(data.get("end")), data.get("version"))
        except MoveRefused as refused:
            return jsonify({"messages": refused.messages}), refused.status
        return jsonify({"messages": [gettext("Moved.")]})
