"""The application factory."""
from __future__ import annotations

import os

from flask import Flask

from config import BASE_DIR, Config


def create_app(config_object: type | None = None, **overrides) -> Flask:
    app = Flask(__name__, instance_path=str(BASE_DIR / "instance"))
    app.config.from_object(config_object or Config)
    app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set outside the embedded run (make run).")
    os.makedirs(app.instance_path, exist_ok=True)

    from flask_appbuilder import AppBuilder
    from flask_appbuilder.api import BaseApi

    import models  # noqa: F401  (tables and lookups)
    import views  # noqa: F401  (entity declarations)
    from app import audit, cli, compat, console, i18n, settings, templating  # noqa: F401  (audit: flush hooks)
    from app.extensions import csrf, db, migrate
    from app.registry.build import build

    compat.apply()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), compare_type=True)
    csrf.init_app(app)
    with app.app_context():
        appbuilder = AppBuilder()
        appbuilder.init_app(app, db.session)
        build(appbuilder)
        # The REST API authenticates with JWT bearer tokens, not cookies + forms.
        for view in appbuilder.baseviews:
            if isinstance(view, BaseApi) and getattr(view, "blueprint", None) is not None:
                csrf.exempt(view.blueprint)
        i18n.install(app)
        templating.install(app)
        cli.install(app)
        settings.install(app)
        console.install(app)      # /console: flask-admin, gated by FAB's login and the console right
    return app
