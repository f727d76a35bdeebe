"""The bell: the user's notifications (/notifications/), the bell's latest ones, opening one
(read, then its record), marking all read, and choosing what he is told."""
from __future__ import annotations

from flask import abort, flash, g, jsonify, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.registered_views import view_of
from app.registry.spec import REGISTRY
from app.reminders.kinds import APP_ONLY, KINDS, text_of
from app.signed_in import signed_in, signed_in_json
from models.base import now_cn
from models.notifications import Notification, NotificationChoice

#: Notifications in the bell's drop-down, and on one page of the list.
LATEST, PAGE = 8, 50


def unread_count() -> int:
    """The signed-in user's unread notifications (the bell's badge)."""
    user = getattr(g, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    if "_office_unread" not in g:
        g._office_unread = db.session.query(Notification).filter(
            Notification.user_id == user.id, Notification.read_at.is_(None)).count()
    return g._office_unread


def _shown(note: Notification) -> dict:
    return {"id": note.id, "text": text_of(note.kind, note.detail), "kind": str(KINDS.get(note.kind, note.kind)),
            "at": note.created_at.strftime("%Y-%m-%d %H:%M"), "read": note.read_at is not None,
            "url": url_for("NotificationsView.open", note_id=note.id)}


class NotificationsView(BaseView):
    route_base = "/notifications"
    default_view = "index"


    def _mine(self):
        return db.session.query(Notification).filter(Notification.user_id == g.user.id)

    @expose("/")
    @signed_in
    def index(self):
        only_unread = request.args.get("all") is None
        query = self._mine()
        if only_unread:
            query = query.filter(Notification.read_at.is_(None))
        page = max(request.args.get("page", 0, type=int), 0)
        notes = query.order_by(Notification.created_at.desc(), Notification.id.desc()) \
            .offset(page * PAGE).limit(PAGE + 1).all()
        return self.render_template("office/notifications.html", notes=[_shown(n) for n in notes[:PAGE]],
                                    more=len(notes) > PAGE, page=page, only_unread=only_unread,
                                    title=_l("Notifications"))

    @expose("/latest")
    @signed_in_json
    def latest(self):
        notes = self._mine().filter(Notification.read_at.is_(None)) \
            .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(LATEST).all()
        return jsonify({"unread": unread_count(), "notes": [_shown(n) for n in notes]})

    @expose("/open/<int:note_id>")
    @signed_in
    def open(self, note_id):
        """Mark it read and go to its record (its list's scope decides whether it opens)."""
        note = self._mine().filter(Notification.id == note_id).first()
        if note is None:
            abort(404)
        if note.read_at is None:
            note.read_at = now_cn()
            db.session.commit()
        entity = next((e for e in REGISTRY.values() if e.name == note.entity), None)
        view = view_of(entity) if entity is not None else None
        if view is None or note.record_id is None:
            return redirect(url_for("NotificationsView.index"))
        return redirect(url_for(f"{view.endpoint}.show", pk=note.record_id))

    @expose("/read", methods=["POST"])
    @signed_in
    def read_all(self):
        self._mine().filter(Notification.read_at.is_(None)).update({"read_at": now_cn()})
        db.session.commit()
        flash(gettext("All notifications are marked read."), "success")
        return redirect(url_for("NotificationsView.index"))

    @expose("/choices", methods=["GET", "POST"])
    @signed_in
    def choices(self):
        session = db.session
        held = {c.kind: c for c in session.scalars(select(NotificationChoice).where(
            NotificationChoice.user_id == g.user.id))}
        if request.method == "POST":
            for kind in KINDS:
                choice = held.get(kind) or NotificationChoice(user_id=g.user.id, kind=kind)
                choice.in_app = bool(request.form.get(f"{kind}:app"))
                choice.by_mail = kind in APP_ONLY or bool(request.form.get(f"{kind}:mail"))
                session.add(choice)
            session.commit()
            flash(gettext("Your choices are saved."), "success")
            return redirect(url_for("NotificationsView.choices"))
        # an app-only kind (the digest entry) has no e-mail choice: None
        rows = [(kind, label, held[kind].in_app if kind in held else True,
                 None if kind in APP_ONLY else held[kind].by_mail if kind in held else True)
                for kind, label in KINDS.items()]
        return self.render_template("office/notification_choices.html", rows=rows, title=_l("What I am told"))
