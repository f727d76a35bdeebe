"""What the domain tests share: an API client with a token, a valid form, a row count, a form's CSRF token."""
from __future__ import annotations

import re

from app.extensions import db
from app.registry.spec import entity_for
from tests.conftest import PASSWORD
from tests.factories import form_data, make


def api_headers(client, username: str = "clerk", lang: str | None = None) -> dict:
    """Bearer headers of `username` (and an Accept-Language, if given)."""
    token = client.post("/api/v1/security/login",
                        json={"username": username, "password": PASSWORD, "provider": "db"}).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    if lang:
        headers["Accept-Language"] = lang
    return headers


def api_client(app, username: str = "clerk", lang: str | None = None):
    client = app.test_client()
    return client, api_headers(client, username, lang)


def valid_form(app, model, **values) -> dict:
    """What a clerk types into the add form for a valid record like `make()` builds (the
    template record is removed again, its parents stay)."""
    with app.app_context():
        template = make(db.session, model, **values)
        data = form_data(entity_for(model), template)
        db.session.delete(template)
        db.session.commit()
    return data


def count(app, model, **filters) -> int:
    with app.app_context():
        return db.session.query(model).filter_by(**filters).count()


def new_record(app, model, **values) -> int:
    """The id of a valid record of `model` (with its parents), saved."""
    with app.app_context():
        record = make(db.session, model, **values)
        db.session.commit()
        return record.id


def saved(app, model, pk):
    """The record as saved, detached: its columns stay readable outside the app context."""
    with app.app_context():
        record = db.session.get(model, pk)
        db.session.expunge(record)
        return record


def csrf_token_in(page: str) -> str:
    """The CSRF token of the first form on `page` (tests that run with CSRF on, as production)."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def version_of(app, model, pk) -> int:
    """The record's row_version now: what a client read and must send back with a PUT."""
    with app.app_context():
        return db.session.get(model, pk).row_version


def at_once(monkeypatch, cls, hook: str, calls: list) -> list:
    """Run `calls` (requests) in threads that meet at a barrier inside `cls.<hook>`
    (pre_add, pre_update): each has read what it needs and passed its checks, none has
    written yet — the moment two clicks or two clerks race. Returns their answers."""
    import threading

    barrier = threading.Barrier(len(calls), timeout=20)
    original = getattr(cls, hook)

    def waiting(self, item):
        original(self, item)
        barrier.wait()

    monkeypatch.setattr(cls, hook, waiting)
    answers = [None] * len(calls)
    threads = [threading.Thread(target=lambda i=i: answers.__setitem__(i, calls[i]())) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(answer is not None for answer in answers), "a request did not finish"
    return answers


def filter_form(page: str) -> tuple[dict, dict, dict]:
    """A list page's filter form as ab_filters.js is given it: ({column: label}, {column: the
    field's HTML}, {column: [operator, ...]}). The fields are drawn in a <template>
    (app/templates/appbuilder/general/widgets/search.html), the rest are the script's JSON."""
    import json

    found = re.search(r"new AdminFilters\(\s*'#filter_form',\s*(\{.*?\}),\s*fields,\s*(\{.*?\}),\s*(\[.*?\])\s*\);",
                      page, re.S)
    assert found, "no filter form on the page"
    template = re.search(r'<template id="filter_fields">(.*?)</template>', page, re.S)
    assert template, "no filter fields on the page"
    fields = {name: html for name, html in re.findall(r'<div data-filter="([^"]+)">(.*?)</div>(?=<div data-filter=|$)',
                                           template.group(1), re.S)}
    return json.loads(found.group(1)), fields, json.loads(found.group(2))


def with_tabs(client, url: str) -> str:
    """A record page as a user reads it after opening each of its related tabs (they are
    drawn when opened: app/screens/related_tabs.py): the page, then each tab's list."""
    import html as html_module

    page = client.get(url).get_data(as_text=True)
    tabs = [client.get(html_module.unescape(found)).get_data(as_text=True)
            for found in re.findall(r'class="office-related" data-related-url="([^"]+)"', page)]
    return "\n".join([page, *tabs])
