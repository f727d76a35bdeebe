"""Scope over every relation of the registry, as a Clerk of the test unit against records of
another unit (issue 16): a child is never created under a foreign parent (API and form),
no relation choice offers a foreign record (add and edit forms, the API's `_info`, the
list's filter widget), and a co-handling child in the Trash no longer opens its parent.

Parametrized from the registry (`scoped_links`, `paths_of`): an entity or relation added
later is covered without a line here. The clients are signed in once per module; every
test makes the records it needs, so each passes alone and in any order.
"""
from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal
from typing import Optional
from urllib.parse import urlencode

import pytest
from sqlalchemy import inspect as sa_inspect

import views  # noqa: F401  (registers every entity)
from app.extensions import db
from app.registry.scope import paths_of, scoped_links
from app.registry.spec import REGISTRY
from app.screens.build import _api_columns
from models.org import Department
from tests.conftest import TEST_UNIT_CODE, login
from tests.factories import form_data, make
from tests.helpers import api_headers, filter_form
from tests.test_scope import _foreign_record, _move_to

#: Entities a Clerk works on (configuration tables and logs are the admin's).
WORKED = sorted((e for e in REGISTRY.values() if e.is_business and not e.admin_only and not e.read_only),
                key=lambda e: e.name)
LINKS = [(entity, rel, target) for entity in WORKED for rel, target in
         sorted(scoped_links(entity, REGISTRY), key=lambda link: link[0].key)]


def column_of(rel) -> str:
    return next(iter(rel.local_columns)).key


def _ids(link) -> str:
    return f"{link[0].name}.{link[1].key}"


API_LINKS = [link for link in LINKS if column_of(link[1]) in _api_columns(link[0], link[0].form_fields)]
FORM_LINKS = [link for link in LINKS if link[1].key in link[0].form_fields]


@pytest.fixture(scope="module")
def clerk_api(app):
    """The Clerk's API client and bearer headers (one sign-in per module and backend)."""
    client = app.test_client()
    return client, api_headers(client, "clerk", "en")


@pytest.fixture(scope="module")
def clerk_web(app):
    """The Clerk's signed-in browser session, in English."""
    return login(app.test_client(), "clerk", lang="en")


@pytest.fixture(scope="module")
def foreign_of(app):
    """`foreign_of(target)`: one record of another unit per target entity, shared by the
    module's tests, none of which may change it (each checks that nothing was written)."""
    made: dict = {}

    def get(target) -> int:
        if target.name not in made:
            made[target.name] = _foreign_record(app, target)[0]
        return made[target.name]
    return get


def test_unit_id(app) -> int:
    with app.app_context():
        return db.session.query(Department.id).filter_by(code=TEST_UNIT_CODE).scalar()


test_unit_id.__test__ = False        # a helper, not a test


