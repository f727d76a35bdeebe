"""The product's own home page: the office's functions, as the logged-in user sees them."""
from __future__ import annotations

from flask import g, redirect
from flask_appbuilder import IndexView, expose
from sqlalchemy import func, select

from app.extensions import db
from app.menu import GROUPS
from app.registry.spec import REGISTRY
from models.base import today_cn


class HomeView(IndexView):
    route_base = ""
    index_template = "office/home.html"

    @expose("/")
    def index(self):
        user = g.user
        if user is None or not user.is_authenticated:
            return redirect(self.appbuilder.get_url_for_login)
        sm = self.appbuilder.sm
        tiles = []
        for group in GROUPS:
            links = [
                (entity.title, f"{entity.name}View.list", entity.icon, self._count(entity))
                for entity in REGISTRY.values()
                if entity.group == group.key and entity.menu and sm.has_access("can_read", entity.name)
            ]
            if links:
                tiles.append((group, links))
        return self.render_template(self.index_template, appbuilder=self.appbuilder, tiles=tiles,
                                    today=today_cn())

    @staticmethod
    def _count(entity) -> int:
        """Records in the ledger (deleted ones excluded)."""
        query = select(func.count()).select_from(entity.model)
        if entity.is_business:
            query = query.where(entity.model.is_deleted.is_(False))
        return db.session.scalar(query) or 0
