"""Search-as-you-type relation fields (app/screens/pickers.py), over every relation field of
every registered form: no add form carries a related table, typing a record's label as it
reads finds it, results come a page at a time, a form's narrowing and the user's rights
hold, and a bad request changes nothing and says so.

Scope (a Clerk never finds another unit's record, by label or by id) is checked for every
scoped relation in tests/test_scope_registry.py.
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from flask_appbuilder.models.sqla.filters import FilterEqual

import views  # noqa: F401  (registers every entity)
from app.extensions import db
from app.registry.introspect import is_sensitive, relationship_of
from app.registry.labels import label_columns
from app.registry.spec import REGISTRY
from app.screens.pickers import PAGE
from models.hotline import HotlineCase
from models.meetings import Meeting
from models.org import Department
from tests.factories import make
from tests.helpers import filter_form

ENTITIES = sorted(REGISTRY.values(), key=lambda e: e.name)

#: (entity, relation field) of every add and edit form.
FIELDS = [(entity, name) for entity in ENTITIES for name in entity.form_fields
          if relationship_of(entity.model, name) is not None and not relationship_of(entity.model, name).uselist]


def _ids(pair) -> str:
    return f"{pair[0].name}.{pair[1]}"


def _base(entity) -> str:
    return f"/{entity.name.lower()}view"


def _choices(client, entity, name: str, form: str = "add", **query):
    url = f"{_base(entity)}/choices/{name}?{urlencode({'form': form, **query})}"
    return client.get(url)


@pytest.fixture(scope="module")
def admin(app):
    from tests.conftest import login

    return login(app.test_client(), "admin", lang="zh")


def _narrowing(entity, name: str) -> dict:
    """The values a form's narrowing (`add_form_query_rel_fields`) asks of the field's records."""
    declared = (entity.view_attrs.get("add_form_query_rel_fields") or {}).get(name, [])
    return {column: value for column, kind, value in declared if kind is FilterEqual}


def test_there_are_relation_fields_to_check():
    assert len(FIELDS) > 100


@pytest.mark.parametrize("entity", [e for e in ENTITIES if any(f[0] is e for f in FIELDS)], ids=lambda e: e.name)
def test_no_add_form_carries_a_related_table(app, admin, entity):
    """Each relation field of the add form is a search-as-you-type field holding at most its
    blank choice and its default: the page does not grow with the related tables."""
    page = admin.get(f"{_base(entity)}/add")
    if page.status_code != 200:
        pytest.skip("no add form for this entity")
    text = page.get_data(as_text=True)
    for entity_, name in FIELDS:
        if entity_ is not entity:
            continue
        found = re.search(rf'<select[^>]*\bname="{name}"[^>]*>.*?</select>', text, re.S)
        if found is None:
            continue                     # not on the add form (a later step's field)
        assert "office-picker" in found.group(0) and "data-picker-url=" in found.group(0), name
        assert found.group(0).count("<option") <= 2, name


@pytest.mark.parametrize("pair", FIELDS, ids=_ids)
def test_typing_a_records_label_as_it_reads_finds_it(app, admin, pair):
    """What a user sees in the drop-down, typed back into it, finds that record: every
    target's label columns (`__label_columns__`) cover what its label shows."""
    entity, name = pair
    target = relationship_of(entity.model, name).mapper.class_
    with app.app_context():
        record = make(db.session, target, **_narrowing(entity, name))
        db.session.commit()
        pk, label = record.id, str(record)
    assert label.strip(), f"{target.__name__} makes an empty label"
    found, page = [], 1
    while True:                       # scrolling down the list, as a user would among equal labels
        answer = _choices(admin, entity, name, q=label, page=page)
        assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
        found += [row["id"] for row in answer.get_json()["results"]]
        if str(pk) in found or not answer.get_json()["pagination"]["more"]:
            break
        page += 1
    assert str(pk) in found, f"{label!r} not found"
    by_id = _choices(admin, entity, name, id=str(pk)).get_json()["results"]
    assert by_id == [{"id": str(pk), "text": label}]


def test_results_come_a_page_at_a_time_without_repeats(app, admin):
    with app.app_context():
        made = [make(db.session, Department, name_zh=f"翻页测试单位{n:02d}", unit_type="MUNI_DEPT").id
                for n in range(PAGE + 5)]
        db.session.commit()
    entity = REGISTRY[next(m for m in REGISTRY if m.__name__ == "Personnel")]
    first = _choices(admin, entity, "department", q="翻页测试单位").get_json()
    second = _choices(admin, entity, "department", q="翻页测试单位", page=2).get_json()
    assert len(first["results"]) == PAGE and first["pagination"]["more"] is True
    assert len(second["results"]) == 5 and second["pagination"]["more"] is False
    found = [row["id"] for row in first["results"] + second["results"]]
    assert sorted(found) == sorted(str(pk) for pk in made)


