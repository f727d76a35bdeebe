"""The Django side of the admin peer: one process in Django's virtualenv that answers the
orchestrator (bench/admin_peer.py) one request at a time, JSON lines on stdin/stdout.

    bench/django_peer/.venv/bin/python -m bench.django_peer.driver   (from the repository root)

At start: Django's own tables (`migrate` of Django's apps), a superuser `admin` and the Clerk
(PEER_CLERK, the project's Clerk's username: his unit is read from his project account), a
staff user with view and change rights on Personnel only; each signed in with Django's test
Client (CSRF checks off, as the project's bench app runs with WTF_CSRF_ENABLED=False; the
token is sent back anyway, read from the form). Then per line:
  {"op": "get", "role": "admin", "url": "/admin/peer/personnel/"}
  {"op": "save", "role": "clerk", "url": ".../change/", "form_id": "personnel_form", "field": "name", "value": "x"}
  {"op": "quit"}
and the answer {"status", "bytes", "wall_ms", "cpu_ms", "location"} or {"error": traceback}.
"""
from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.django_peer.peer_site.settings")

from bench.peer_forms import form_fields  # noqa: E402
from bench.peer_protocol import timed_call  # noqa: E402


def _users() -> dict:
    from django.contrib.auth.models import Permission, User
    from django.test import Client

    admin, _ = User.objects.get_or_create(username="admin", defaults={"is_staff": True, "is_superuser": True})
    clerk, created = User.objects.get_or_create(username=os.environ.get("PEER_CLERK", "benchclerk"),
                                                defaults={"is_staff": True})
    if created:
        clerk.user_permissions.set(Permission.objects.filter(
            content_type__app_label="peer", codename__in=["view_personnel", "change_personnel"]))
        if clerk.user_permissions.count() != 2:
            raise RuntimeError("Django made no Personnel permissions (post_migrate)")
    clients = {}
    for role, user in (("admin", admin), ("clerk", clerk)):
        clients[role] = Client(enforce_csrf_checks=False)
        clients[role].force_login(user)
    return clients


def _answer(clients: dict, request: dict) -> dict:
    client = clients[request["role"]]
    if request["op"] == "get":
        wall, cpu, response = timed_call(lambda: client.get(request["url"]))
    elif request["op"] == "save":
        page = client.get(request["url"])
        data = form_fields(page.content.decode(), request["form_id"])
        data[request["field"]] = request["value"]
        wall, cpu, response = timed_call(lambda: client.post(request["url"], data))
    else:
        raise ValueError(f"unknown op {request['op']!r}")
    return {"status": response.status_code, "bytes": len(response.content), "wall_ms": wall, "cpu_ms": cpu,
            "location": response.get("Location", "")}


def main() -> int:
    out, sys.stdout = sys.stdout, sys.stderr      # nothing but answers on the pipe
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False, skip_checks=True)
    clients = _users()

    def say(message: dict) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    say({"ready": True, "django": django.get_version()})
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("op") == "quit":
            break
        try:
            say(_answer(clients, request))
        except Exception:
            say({"error": traceback.format_exc()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
