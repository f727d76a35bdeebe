"""Telegram time limits by priority (docs/domain.md §3, `TelegramSLA`): a received telegram is due
by the limit of its priority — 特提 and 特急 in clock hours, 加急 and 平急 in working days of the
work calendar — set when it is registered and again when its priority changes; it is overdue on
the list (light, "Past due") and the dashboard like every deadline, and stops once done. An admin
edits the table; a row without a limit is refused."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

import views  # noqa: F401  (registers every entity)
from app.extensions import db
from app.registry import deadlines
from app.registry.spec import entity_for
from models.documents import Telegram
from models.sla import TelegramSLA
from tests.factories import make
from tests.helpers import api_client, version_of

#: Wednesday 17 June 2026, 10:00: the 端午 holiday (Friday 19 June) and the weekend follow.
RECEIVED = dt.datetime(2026, 6, 17, 10, 0)


def _telegram(app, **values) -> int:
    values = {"direction": "INCOMING", "tele_type": "MINGDIAN", "title": f"明电{uuid.uuid4().hex[:6]}",
              "tele_no": f"TG-{uuid.uuid4().hex[:6]}", "transmitted_at": RECEIVED, **values}
    with app.app_context():
        tele = make(db.session, Telegram, **values)
        db.session.commit()
        return tele.id


def _due(app, pk) -> dt.datetime | None:
    with app.app_context():
        return db.session.get(Telegram, pk).due_at


@pytest.mark.parametrize("priority, due", [
    ("TETI", dt.datetime(2026, 6, 17, 11, 0)),          # 特提: within the hour
    ("TEJI", dt.datetime(2026, 6, 17, 14, 0)),          # 特急: within 4 hours
    ("JIAJI", dt.datetime(2026, 6, 18, 10, 0)),         # 加急: one working day
    ("PINGJI", dt.datetime(2026, 6, 23, 10, 0)),        # 平急: three working days (18, 22, 23: 端午 and a weekend)
])
def test_a_received_telegram_is_due_by_its_priority(app, priority, due):
    assert _due(app, _telegram(app, priority=priority)) == due


def test_a_sent_telegram_has_no_time_limit_and_a_typed_one_is_kept(app):
    assert _due(app, _telegram(app, direction="OUTGOING", priority="TETI")) is None
    typed = dt.datetime(2026, 6, 30, 17, 0)
    assert _due(app, _telegram(app, priority="PINGJI", due_at=typed)) == typed


def test_a_new_priority_moves_the_due_time(app):
    pk = _telegram(app, priority="PINGJI")
    api, headers = api_client(app, "clerk", "en")
    answer = api.put(f"/api/v1/telegram/{pk}", json={"priority": "TETI", "row_version": version_of(app, Telegram, pk)},
                     headers=headers)
    assert answer.status_code == 200, answer.json
    assert _due(app, pk) == dt.datetime(2026, 6, 17, 11, 0)


def test_an_admin_changes_a_limit_and_a_limit_needs_hours_or_days(app):
    with app.app_context():
        db.session.query(TelegramSLA).filter_by(priority="TEJI").update({"hours": 2})
        db.session.commit()
    assert _due(app, _telegram(app, priority="TEJI")) == dt.datetime(2026, 6, 17, 12, 0)
    api, headers = api_client(app, "admin", "en")
    answer = api.post("/api/v1/telegram_sla/", json={"priority": "TETI", "description": "空"}, headers=headers)
    assert answer.status_code == 422
    assert "Give the time limit in hours or in working days." in str(answer.json)
    api, headers = api_client(app, "clerk", "en")
    assert api.get("/api/v1/telegram_sla/", headers=headers).status_code in (401, 403)


def test_an_overdue_telegram_is_red_until_it_is_done(app, as_role):
    pk = _telegram(app, priority="TETI", transmitted_at=dt.datetime(2026, 1, 5, 9, 0))
    entity = entity_for(Telegram)
    with app.app_context():
        tele = db.session.get(Telegram, pk)
        assert deadlines.light(entity, tele) == "RED" and deadlines.overdue_days(entity, tele) > 0
        overdue = [t.id for t in db.session.query(Telegram).filter(deadlines.overdue_condition(entity))]
        assert pk in overdue
    page = as_role("clerk", "en").get("/telegramview/list/").get_data(as_text=True)
    assert "Handle by" in page
    api, headers = api_client(app, "clerk", "en")
    assert api.post(f"/api/v1/telegram/{pk}/transition/finish", json={}, headers=headers).status_code == 200
    with app.app_context():
        tele = db.session.get(Telegram, pk)
        assert deadlines.light(entity, tele) == "GREEN" and deadlines.overdue_days(entity, tele) == 0
        assert pk not in [t.id for t in db.session.query(Telegram).filter(deadlines.overdue_condition(entity))]
