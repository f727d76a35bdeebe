"""The global search (app/search), from the top bar's box as users meet it: two-character
Chinese words, document numbers with or without brackets, names by pinyin initials; only
records the user may see; an index kept by every save, trash, restore and import, in the
save's transaction; `flask search-reindex`."""
from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import text

from app.extensions import db
from app.registry.spec import REGISTRY
from app.search.index import TABLE, fields_of
from app.search.keep import searchable
from app.search.words import document, index_words, initials, query_words
from models.documents import Document
from models.org import Department, Personnel
from tests.factories import make
from tests.test_scope import _foreign_record


def _uid() -> str:
    return uuid.uuid4().hex[:6]


def _found(client, query: str) -> str:
    answer = client.get("/search/", query_string={"q": query})
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    return answer.get_data(as_text=True)


def _links(page: str, view: str) -> set[int]:
    return {int(pk) for pk in re.findall(rf'href="/{view}/show/(\d+)"', page)}


# --- words: what the index keeps and what a query asks ----------------------------------------------
def test_chinese_runs_become_pairs_and_brackets_are_spaces():
    assert index_words("城镇燃气") == ["城镇", "镇燃", "燃气"]
    assert index_words("厦府办〔2026〕12号") == index_words("厦府办 2026 12 号") == ["厦府", "府办", "2026", "12", "号"]
    assert query_words("燃气") == [("燃气", False)]
    assert query_words("燃") == [("燃", True)]
    assert query_words("wxm") == [("wxm", True)]
    assert query_words("厦府办〔2026〕12号") == [("厦府", False), ("府办", False), ("2026", False), ("12", False)]
    assert query_words("12") == [("12", False)]                  # a number is exact: 12 is not 120
    assert initials("王小明") == "wxm" and initials("Smith") == ""
    assert document(["关于燃气"], ["王小明"]).split() == ["关于", "于燃", "燃气", "wxm"]


def test_no_two_entities_share_a_range_of_index_keys():
    """An index row's key holds 20 bits of its entity's name: two entities with the same bits
    would read each other's records as theirs."""
    from app.search.index import key_of

    codes = {key_of(entity.name, 0) >> 32 for entity in REGISTRY.values()}
    assert len(codes) == len(REGISTRY)


def test_no_sensitive_or_secret_column_is_ever_indexed():
    from app.registry.introspect import is_sensitive

    for entity in REGISTRY.values():
        for name in fields_of(entity):
            assert not is_sensitive(entity.model, name), f"{entity.name}.{name}"


# --- finding ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def admin(app):
    from tests.conftest import login

    return login(app.test_client(), "admin", lang="zh")


def test_a_two_character_word_finds_a_document_and_is_marked(app, admin):
    tag = _uid()
    with app.app_context():
        pk = make(db.session, Document, title=f"关于加强城镇燃气安全管理的通知{tag}").id
        db.session.commit()
    page = _found(admin, f"燃气 {tag}")
    assert pk in _links(page, "documentview")
    assert "<mark>燃气</mark>" in page
    assert pk in _links(_found(admin, f"燃气安全 {tag}"), "documentview")
    assert pk not in _links(_found(admin, f"燃气管理处 {tag}"), "documentview")   # 气管 is not in the title


def test_a_document_number_is_found_with_or_without_brackets(app, admin):
    with app.app_context():
        year = 2000 + int(_uid()[:3], 16) % 90
        doc = make(db.session, Document, direction="OUTGOING", title="编号查找测试", doc_no_prefix="厦府办",
                   doc_no_year=year, doc_no_seq=12)
        db.session.commit()
        pk = doc.id
    for query in (f"厦府办〔{year}〕12号", f"厦府办{year} 12", f"厦府办 {year} 12号"):
        assert pk in _links(_found(admin, query), "documentview"), query


def test_a_person_is_found_by_pinyin_initials(app, admin):
    tag = _uid()
    with app.app_context():
        pk = make(db.session, Personnel, name="王小明", remark=f"拼音测试{tag}").id
        db.session.commit()
    assert pk in _links(_found(admin, f"wxm {tag}"), "personnelview")
    assert pk in _links(_found(admin, f"WXM {tag}"), "personnelview")