def test_every_word_must_match_and_wildcards_are_plain_text(app, admin):
    with app.app_context():
        both = make(db.session, Department, name_zh="词语甲乙联合单位", unit_type="MUNI_DEPT").id
        one = make(db.session, Department, name_zh="词语甲单独单位", unit_type="MUNI_DEPT").id
        db.session.commit()
    entity = REGISTRY[next(m for m in REGISTRY if m.__name__ == "Personnel")]
    found = [r["id"] for r in _choices(admin, entity, "department", q="词语甲 乙联合").get_json()["results"]]
    assert found == [str(both)]
    found = {r["id"] for r in _choices(admin, entity, "department", q="词语甲").get_json()["results"]}
    assert {str(both), str(one)} <= found
    assert _choices(admin, entity, "department", q="词语%单位").get_json()["results"] == []
    assert _choices(admin, entity, "department", q="词语_单独").get_json()["results"] == []


def test_a_units_english_name_finds_it_and_shows_in_english(app, as_role):
    with app.app_context():
        pk = make(db.session, Department, name_zh="英文名测试局", name_en="Bureau of Picker Tests",
                  unit_type="MUNI_DEPT").id
        db.session.commit()
    entity = REGISTRY[next(m for m in REGISTRY if m.__name__ == "Personnel")]
    rows = _choices(as_role("admin", "en"), entity, "department", q="picker tests").get_json()["results"]
    assert rows == [{"id": str(pk), "text": "Bureau of Picker Tests"}]


def test_a_forms_narrowing_holds_when_typing_and_when_saving(app, admin):
    """An approval step's meeting is an executive meeting (常务会议): another meeting is neither
    found by its title nor by its id, and posting its id anyway is refused."""
    entity = next(e for e in ENTITIES if e.name == "DistrictRequestApproval")
    with app.app_context():
        other = make(db.session, Meeting, title="非常务会议筛选测试", meeting_type="ZHUANTI").id
        executive = make(db.session, Meeting, title="常务会议筛选测试", meeting_type="CHANGWU").id
        db.session.commit()
    found = [r["id"] for r in _choices(admin, entity, "meeting", q="会议筛选测试").get_json()["results"]]
    assert found == [str(executive)]
    assert _choices(admin, entity, "meeting", id=str(other)).get_json()["results"] == []


def test_unknown_fields_and_forms_are_not_found(app, admin):
    entity = next(e for e in ENTITIES if e.name == "Personnel")
    assert _choices(admin, entity, "no_such_field").status_code == 404
    assert _choices(admin, entity, "name").status_code == 404          # a column, not a relation
    assert _choices(admin, entity, "department", form="other").status_code == 404
    answer = _choices(admin, entity, "department", page="x", q="")
    assert answer.status_code == 200 and answer.get_json()["results"]   # a bad page number is the first


def test_a_user_who_may_not_read_the_entity_gets_no_choices(app, as_role):
    """Choices are a read of the entity: a role without it is refused, as its list is."""
    viewer = as_role("viewer", "en")
    for entity in ENTITIES:
        if viewer.get(f"{_base(entity)}/list/").status_code in (302, 403):
            name = next(n for e, n in FIELDS if e is entity) if any(e is entity for e, _ in FIELDS) else None
            if name is None:
                continue
            assert _choices(viewer, entity, name).status_code in (302, 403)
            return
    pytest.skip("the viewer reads every entity with a relation field")


def test_no_label_searches_a_sensitive_column():
    """A drop-down never answers questions about data a user may see masked (docs/domain.md §9)."""
    for model in REGISTRY:
        for name in label_columns(model):
            assert callable(name) or not is_sensitive(model, name), f"{model.__name__}.{name}"


def test_the_filter_of_a_growing_table_is_back_and_cheap(app, admin):
    """A list filter on a relation to a table that grows (the supervision item of a hotline
    case; it once embedded every item in the list page) is offered again: a search-as-you-
    type field, holding no record in the page."""
    from app.dashboard.links import view_of

    with app.app_context():
        view = view_of(REGISTRY[HotlineCase])
        assert {"supervision_item", "handler_department"} <= set(view.search_columns)
    page = admin.get("/hotlinecaseview/list/").get_data(as_text=True)
    fields = filter_form(page)[1]
    for name in ("supervision_item", "handler_department"):
        assert "data-picker-url=" in fields[name] and fields[name].count("<option") <= 1, name


def test_a_parent_set_from_the_address_is_checked_like_a_chosen_one(app, as_role):
    """A child's add form opened from its parent's tab carries the parent in the address
    (`?_flt_0_document=…`), not in the form: another unit's document put there is refused
    as a chosen one would be, and nothing is written; the Clerk's own document is taken."""
    from models.documents import Document, DocumentRecipient
    from tests.helpers import valid_form
    from tests.test_scope import _foreign_record

    foreign, _version = _foreign_record(app, REGISTRY[Document])
    with app.app_context():
        own = make(db.session, Document, created_by="clerk").id
        db.session.commit()
    clerk = as_role("clerk", "en")

    def added(document: int) -> int:
        form = {k: v for k, v in valid_form(app, DocumentRecipient).items() if k != "document"}
        clerk.post(f"/documentrecipientview/add?_flt_0_document={document}", data=form)
        with app.app_context():
            return db.session.query(DocumentRecipient).filter_by(document_id=document).count()
    assert added(foreign) == 0
    assert added(own) == 1
