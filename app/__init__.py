"""The application factory."""
from __future__ import annotations

import os

from flask import Flask

from config import BASE_DIR, EMBEDDED_SECRET_KEY, Config


def check_secret_key(config) -> None:
    """Sessions and CSRF tokens are signed with SECRET_KEY: outside the embedded run a
    missing, well-known or short key would let anyone forge them, so refuse to start."""
    key = config.get("SECRET_KEY")
    if config.get("EMBEDDED") and key:
        return
    if not key or key == EMBEDDED_SECRET_KEY or len(str(key)) < 16:
        raise RuntimeError("SECRET_KEY must be set (at least 16 random characters) outside the embedded run "
                           "(make run). Generate one with: python -c 'import secrets; print(secrets.token_hex(32))'")


def create_app(config_object: type | None = None, **overrides) -> Flask:
    app = Flask(__name__, instance_path=str(BASE_DIR / "instance"))
    app.config.from_object(config_object or Config)
    app.config.update(overrides)
    check_secret_key(app.config)
    os.makedirs(app.instance_path, exist_ok=True)

    from flask_appbuilder import AppBuilder
    from flask_appbuilder.api import BaseApi

    import models  # noqa: F401  (tables and lookups)
    import views  # noqa: F401  (entity declarations)
    from app import audit, clean_values, cli, compat, console, i18n, settings, templating, web_security  # noqa: F401
    from app.extensions import csrf, db, migrate
    from app.login_guard import throttle_key
    from app.passwords import check_password
    from app.registry.build import build

    compat.apply()
    app.config.setdefault("RATELIMIT_KEY_FUNC", throttle_key)   # FAB's sign-in limit: per address and name
    app.config.setdefault("RATELIMIT_ENABLED", bool(app.config.get("AUTH_RATE_LIMITED")))  # FAB's default: off
    if app.config.get("FAB_PASSWORD_COMPLEXITY_VALIDATOR") is None:
        app.config["FAB_PASSWORD_COMPLEXITY_VALIDATOR"] = check_password
    web_security.install(app)
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