def test_a_clerk_never_finds_another_units_record(app, as_role):
    entity = REGISTRY[Document]
    pk, _version = _foreign_record(app, entity)
    with app.app_context():
        record = db.session.get(Document, pk)
        record.title = f"外单位保密检索测试{_uid()}"
        db.session.commit()
        title = record.title
    assert pk in _links(_found(as_role("leader", "zh"), title), "documentview")       # it is indexed
    assert pk not in _links(_found(as_role("clerk", "zh"), title), "documentview")


# --- the index kept by the lifecycle --------------------------------------------------------------------
def test_edit_trash_restore_and_delete_keep_the_index(app, admin):
    old, new = f"旧标题{_uid()}", f"新标题{_uid()}"
    with app.app_context():
        pk = make(db.session, Document, title=old).id
        db.session.commit()
    assert pk in _links(_found(admin, old), "documentview")
    with app.app_context():
        db.session.get(Document, pk).title = new
        db.session.commit()
    assert pk not in _links(_found(admin, old), "documentview")
    assert pk in _links(_found(admin, new), "documentview")
    with app.app_context():
        db.session.get(Document, pk).is_deleted = True
        db.session.commit()
    assert pk not in _links(_found(admin, new), "documentview")
    with app.app_context():
        db.session.get(Document, pk).is_deleted = False
        db.session.commit()
    assert pk in _links(_found(admin, new), "documentview")
    with app.app_context():
        db.session.delete(db.session.get(Document, pk))
        db.session.commit()
        rows = db.session.execute(text(f"SELECT count(*) FROM {TABLE} WHERE record_id = :pk AND entity = 'Document'"),
                                  {"pk": pk}).scalar()
    assert rows == 0


def test_a_rolled_back_save_leaves_the_index_as_it_was(app, admin):
    word = f"回滚测试{_uid()}"
    with app.app_context():
        make(db.session, Document, title=word)
        db.session.flush()
        db.session.rollback()
    assert "documentview/show" not in _found(admin, word)


def test_a_bulk_import_is_indexed(app):
    """The importer's bulk path (app/lifecycle/bulk.py) indexes the rows it inserts."""
    from app.lifecycle.bulk import insert_many

    entity = REGISTRY[Department]
    tag = _uid()
    with app.test_request_context():
        insert_many(entity, [{"name_zh": f"批量导入单位{tag}{n}", "unit_type": "MUNI_DEPT"} for n in range(3)],
                    db.session)
        db.session.commit()
        found = db.session.execute(text(f"SELECT count(*) FROM {TABLE} WHERE entity = 'Department' AND body LIKE :w"),
                                   {"w": f"%{tag}%"}).scalar()
    assert found == 3 or not searchable(entity)


def test_reindex_rebuilds_what_was_lost(app, admin):
    word = f"重建索引{_uid()}"
    with app.app_context():
        pk = make(db.session, Document, title=word).id
        db.session.commit()
        db.session.execute(text(f"DELETE FROM {TABLE} WHERE entity = 'Document'"))
        db.session.commit()
    assert pk not in _links(_found(admin, word), "documentview")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search-reindex", "--entity", "Document"])
    assert result.exit_code == 0, result.output
    assert "Document" in result.output
    assert pk in _links(_found(admin, word), "documentview")
    refused = runner.invoke(args=["search-reindex", "--entity", "NoSuchThing"])
    assert refused.exit_code != 0 and "NoSuchThing" in refused.output


# --- the page -------------------------------------------------------------------------------------------
def test_the_top_bar_has_the_box_and_empty_or_wordless_queries_say_so(app, as_role):
    page = as_role("clerk", "en").get("/").get_data(as_text=True)
    assert 'id="office-search-box"' in page and 'action="/search/"' in page
    assert "Type a word you remember" in _found(as_role("clerk", "en"), "")
    assert "Type letters, digits or Chinese characters" in _found(as_role("clerk", "en"), "〔〕!!")
    assert "No record you may see holds" in _found(as_role("clerk", "en"), f"zzqq{_uid()}")
    assert "没有包含" in _found(as_role("clerk", "zh"), f"zzqq{_uid()}")


def test_signed_out_users_are_sent_to_sign_in(app):
    answer = app.test_client().get("/search/?q=燃气")
    assert answer.status_code == 302 and "login" in answer.headers["Location"]
