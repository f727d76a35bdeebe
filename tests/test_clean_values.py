"""Values as a clerk means them (app/clean_values.py), and list filters that stay light."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from models.documents import Document
from models.hotline import HotlineCase
from tests.factories import make


def test_two_documents_without_a_receive_number_both_save(db_session):
    """An emptied box was stored as '' and the unique receive number refused the second one."""
    first = make(db_session, Document, receive_no="")
    second = make(db_session, Document, receive_no="  ")
    db_session.commit()
    stored = db_session.execute(select(Document.receive_no).where(Document.id.in_([first.id, second.id]))).all()
    assert stored == [(None,), (None,)]


def test_times_are_kept_to_the_second(db_session):
    """The date-time picker cannot send back microseconds: such a record could never be edited."""
    case = make(db_session, HotlineCase, replied_at=dt.datetime(2026, 11, 3, 9, 30, 15, 123456))
    db_session.commit()
    db_session.expire_all()
    assert db_session.get(HotlineCase, case.id).replied_at == dt.datetime(2026, 11, 3, 9, 30, 15)
