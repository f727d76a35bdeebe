"""Numbering series (编号规则): numbers are never given twice, even to requests that ask at
the same moment; outgoing documents take theirs from the series of their agency prefix,
which an admin adjusts in the console."""
from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy.orm import Session

from app.extensions import db
from models.documents import Document
from models.numbering import NumberingError, NumberSeries, allocate, format_problems, render
from tests.factories import make
from tests.helpers import api_client
from tests.pages import alerts

YEAR = 2026
THREADS = 8


def _key() -> str:
    return f"测{uuid.uuid4().hex[:6]}"


def _allocate_at_once(app, key: str, n: int = THREADS, **kwargs) -> list[int]:
    """`n` threads, each with its own session and connection, allocating together."""
    with app.app_context():
        engine = db.engine
    barrier = threading.Barrier(n)
    numbers, errors = [], []

    def work():
        try:
            with Session(engine) as session:
                barrier.wait()
                number, _text = allocate(session, key, YEAR, **kwargs)
                session.commit()
                numbers.append(number)
        except Exception as error:  # reported below, with the numbers that were given
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return numbers


def _series(app, key: str) -> NumberSeries:
    with app.app_context():
        row = db.session.query(NumberSeries).filter_by(key=key, year=YEAR).one()
        db.session.expunge(row)
        return row


def test_concurrent_allocations_of_a_new_series_get_distinct_consecutive_numbers(app):
    key = _key()
    numbers = _allocate_at_once(app, key)
    assert sorted(numbers) == list(range(1, THREADS + 1))
    assert _series(app, key).next_number == THREADS + 1


def test_concurrent_allocations_continue_an_existing_series(app):
    key = _key()
    with app.app_context():
        db.session.add(NumberSeries(key=key, prefix=key, year=YEAR, next_number=41))
        db.session.commit()
    numbers = _allocate_at_once(app, key)
    assert sorted(numbers) == list(range(41, 41 + THREADS))


def test_a_series_opens_after_the_highest_number_used_and_prints_its_format(app):
    key = _key()
    with app.app_context():
        number, text = allocate(db.session, key, YEAR, start_after=lambda: 17)
        assert (number, text) == (18, f"{key}〔{YEAR}〕18号")
        series = db.session.query(NumberSeries).filter_by(key=key, year=YEAR).one()
        series.format, series.prefix = "{prefix}发〔{year}〕第{number}号", "厦办"
        assert allocate(db.session, key, YEAR) == (19, f"厦办发〔{YEAR}〕第19号")
        db.session.rollback()                               # a rolled-back allocation gives its number back
        assert db.session.query(NumberSeries).filter_by(key=key, year=YEAR).count() == 0


def test_a_switched_off_series_gives_no_number(app):
    key = _key()
    with app.app_context():
        db.session.add(NumberSeries(key=key, prefix=key, year=YEAR, next_number=5, active=False))
        db.session.commit()
        with pytest.raises(NumberingError):
            allocate(db.session, key, YEAR)
        db.session.rollback()
        assert db.session.query(NumberSeries).filter_by(key=key).one().next_number == 5


def test_format_is_checked_and_only_its_placeholders_are_replaced():
    assert format_problems("{prefix}〔{year}〕") and format_problems("{number}{prefix.__class__}")
    assert format_problems("{prefix}〔{year}〕{number}号") == []
    assert render("{prefix}{number.real}{number}", "厦府", YEAR, 3) == "厦府{number.real}3"


# --- outgoing documents ---------------------------------------------------------------------------
def _rechecked(app, prefix: str, **values) -> int:
    with app.app_context():
        doc = make(db.session, Document, direction="OUTGOING", status="RECHECKED", title=f"编号测试{prefix}",
                   signer="王市长", doc_no_prefix=prefix, doc_no_year=YEAR, **values)
        db.session.commit()
        return doc.id


def _number(app, pk: int, lang: str = "en"):
    client, headers = api_client(app, "clerk", lang)
    return client.post(f"/api/v1/document/{pk}/transition/number?_l_={lang}", json={"comment": "编号"},
                       headers=headers)


