"""Settings of the Django admin peer, production-like (DEBUG off: cached templates).

The database is the bench's (the one the project's screens read), given by the driver's
environment: PEER_DB_VENDOR (sqlite or postgresql), PEER_DB_NAME (file or database name),
PEER_DB_HOST, PEER_DB_PORT, PEER_DB_USER. Django's own tables (auth, sessions, admin log,
content types) are made there by `migrate` for Django's apps only; the peer app has no
migrations, and its models are `managed = False`: the project's migrations own those tables.
Connections are kept (CONN_MAX_AGE None) as the project's pool keeps them.
"""
from __future__ import annotations

import os

SECRET_KEY = "bench-peer-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
ROOT_URLCONF = "bench.django_peer.peer_site.urls"
USE_TZ = False              # the project stores naive China-time datetimes
USE_I18N = True
LANGUAGE_CODE = "zh-hans"   # the office's language, as the project's default locale
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "bench.django_peer.peer_site.apps.PeerConfig",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
STATIC_URL = "/static/"


def _database() -> dict:
    vendor = os.environ.get("PEER_DB_VENDOR", "sqlite")
    if vendor == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["PEER_DB_NAME"], "CONN_MAX_AGE": None}
    return {"ENGINE": "django.db.backends.postgresql", "NAME": os.environ["PEER_DB_NAME"],
            "HOST": os.environ.get("PEER_DB_HOST", "127.0.0.1"), "PORT": os.environ.get("PEER_DB_PORT", "5432"),
            "USER": os.environ.get("PEER_DB_USER", "postgres"), "PASSWORD": os.environ.get("PEER_DB_PASSWORD", ""),
            "CONN_MAX_AGE": None}


DATABASES = {"default": _database()}