def _json(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def template(app, entity) -> tuple[dict, dict]:
    """What a Clerk sends for a valid new record (API body, add-form data): the values of
    a record `make` builds, the record itself removed again (its parents stay)."""
    with app.app_context():
        record = make(db.session, entity.model)
        body = {c: _json(getattr(record, c)) for c in _api_columns(entity, entity.form_fields)
                if c != "custom_fields" and getattr(record, c) is not None}
        form = form_data(entity, record)
        db.session.delete(record)
        db.session.commit()
    return body, form


def own_record(app, target) -> int:
    """A record of `target` in the Clerk's scope (he registered it)."""
    with app.app_context():
        record = make(db.session, target.model, created_by="clerk")
        db.session.commit()
        return record.id


def children(app, entity, column: str, pk: int) -> int:
    """Rows of `entity` whose `column` points at `pk`."""
    with app.app_context():
        return db.session.query(entity.model).filter(getattr(entity.model, column) == pk).count()


def rows(app, entity) -> int:
    with app.app_context():
        return db.session.query(entity.model).count()


def reachable(client, headers, target, pk) -> int:
    return client.get(f"/api/v1/{target.slug}/{pk}", headers=headers).status_code


# --- 1 and 2: no child under another unit's record, no choice offering one --------------------
def select_of(html: str, name: str) -> str:
    found = re.search(rf'<select[^>]*\bid="{re.escape(name)}"[^>]*>.*?</select>', html, re.S)
    return found.group(0) if found else ""


def label_of(app, target, pk: int) -> str:
    with app.app_context():
        return str(db.session.get(target.model, pk))


def offers(web, select: str, foreign: int, label: str) -> bool:
    """Whether the drop-down `select` (its HTML) offers `foreign`: among its options, or — a
    search-as-you-type field (app/screens/pickers.py) — found by its id or by its label."""
    if f'value="{foreign}"' in select:
        return True
    url = re.search(r'data-picker-url="([^"]+)"', select)
    if url is None:
        return False
    url = html.unescape(url.group(1))
    for query in ({"id": str(foreign)}, {"q": label}):
        answer = web.get(f"{url}&{urlencode(query)}")
        assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
        if str(foreign) in [row["id"] for row in answer.get_json()["results"]]:
            return True
    return False


def filter_widgets(html: str) -> dict:
    """{column: html} of the list's filter fields (tests/helpers.py `filter_form`)."""
    return filter_form(html)[1] if "filter_fields" in html else {}


def test_the_filter_widget_is_read_from_the_list(app, clerk_web):
    """The parser above finds the unit drop-down of a list's filters (else the checks
    below would pass on nothing)."""
    widgets = filter_widgets(clerk_web.get("/supervisionitemview/list/").get_data(as_text=True))
    assert 'data-picker-url="' in widgets.get("lead_department", "")


def test_the_check_finds_a_record_offered(app, clerk_web):
    """`offers` finds a unit the Clerk may choose, by its label (else the checks below would
    pass on a field that offers nothing)."""
    page = clerk_web.get("/supervisionitemview/list/").get_data(as_text=True)
    own = test_unit_id(app)
    assert offers(clerk_web, filter_widgets(page)["lead_department"], own, label_of(app, REGISTRY[Department], own))


def api_child(app, client, headers, link, foreign, body) -> Optional[int]:
    """POST of a new child linked to `foreign`: refused, nothing written, the parent still
    out of reach. Then the same body with the link he may use: the id it was saved under
    (None where the Clerk may not add at all)."""
    entity, rel, target = link
    column = column_of(rel)
    answer = client.post(f"/api/v1/{entity.slug}/", json={**body, column: foreign}, headers=headers)
    text = answer.get_data(as_text=True)
    assert answer.status_code in (403, 404, 422), text[:300]
    if answer.status_code == 422:
        assert "no such record among those you may use" in text, text[:300]
    assert children(app, entity, column, foreign) == 0
    assert reachable(client, headers, target, foreign) == 404
    # the same body without the foreign link (a required link keeps the template's own
    # parent, which he may use) is saved: the refusal was the link's
    control = client.post(f"/api/v1/{entity.slug}/", json=body, headers=headers)
    assert control.status_code == (403 if answer.status_code == 403 else 201), control.get_data(as_text=True)[:300]
    return control.json["id"] if control.status_code == 201 else None


def form_child(app, web, link, foreign, form) -> bool:
    """The add form: does not offer `foreign`, refuses it when posted anyway, writes
    nothing. False where the Clerk has no add form."""
    entity, rel, target = link
    url = f"/{entity.name.lower()}view/add"
    page = web.get(url)
    if page.status_code != 200:
        return False
    assert not offers(web, select_of(page.get_data(as_text=True), rel.key), foreign, label_of(app, target, foreign))
    before = rows(app, entity)
    answer = web.post(url, data={**form, rel.key: str(foreign)})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and ("Not a valid choice" in text or "This field is required" in text)
    assert rows(app, entity) == before and children(app, entity, column_of(rel), foreign) == 0
    assert web.get(f"/{target.name.lower()}view/show/{foreign}").status_code == 404
    return True


@pytest.mark.parametrize("link", LINKS, ids=_ids)
def test_no_link_reaches_another_units_record(app, clerk_api, clerk_web, foreign_of, link):
    entity, rel, target = link
    column = column_of(rel)
    foreign = foreign_of(target)
    body, form = template(app, entity)
    client, headers = clerk_api
    own = api_child(app, client, headers, link, foreign, body) if link in API_LINKS else None
    if link in FORM_LINKS:
        form_child(app, clerk_web, link, foreign, form)
    base = f"/{entity.name.lower()}view"
    page = clerk_web.get(f"{base}/edit/{own or own_record(app, entity)}")
    if page.status_code == 200:
        assert not offers(clerk_web, select_of(page.get_data(as_text=True), rel.key), foreign,
                          label_of(app, target, foreign)), "edit form"
    listing = clerk_web.get(f"{base}/list/")
    assert listing.status_code == 200
    assert not offers(clerk_web, filter_widgets(listing.get_data(as_text=True)).get(rel.key, ""), foreign,
                      label_of(app, target, foreign)), "filter"
    info = client.get(f"/api/v1/{entity.slug}/_info", headers=headers,
                      query_string={"q": "(keys:!(add_columns,edit_columns))"})
    assert info.status_code == 200
    for key in ("add_columns", "edit_columns"):
        for field in info.json.get(key, []):
            if field.get("name") in (column, rel.key):
                assert foreign not in [v.get("id") for v in field.get("values", [])], key


# --- 5. a co-handling child in the Trash takes the access away ---------------------------------
def _co_handling_paths():
    """(entity, child relation, child's back link, child's unit link) for every scope path
    that reaches a unit through a child record."""
    out = []
    for entity in WORKED:
        mapper = sa_inspect(entity.model)
        for path in paths_of(entity, REGISTRY):
            steps = path.split(".")
            if len(steps) != 2 or not mapper.relationships[steps[0]].uselist:
                continue
            rel = mapper.relationships[steps[0]]
            child = rel.mapper.class_
            back = next((r.key for r in sa_inspect(child).relationships if r.direction.name == "MANYTOONE"
                         and r.mapper.class_ is entity.model and set(r.local_columns) == set(rel.remote_side)), None)
            if back is not None and hasattr(child, "is_deleted"):
                out.append((entity, rel.key, back, steps[1]))
    return out


CO_HANDLING = _co_handling_paths()


def test_some_parent_is_co_handled_through_children():
    assert any(e.name == "SupervisionItem" and child == "assignments" for e, child, _b, _u in CO_HANDLING)


@pytest.mark.parametrize("path", CO_HANDLING, ids=lambda p: f"{p[0].name}.{p[1]}.{p[3]}")
def test_a_trashed_co_handling_child_no_longer_opens_its_parent(app, clerk_api, path):
    entity, _children_key, back, unit_link = path
    foreign, _version = _foreign_record(app, entity)
    client, headers = clerk_api
    with app.app_context():
        child_model = getattr(entity.model, _children_key).property.mapper.class_
        child = make(db.session, child_model, **{back: db.session.get(entity.model, foreign),
                                                 unit_link: db.session.get(Department, test_unit_id(app))})
        db.session.flush()
        # the parent stays led by the other unit (a lead assignment copies its unit onto the
        # item): only the child brings it into the Clerk's scope
        direct = [p for p in paths_of(entity, REGISTRY) if not sa_inspect(entity.model).relationships[
            p.split(".")[0]].uselist]
        _move_to(db.session.get(entity.model, foreign), direct, make(db.session, Department, parent_id=None),
                 db.session)
        db.session.commit()
        child_id = child.id
    assert reachable(client, headers, entity, foreign) == 200        # his unit co-handles it
    with app.app_context():
        db.session.get(child_model, child_id).is_deleted = True
        db.session.commit()
    assert reachable(client, headers, entity, foreign) == 404
    listed = client.get(f"/api/v1/{entity.slug}/", headers=headers,
                        query_string={"q": f"(filters:!((col:id,opr:eq,value:{foreign})))"}).json
    assert listed.get("count", 0) == 0


def test_a_trashed_lead_assignment_takes_its_unit_off_the_item(app, clerk_api):
    """The item keeps a copy of its lead unit (牵头单位, shown in the ledger); once the lead
    assignment that gave it is in the Trash, the copy goes too, and with it the access."""
    from models.supervision import SupervisionAssignment, SupervisionItem

    foreign, _version = _foreign_record(app, REGISTRY[SupervisionItem])
    mine = test_unit_id(app)
    client, headers = clerk_api
    with app.app_context():
        item = db.session.get(SupervisionItem, foreign)
        for old in item.assignments:
            old.is_deleted = True
        lead = make(db.session, SupervisionAssignment, item=item, role="ZHUBAN",
                    department=db.session.get(Department, mine))
        db.session.commit()
        assert item.lead_department_id == mine
        lead_id = lead.id
    assert reachable(client, headers, REGISTRY[SupervisionItem], foreign) == 200
    admin = app.test_client()
    answer = admin.delete(f"/api/v1/supervision_assignment/{lead_id}", headers=api_headers(admin, "admin", "en"))
    assert answer.status_code == 200, answer.json
    with app.app_context():
        assert db.session.get(SupervisionItem, foreign).lead_department_id is None
    assert reachable(client, headers, REGISTRY[SupervisionItem], foreign) == 404


# --- a child without a unit of its own is its parent's ------------------------------------------
UNITLESS = [p for p in CO_HANDLING
            if next(iter(sa_inspect(getattr(p[0].model, p[1]).property.mapper.class_)
                         .relationships[p[3]].local_columns)).nullable]


def test_some_child_may_be_without_a_unit():
    assert any(e.name == "Document" and child == "steps" for e, child, _b, _u in UNITLESS)


@pytest.mark.parametrize("path", UNITLESS, ids=lambda p: f"{p[0].name}.{p[1]}.{p[3]}")
def test_a_unitless_child_follows_its_parent_and_cannot_be_moved_to_open_it(app, clerk_api, path):
    """A document's step or recipient not yet given a unit is seen by whoever sees the
    document, not by every unit; and one the Clerk registered himself (so he sees it) cannot
    be moved to his unit to open someone else's document."""
    entity, children_key, back, unit_link = path
    foreign, _version = _foreign_record(app, entity)
    client, headers = clerk_api
    child_model = getattr(entity.model, children_key).property.mapper.class_
    child_entity = REGISTRY[child_model]
    with app.app_context():
        child = make(db.session, child_model, **{back: db.session.get(entity.model, foreign), unit_link: None})
        db.session.commit()
        child_id = child.id
    url = f"/api/v1/{child_entity.slug}/{child_id}"
    assert client.get(url, headers=headers).status_code == 404
    assert reachable(client, headers, entity, foreign) == 404
    with app.app_context():
        db.session.get(child_model, child_id).created_by = "clerk"      # he registered it
        db.session.commit()
    seen = client.get(url, headers=headers)
    assert seen.status_code == 200
    column = next(iter(sa_inspect(child_model).relationships[unit_link].local_columns)).key
    body = {column: test_unit_id(app), "row_version": seen.json["result"]["row_version"]}
    answer = client.put(url, json=body, headers=headers)
    assert answer.status_code in (403, 422), answer.get_data(as_text=True)[:300]
    assert reachable(client, headers, entity, foreign) == 404
    with app.app_context():
        assert getattr(db.session.get(child_model, child_id), column) is None