def test_documents_are_numbered_from_their_series_after_the_numbers_already_used(app):
    prefix = _key()
    with app.app_context():      # numbered before the series existed (imported, typed by hand)
        make(db.session, Document, direction="OUTGOING", status="NUMBERED", title="旧文", signer="王市长",
             doc_no_prefix=prefix, doc_no_year=YEAR, doc_no_seq=7)
        db.session.commit()
    first, second = _rechecked(app, prefix), _rechecked(app, prefix)
    assert _number(app, first).status_code == 200
    assert _number(app, second).status_code == 200
    with app.app_context():
        assert db.session.get(Document, first).doc_no == f"{prefix}〔{YEAR}〕8号"
        assert db.session.get(Document, second).doc_no == f"{prefix}〔{YEAR}〕9号"
    assert _series(app, prefix).next_number == 10


def test_the_admin_sets_the_next_number_in_the_console(app, as_role):
    prefix = _key()
    assert _number(app, _rechecked(app, prefix)).status_code == 200
    series = _series(app, prefix)
    admin = as_role("admin")
    response = admin.post("/console/numbering/ajax/update/", data={"list_form_pk": series.id, "next_number": "100"})
    assert response.status_code == 200
    pk = _rechecked(app, prefix)
    assert _number(app, pk).status_code == 200
    with app.app_context():
        assert db.session.get(Document, pk).doc_no_seq == 100
    listing = admin.get("/console/numbering/").get_data(as_text=True)
    assert f"{prefix}〔{YEAR}〕101号" in listing                     # the next number as printed


def test_a_number_taken_by_hand_is_skipped(app):
    prefix = _key()
    assert _number(app, _rechecked(app, prefix)).status_code == 200            # 1
    with app.app_context():
        make(db.session, Document, direction="OUTGOING", status="NUMBERED", title="手填", signer="王市长",
             doc_no_prefix=prefix, doc_no_year=YEAR, doc_no_seq=2)
        db.session.commit()
    pk = _rechecked(app, prefix)
    assert _number(app, pk).status_code == 200
    with app.app_context():
        assert db.session.get(Document, pk).doc_no_seq == 3


def test_a_switched_off_series_refuses_numbering_with_a_message(app, as_role):
    prefix = _key()
    with app.app_context():
        db.session.add(NumberSeries(key=prefix, prefix=prefix, year=YEAR, next_number=1, active=False))
        db.session.commit()
    pk = _rechecked(app, prefix)
    response = _number(app, pk)
    assert response.status_code == 422 and "switched off" in response.json["message"][0]
    response = _number(app, pk, "zh")
    assert "已停用" in response.json["message"][0]
    with app.app_context():
        doc = db.session.get(Document, pk)
        assert (doc.status, doc.doc_no_seq) == ("RECHECKED", None)


def test_the_console_refuses_a_bad_format_or_a_second_series(app, as_role):
    key = _key()
    admin = as_role("admin", "en")
    page = admin.post("/console/numbering/new/", data={
        "key": key, "prefix": key, "year": str(YEAR), "next_number": "1", "format": "{prefix}〔{year}〕号",
        "active": "y"}, follow_redirects=True).get_data(as_text=True)
    assert any("must contain {number}" in a for a in alerts(page)), alerts(page)
    with app.app_context():
        assert db.session.query(NumberSeries).filter_by(key=key).count() == 0
    data = {"key": key, "prefix": key, "year": str(YEAR), "next_number": "1", "format": "{prefix}〔{year}〕{number}号",
            "active": "y"}
    admin.post("/console/numbering/new/", data=data)
    page = admin.post("/console/numbering/new/", data=data, follow_redirects=True).get_data(as_text=True)
    assert any("exists already" in a for a in alerts(page)), alerts(page)
    with app.app_context():
        assert db.session.query(NumberSeries).filter_by(key=key).count() == 1
