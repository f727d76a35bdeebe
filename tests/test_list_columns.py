"""The column chooser of every list (app/screens/columns.py): a user picks the columns and
their order, the list keeps them for him alone, and a masked column stays masked."""
from __future__ import annotations

import html
import re
import uuid

import pytest
from flask import url_for
from flask_babel import force_locale

import views  # noqa: F401  (registers every entity)
from app.extensions import db
from app.masking import mask_value
from app.registered_views import view_of
from app.registry.spec import REGISTRY
from app.screens import columns
from models.documents import Document
from models.org import Personnel
from models.saved_views import ListColumnChoice
from tests.factories import make
from tests.pages import list_headers

ENTITIES = sorted(REGISTRY.values(), key=lambda e: e.name)


def sortable_headers(page: str) -> list[str]:
    head = re.search(r"<thead>(.*?)</thead>", page, re.S).group(1)
    return [html.unescape(t).strip() for t in re.findall(r"<th[^>]*><a [^>]*>([^<]+)", head)]


def labels_in(app, entity, lang: str = "zh") -> dict[str, str]:
    """{column: its header} of the entity's list in `lang`, for every column it offers."""
    with app.test_request_context(), force_locale("zh_Hans_CN" if lang == "zh" else "en"):
        view = view_of(entity)
        return {c: str(view.label_columns[c]) for c in columns.choosable(view)}


@pytest.fixture()
def a_document(app) -> None:
    """A document the clerk sees: a list without rows draws no table to read headers from."""
    with app.app_context():
        make(db.session, Document, title=f"选列{uuid.uuid4().hex[:6]}", created_by="clerk")
        db.session.commit()


def _list_url(app, entity) -> str:
    with app.test_request_context():
        return url_for(f"{view_of(entity).endpoint}.list")


def _view(app, entity):
    with app.app_context():
        return view_of(entity)


@pytest.mark.parametrize("entity", ENTITIES, ids=lambda e: e.name)
def test_every_list_shows_every_column_it_offers(app, as_role, entity):
    """Each list draws any column its chooser offers — lookups, relations, dates, computed
    lights — with a record in it, and sorts by each such column of its own table."""
    with app.app_context():
        make(db.session, entity.model)
        db.session.commit()
        view = view_of(entity)
        offered = columns.choosable(view)
        sortable = [c for c in columns.sortable(view, offered) if c in offered]
    labels = [labels_in(app, entity)[c] for c in offered]
    admin = as_role("admin", "zh")
    url = _list_url(app, entity)
    answer = admin.get(f"{url}?_cols={','.join(offered)}")
    assert answer.status_code == 200, entity.name
    page = answer.get_data(as_text=True)
    assert list_headers(page) == labels
    assert re.search(r'<td class="office-col-actions">', page), "the record is listed"
    model_view = type(view).__name__
    for name in sortable:                      # one direction: a sort that fails, fails both ways
        answer = admin.get(f"{url}?_cols={','.join(offered)}&_oc_{model_view}={name}&_od_{model_view}=desc")
        assert answer.status_code == 200, (entity.name, name)


def test_a_user_chooses_columns_and_their_order_and_keeps_them(app, as_role):
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        make(db.session, Document, title=f"选列测试{tag}")
        db.session.commit()
        view = view_of(REGISTRY[Document])
        own = list(view.list_columns)
        extra = next(c for c in columns.choosable(view) if c not in own)
    label = labels_in(app, REGISTRY[Document])
    clerk = as_role("clerk", "zh")
    chosen = [extra, "title"]
    answer = clerk.post("/documentview/columns/",
                        data={"col": chosen + ["no_such_column"], "query": f"_flt_0_title={tag}"})
    assert answer.status_code == 302 and answer.location.endswith(f"/documentview/list/?_flt_0_title={tag}")
    page = clerk.get(answer.location).get_data(as_text=True)
    assert list_headers(page) == [label[extra], label["title"]]
    assert f"选列测试{tag}" in page
    # kept for him on his next visit, and only for him
    assert list_headers(clerk.get("/documentview/list/").get_data(as_text=True)) == [label[extra], label["title"]]
    manager = as_role("manager", "zh")
    assert list_headers(manager.get("/documentview/list/").get_data(as_text=True)) == [label[c] for c in own]
    # the chooser lists the chosen first, ticked, in their order
    page = clerk.get("/documentview/list/").get_data(as_text=True)
    ticked = re.findall(r'<input type="checkbox" name="col" value="(\w+)" checked>', page)
    assert ticked == chosen
    # and "the list's own" forgets the choice
    clerk.post("/documentview/columns/", data={"reset": "1", "query": ""})
    assert list_headers(clerk.get("/documentview/list/").get_data(as_text=True)) == [label[c] for c in own]


