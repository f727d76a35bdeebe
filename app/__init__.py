"""The application factory."""
from __future__ import annotations

import os
import secrets

from flask import Flask

from config import BASE_DIR, Config

#: What an old embedded run signed with: a constant printed in the repository, refused.
PUBLIC_KEYS = {"embedded-run-only-not-secret"}


def secret_key(config, instance_path: str) -> str:
    """The key sessions, CSRF tokens and API tokens are signed with.

    Set SECRET_KEY (at least 16 random characters) in any real run. The embedded run
    alone may leave it unset: it then makes a random key once and keeps it in the
    instance folder, readable by its owner only, so a restart keeps people signed in and
    no two installations share a key."""
    key = config.get("SECRET_KEY")
    if key:
        if str(key) in PUBLIC_KEYS or len(str(key)) < 16:
            raise RuntimeError("SECRET_KEY is too short or publicly known: use at least 16 random characters. "
                               "Generate one with: python -c 'import secrets; print(secrets.token_hex(32))'")
        return str(key)
    if not config.get("EMBEDDED"):
        raise RuntimeError("SECRET_KEY must be set (at least 16 random characters) outside the embedded run "
                           "(make run). Generate one with: python -c 'import secrets; print(secrets.token_hex(32))'")
    path = os.path.join(instance_path, "secret_key")
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        with open(path, encoding="ascii") as kept:
            return kept.read().strip()
    key = secrets.token_hex(32)
    with os.fdopen(handle, "w", encoding="ascii") as fresh:
        fresh.write(key)
    return key


def create_app(config_object: type | None = None, **overrides) -> Flask:
    app = Flask(__name__, instance_path=str(BASE_DIR / "instance"))
    app.config.from_object(config_object or Config)
    app.config.update(overrides)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["SECRET_KEY"] = secret_key(app.config, app.instance_path)

    from flask_appbuilder import AppBuilder
    from flask_appbuilder.api import BaseApi

    import models  # noqa: F401  (tables and lookups)
    import views  # noqa: F401  (entity declarations)
    from app import (  # noqa: F401
        api_auth,
        audit,
        cli,
        connection_settings,
        console,
        history,
        i18n,
        lifecycle,
        seams,
        settings,
        templating,
        web_security,
    )
    from app.agenda.screens import AgendaView
    from app.extensions import csrf, db, migrate
    from app.jobs.queue import use as use_queue
    from app.jobs.screens import DownloadsView
    from app.login_guard import throttle_key
    from app.passwords import check_password
    from app.reminders.screens import NotificationsView
    from app.screens.build import build
    from app.screens.saved_view_screens import SavedViewsView
    from app.search.screens import SearchView

    seams.install()
    app.config.setdefault("RATELIMIT_KEY_FUNC", throttle_key)   # FAB's sign-in limit: per address and name
    app.config.setdefault("RATELIMIT_ENABLED", bool(app.config.get("AUTH_RATE_LIMITED")))  # FAB's default: off
    if app.config.get("FAB_PASSWORD_COMPLEXITY_VALIDATOR") is None:
        app.config["FAB_PASSWORD_COMPLEXITY_VALIDATOR"] = check_password
    web_security.install(app)
    use_queue(app.config["JOBS_URL"])       # the job queue this app's screens send work to (app/jobs)
    # Chinese as UTF-8, not \uXXXX escapes, in JSON answers and a page's inline JSON (the
    # filter form's options): a third of the bytes; `tojson` still escapes <, >, & and '.
    app.json.ensure_ascii = False
    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), compare_type=True)
    csrf.init_app(app)
    with app.app_context():
        connection_settings.install(app, db.engine)
        appbuilder = AppBuilder()
        appbuilder.init_app(app, db.session)
        build(appbuilder)
        appbuilder.add_view_no_menu(SearchView())     # the top bar's search box (app/search)
        appbuilder.add_view_no_menu(SavedViewsView())  # the lists' saved views (app/saved_views.py)
        appbuilder.add_view_no_menu(DownloadsView())   # My downloads: files the job queue prepared
        appbuilder.add_view_no_menu(AgendaView())      # the office calendar (app/agenda)
        appbuilder.add_view_no_menu(NotificationsView())  # the bell (app/reminders)
        # The REST API authenticates with JWT bearer tokens, not cookies + forms.
        for view in appbuilder.baseviews:
            if isinstance(view, BaseApi) and getattr(view, "blueprint", None) is not None:
                csrf.exempt(view.blueprint)
        i18n.install(app)
        api_auth.install(app)     # a bad, expired or missing API token: 401 in the user's language
        templating.install(app)
        cli.install(app)
        settings.install(app)
        console.install(app)      # /console: flask-admin, gated by FAB's login and the console right
    return app


def __getattr__(name: str):
    """`huey_consumer app.huey`: the job queue with its tasks, jobs run in an app this package's
    `create_app` builds from the environment (app/jobs/runner.py)."""
    if name == "huey":
        from app.jobs import runner
        from app.jobs.queue import huey

        runner.FACTORY = create_app
        return huey
    raise AttributeError(f"module 'app' has no attribute {name!r}")
