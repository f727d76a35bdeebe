"""The product's own home page: the dashboard of the logged-in user (app.dashboard)."""
from __future__ import annotations

from flask import g, redirect
from flask_appbuilder import IndexView, expose

from app.dashboard.view import build_dashboard
from app.recent import recent_records
from models.base import today_cn


class HomeView(IndexView):
    route_base = ""
    index_template = "office/home.html"

    @expose("/")
    def index(self):
        user = g.user
        if user is None or not user.is_authenticated:
            return redirect(self.appbuilder.get_url_for_login)
        dashboard = build_dashboard()
        return self.render_template(self.index_template, appbuilder=self.appbuilder, dashboard=dashboard,
                                    chart_data=dashboard.chart_data(), today=today_cn(), recent=recent_records())
