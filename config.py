"""Settings for every way the panel runs.

Defaults serve the embedded run (`make run`: SQLite file, demo data); every value
can be overridden by an environment variable of the same name, which is how a real
deployment (PostgreSQL, gunicorn) configures it.
"""
from __future__ import annotations

import os
from pathlib import Path

from flask_appbuilder.const import AUTH_DB

BASE_DIR = Path(__file__).resolve().parent


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


class Config:
    # --- where the data lives -------------------------------------------------------
    SQLALCHEMY_DATABASE_URI = _env(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'office.db'}"
    )
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Set on each new PostgreSQL connection (app/connection_settings.py): JIT off, because
    # it compiled every scoped list's query first, 60 % of the database's CPU under load.
    POSTGRES_SETTINGS = {"jit": "off"}

    # --- secrets --------------------------------------------------------------------
    # The embedded run (SQLite file, no DATABASE_URL) without SECRET_KEY makes a random key
    # once and keeps it in instance/secret_key (owner-only); any other run — a real
    # database, or `make serve`, which sets OFFICE_EMBEDDED=0 — must set SECRET_KEY, or the
    # app refuses to start (app/__init__.py).
    EMBEDDED = _env_bool("OFFICE_EMBEDDED", _env("DATABASE_URL") is None)
    SECRET_KEY = _env("SECRET_KEY")

    # --- the product ----------------------------------------------------------------
    APP_NAME = "厦门市人民政府办公厅综合管理平台"
    APP_THEME = ""
    APP_ICON = ""
    FAB_BASE_TEMPLATE = "office/base.html"
    FAB_INDEX_VIEW = "app.home.HomeView"
    FAB_SECURITY_MANAGER_CLASS = "app.security.OfficeSecurityManager"

    # --- security -------------------------------------------------------------------
    AUTH_TYPE = AUTH_DB
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    AUTH_USER_REGISTRATION = False
    WTF_CSRF_ENABLED = _env_bool("WTF_CSRF_ENABLED", True)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Secure is also set on its own for any request that arrived over HTTPS (directly, or
    # through a trusted proxy's X-Forwarded-Proto): this forces it even then.
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host are believed
    # (0: none, the socket's address is the client's; 1: one nginx in front).
    TRUSTED_PROXIES = int(_env("TRUSTED_PROXIES", "0"))
    # Sign-in: attempts per client address and user name, per client address whatever the
    # name, the failed sign-ins in a row after which an account locks (0: never lock), and
    # how long the lock lasts after the last failure before it opens by itself (an
    # administrator can unlock at once; 0: only an administrator unlocks).
    AUTH_RATE_LIMITED = _env_bool("LOGIN_THROTTLE", True)
    AUTH_RATE_LIMIT = _env("LOGIN_RATE_LIMIT", "10 per minute")
    LOGIN_ADDRESS_RATE_LIMIT = _env("LOGIN_ADDRESS_RATE_LIMIT", "100 per minute")
    AUTH_LOCKOUT_AFTER = int(_env("AUTH_LOCKOUT_AFTER", "5"))
    AUTH_LOCKOUT_MINUTES = int(_env("AUTH_LOCKOUT_MINUTES", "15"))
    # Where the throttle counts: memory:// is per worker process; with several gunicorn
    # workers use one Redis (redis://host:6379/0) so that they share the count.
    RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    # Passwords: at least this long, with three of lower case, upper case, digits, symbols.
    FAB_PASSWORD_COMPLEXITY_ENABLED = True
    FAB_PASSWORD_COMPLEXITY_VALIDATOR = None  # create_app sets app.passwords.check_password
    PASSWORD_MIN_LENGTH = int(_env("PASSWORD_MIN_LENGTH", "10"))
    # Permissions and roles are written by `flask sync-roles` (run by make run/serve),
    # not by every worker at start-up, so that several gunicorn workers never race.
    FAB_UPDATE_PERMS = False
    FAB_CREATE_DB = False

    # --- REST API -------------------------------------------------------------------
    FAB_API_SWAGGER_UI = True
    FAB_API_MAX_PAGE_SIZE = int(_env("FAB_API_MAX_PAGE_SIZE", "100"))

    # --- languages ------------------------------------------------------------------
    # zh_Hans_CN (not plain zh) is the key flask-admin needs to speak Chinese; gettext
    # falls back to the `zh` catalogs of FAB, WTForms and ours.
    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = {
        "zh_Hans_CN": {"flag": "cn", "name": "中文"},
        "en": {"flag": "gb", "name": "English"},
    }

    # --- lists and exports ----------------------------------------------------------
    PAGE_SIZE = int(_env("PAGE_SIZE", "20"))
    LIST_COUNT_CAP = int(_env("LIST_COUNT_CAP", "10000"))     # a list stops counting this far past its page
    EXPORT_YIELD_PER = int(_env("EXPORT_YIELD_PER", "500"))    # rows per chunk: flat memory, same speed as 2000

    # --- background jobs (app/jobs) -------------------------------------------------------
    # The queue: Huey on an SQLite file beside the database (the embedded run: no server to
    # start) or on Redis in production (redis://host:6379/1), shared by every web worker and
    # every consumer (`flask jobs-worker`, or `huey_consumer app.huey`).
    JOBS_URL = _env("JOBS_URL", f"sqlite:///{BASE_DIR / 'instance' / 'jobs.db'}")
    # An export or ledger of more rows than this is prepared by the queue, with a progress
    # bar and a place in My downloads; fewer rows are downloaded at once, as before.
    EXPORT_JOB_ROWS = int(_env("EXPORT_JOB_ROWS", "20000"))
    # Where finished files wait for their owner, and for how many days.
    DOWNLOADS_DIR = _env("DOWNLOADS_DIR", str(BASE_DIR / "instance" / "downloads"))
    DOWNLOADS_KEEP_DAYS = int(_env("DOWNLOADS_KEEP_DAYS", "7"))
    # A job still running after this many minutes is taken for lost (its consumer stopped).
    JOB_LOST_MINUTES = int(_env("JOB_LOST_MINUTES", "120"))

    # --- reminders and the e-mail digest (app/reminders) ---------------------------------
    # The daily run tells what falls due within DEADLINE_YELLOW_DAYS working days; it runs on
    # the job queue at REMINDERS_AT (a consumer with periodic tasks) or by `flask reminders`.
    REMINDERS_AT = _env("REMINDERS_AT", "07:30")
    # Incoming documents due within this many working days (or overdue) get an automatic 催办
    # handling step from the daily run, once a day (console setting of the same name).
    DOCUMENT_URGE_DAYS = int(_env("DOCUMENT_URGE_DAYS", "1"))
    # The digest goes out only when MAIL_SERVER is set.
    MAIL_SERVER = _env("MAIL_SERVER", "")
    MAIL_PORT = int(_env("MAIL_PORT", "25"))
    MAIL_USE_TLS = _env("MAIL_USE_TLS", "0") == "1"
    MAIL_USERNAME = _env("MAIL_USERNAME", "")
    MAIL_PASSWORD = _env("MAIL_PASSWORD", "")
    MAIL_FROM = _env("MAIL_FROM", "oa-noreply@xm.gov.cn")

    # --- Excel import -----------------------------------------------------------------
    # A file is refused whole above these limits; the bad-rows reports are kept a day.
    IMPORT_MAX_MB = int(_env("IMPORT_MAX_MB", "30"))
    IMPORT_MAX_ROWS = int(_env("IMPORT_MAX_ROWS", "100000"))
    # A file of more rows than this is checked and written by the job queue (a progress bar,
    # the outcome and its rows to correct in My downloads); a smaller one at once, as before.
    IMPORT_JOB_ROWS = int(_env("IMPORT_JOB_ROWS", "5000"))
    # What a workbook may unpack to, checked before it is parsed (app/importer/unpack.py):
    # server memory limits, not console settings, so raising the upload size in the
    # console does not lift them. A real 100,000-row file unpacks to ~75 MB at ~8:1.
    # Reading costs ~115 bytes a cell (calamine's grid and the rows kept): 1,500,000 cells
    # (125,000 rows x 12) peak at ~170 MB over the server's own (bench/import_limits.py).
    IMPORT_MAX_UNCOMPRESSED_MB = int(_env("IMPORT_MAX_UNCOMPRESSED_MB", "300"))
    IMPORT_MAX_ENTRIES = int(_env("IMPORT_MAX_ENTRIES", "1000"))          # parts of the zip
    IMPORT_MAX_RATIO = int(_env("IMPORT_MAX_RATIO", "100"))               # unpacked : packed, per part
    IMPORT_MAX_CELLS = int(_env("IMPORT_MAX_CELLS", "1500000"))           # rows x columns a sheet spans
    IMPORT_REPORT_DIR = _env("IMPORT_REPORT_DIR", str(BASE_DIR / "instance" / "import-reports"))

    # --- deadlines ------------------------------------------------------------------
    # Working days before a due date at which its light turns yellow (every list).
    DEADLINE_YELLOW_DAYS = int(_env("DEADLINE_YELLOW_DAYS", "3"))
    # Proposals' time limits (docs/domain.md §5), each also a console setting of the same name:
    # months to reply, to the latest extension, for a co-handler's opinion; working days for the
    # proposer's evaluation, to start re-handling, to ask for a return; months to answer again.
    PROPOSAL_REPLY_MONTHS = int(_env("PROPOSAL_REPLY_MONTHS", "3"))
    PROPOSAL_MAX_MONTHS = int(_env("PROPOSAL_MAX_MONTHS", "6"))
    PROPOSAL_CO_OPINION_MONTHS = int(_env("PROPOSAL_CO_OPINION_MONTHS", "2"))
    PROPOSAL_EVALUATION_DAYS = int(_env("PROPOSAL_EVALUATION_DAYS", "15"))
    PROPOSAL_REHANDLE_START_DAYS = int(_env("PROPOSAL_REHANDLE_START_DAYS", "5"))
    PROPOSAL_REHANDLE_REPLY_MONTHS = int(_env("PROPOSAL_REHANDLE_REPLY_MONTHS", "1"))
    PROPOSAL_MAX_REHANDLINGS = int(_env("PROPOSAL_MAX_REHANDLINGS", "1"))
    PROPOSAL_RETURN_DAYS = int(_env("PROPOSAL_RETURN_DAYS", "5"))

    # --- attachments ------------------------------------------------------------------
    # Stored outside the web root; served only through a permission and scope check.
    ATTACHMENT_DIR = _env("ATTACHMENT_DIR", str(BASE_DIR / "instance" / "attachments"))
    ATTACHMENT_MAX_MB = int(_env("ATTACHMENT_MAX_MB", "20"))
    ATTACHMENT_TYPES = _env("ATTACHMENT_TYPES", "pdf,ofd,doc,docx,xls,xlsx,wps,et,jpg,jpeg,png,txt,zip")

    # --- demo -----------------------------------------------------------------------
    DEMO_SEED = int(_env("DEMO_SEED", "2026"))