@pytest.mark.parametrize("lang, message", [("zh", "请至少选择一列"), ("en", "Choose at least one column")])
def test_choosing_no_column_changes_nothing(app, as_role, a_document, lang, message):
    clerk = as_role("clerk", lang)
    clerk.post("/documentview/columns/", data={"col": ["title"], "query": ""})
    answer = clerk.post("/documentview/columns/", data={"col": ["no_such_column"], "query": ""}, follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert message in page
    assert list_headers(page) == [labels_in(app, REGISTRY[Document], lang)["title"]]


def test_the_address_names_columns_without_changing_the_kept_choice(app, as_role, a_document):
    clerk = as_role("clerk", "en")
    label = labels_in(app, REGISTRY[Document], "en")
    with app.app_context():
        own = list(view_of(REGISTRY[Document]).list_columns)
    page = clerk.get("/documentview/list/?_cols=doc_no,title,bogus").get_data(as_text=True)
    assert list_headers(page) == [label["doc_no"], label["title"]]
    # the filter form keeps them when a filter changes
    assert '<input type="hidden" name="_cols" value="doc_no,title,bogus">' in page
    assert list_headers(clerk.get("/documentview/list/").get_data(as_text=True)) == [label[c] for c in own]
    # nothing known in the address: the list's own
    assert list_headers(clerk.get("/documentview/list/?_cols=bogus").get_data(as_text=True)) == [label[c] for c in own]


def test_a_masked_column_reads_masked_and_does_not_sort(app, as_role):
    tag = uuid.uuid4().hex[:4]
    with app.app_context():
        make(db.session, Personnel, name=f"选列{tag}", mobile="13912345678")
        db.session.commit()
    clerk = as_role("clerk", "zh")
    url = f"/personnelview/list/?_flt_0_name=选列{tag}&_cols=name,mobile"
    page = clerk.get(url).get_data(as_text=True)
    assert list_headers(page) == ["姓名", "手机"]
    assert "13912345678" not in page and f"<td>{mask_value('13912345678', 'phone')}</td>" in page
    assert sortable_headers(page) == ["姓名"]
    # a sort by it in the address is ignored, not obeyed
    assert clerk.get(url + "&_oc_PersonnelView=mobile&_od_PersonnelView=asc").status_code == 200


def test_choosing_columns_needs_the_right_to_read_the_list(app, as_role):
    """A user who may not read a list cannot keep columns for it."""
    with app.app_context():
        sm = app.appbuilder.sm
        viewer = sm.find_user("viewer")
        hidden = next((e for e in ENTITIES
                       if not any(p.permission.name == "can_read" and p.view_menu.name == e.name
                                  for r in viewer.roles for p in r.permissions)), None)
        if hidden is None:
            pytest.skip("Viewer reads every list")
    with app.test_request_context():
        url = url_for(f"{view_of(hidden).endpoint}.choose_columns")
    answer = as_role("viewer", "en").post(url, data={"col": ["id"], "query": ""})
    assert answer.status_code in (302, 403)
    with app.app_context():
        assert db.session.query(ListColumnChoice).filter_by(entity=hidden.name).count() == 0


def test_a_list_sorts_by_a_unit_in_its_official_order(app, as_role):
    """A column holding a unit sorts by the units' order, as the office lists them."""
    from models.disputes import Dispute
    from models.org import Department

    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        first = make(db.session, Department, name_zh=f"排序乙{tag}", sort_order=1)
        second = make(db.session, Department, name_zh=f"排序甲{tag}", sort_order=2)
        for unit in (second, first):
            make(db.session, Dispute, title=f"排序争议{tag}-{unit.name_zh}", raised_by=unit)
        db.session.commit()
    leader = as_role("leader", "zh")
    for way, expected in (("asc", ["乙", "甲"]), ("desc", ["甲", "乙"])):
        page = leader.get(f"/disputeview/list/?_flt_0_title=排序争议{tag}&_oc_DisputeView=raised_by"
                          f"&_od_DisputeView={way}").get_data(as_text=True)
        assert re.findall(rf"排序争议{tag}-排序(.)", page) == expected
