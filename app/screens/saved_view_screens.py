"""The screens of saved views (app/saved_views.py): keep a list's view under a name from its
toolbar, and the page where a user finds, shares and removes his views.

Every signed-in user has them: what a view shows is decided by the list it opens. A save
that cannot be done as asked (no name, a list he may not read, sharing without the right
or without a unit) saves nothing and says why.
"""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from app import saved_views
from app.extensions import db
from app.registered_views import view_of
from app.registry.spec import REGISTRY
from app.screens import columns
from app.signed_in import signed_in
from models.saved_views import SavedView

#: Characters of a view's name.
NAME_LENGTH = 60


class SavedViewsView(BaseView):
    route_base = "/savedviews"
    default_view = "index"


    @expose("/")
    @signed_in
    def index(self):
        return self.render_template("office/saved_views.html", links=saved_views.visible(),
                                    may_share=saved_views.may_share(), title=_l("Saved views"))

    @expose("/save", methods=["POST"])
    @signed_in
    def save(self):
        entity = next((e for e in REGISTRY.values() if e.name == request.form.get("entity")), None)
        view = view_of(entity) if entity is not None else None
        if view is None or not self.appbuilder.sm.has_access("can_read", view.class_permission_name):
            flash(gettext("That list is not yours to read: nothing was saved."), "danger")
            return redirect(self.appbuilder.get_url_for_index)
        query = columns.kept_query(request.form.get("query", ""))
        back = url_for(f"{view.endpoint}.list") + columns.address(request.form.get("query", ""))
        name = " ".join(request.form.get("name", "").split())
        share = bool(request.form.get("share"))
        problem = self._problem(entity.name, name, share)
        if problem:
            flash(problem, "danger")
            return redirect(back)
        chosen = columns.parse(request.form.get("columns", ""), view)
        session = db.session
        saved = session.scalar(select(SavedView).where(
            SavedView.user_id == current_user.id, SavedView.entity == entity.name, SavedView.name == name))
        replaced = saved is not None
        if saved is None:
            saved = SavedView(user_id=current_user.id, entity=entity.name, name=name)
            session.add(saved)
        saved.query = query
        saved.columns = None if not chosen or columns.is_own(view, chosen) else chosen
        saved.shared_unit_id = current_user.department_id if share else None
        session.commit()
        if replaced:
            flash(gettext("The view “%(name)s” was updated.", name=name), "success")
        elif share:
            flash(gettext("The view “%(name)s” was saved and shared with your unit.", name=name), "success")
        else:
            flash(gettext("The view “%(name)s” was saved: it is in your menu under Saved views.", name=name),
                  "success")
        return redirect(saved_views.address(view, saved))

    def _problem(self, entity_name: str, name: str, share: bool) -> str | None:
        """Why the view cannot be saved as asked (None: it can)."""
        if not name:
            return gettext("Give the view a name.")
        if len(name) > NAME_LENGTH:
            return gettext("A view's name is at most %(n)d characters.", n=NAME_LENGTH)
        if share and getattr(current_user, "department_id", None) is None:
            return gettext("Your account has no unit to share the view with; ask an administrator to set it.")
        if share and not saved_views.may_share():
            return gettext("Only a manager may share a view with the unit: nothing was saved.")
        held = db.session.scalar(select(func.count()).select_from(SavedView).where(
            SavedView.user_id == current_user.id, SavedView.entity == entity_name, SavedView.name != name))
        if held >= saved_views.MOST_PER_LIST:
            return gettext("You keep %(n)d views of this list already; remove one first.", n=held)
        return None

    @expose("/delete/<view_id>", methods=["POST"])
    @signed_in
    def delete(self, view_id):
        saved = saved_views.own(view_id)
        if saved is None:
            flash(gettext("Only the view's owner may remove it."), "danger")
        else:
            db.session.delete(saved)
            db.session.commit()
            flash(gettext("The view “%(name)s” was removed.", name=saved.name), "success")
        return redirect(url_for("SavedViewsView.index"))

    @expose("/share/<view_id>", methods=["POST"])
    @signed_in
    def share(self, view_id):
        """Share the user's own view with his unit, or take it back (`off`)."""
        saved = saved_views.own(view_id)
        off = bool(request.form.get("off"))
        if saved is None:
            flash(gettext("Only the view's owner may share it."), "danger")
        elif not off and not saved_views.may_share():
            flash(gettext("Only a manager may share a view with the unit: nothing was saved."), "danger")
        else:
            saved.shared_unit_id = None if off else current_user.department_id
            db.session.commit()
            flash(gettext("The view “%(name)s” is yours alone again.", name=saved.name) if off else
                  gettext("The view “%(name)s” is shared with your unit.", name=saved.name), "success")
        return redirect(url_for("SavedViewsView.index"))
