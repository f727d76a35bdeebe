"""The daily e-mail digest: each user's notifications not mailed yet, of the kinds he wants by
mail, in one message in his language — sent only when MAIL_SERVER is configured. The bell's
digest entry (kind DIGEST) is not one of its lines: the message is the digest."""
from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formataddr

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import update

from app.reminders.kinds import APP_ONLY, text_of
from app.reminders.notify import everyone_off
from models.base import now_cn
from models.notifications import Notification


def configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def _send(messages: list[EmailMessage]) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25), timeout=30) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        for message in messages:
            smtp.send_message(message)


def digest(session) -> int:
    """Mail each user his notifications not mailed yet; how many users were mailed."""
    sm = current_app.appbuilder.sm
    waiting = (session.query(Notification).filter(Notification.mailed_at.is_(None), Notification.read_at.is_(None))
               .order_by(Notification.user_id, Notification.created_at).all())
    by_user: dict[int, list[Notification]] = {}
    for note in waiting:
        by_user.setdefault(note.user_id, []).append(note)
    users = {}
    ids = sorted(by_user)
    for start in range(0, len(ids), 900):
        model = sm.user_model
        users.update({u.id: u for u in session.query(model).filter(model.id.in_(ids[start:start + 900]))})
    unwanted = {kind: everyone_off(session, kind, mail=True) for kind in {n.kind for n in waiting}}
    messages, mailed = [], []
    for user_id, notes in by_user.items():
        user = users.get(user_id)
        if user is None or not user.email:
            continue
        shown = [n for n in notes if n.kind not in APP_ONLY and user_id not in unwanted[n.kind]]
        if shown:
            messages.append(_message(user, shown))
        mailed.extend(notes)
    if messages:
        _send(messages)
    stamp = now_cn()
    ids = [note.id for note in mailed]
    for start in range(0, len(ids), 900):
        session.execute(update(Notification).where(Notification.id.in_(ids[start:start + 900]))
                        .values(mailed_at=stamp).execution_options(synchronize_session=False))
    session.commit()
    return len(messages)


def _message(user, notes: list[Notification]) -> EmailMessage:
    locale = "en" if (user.locale or "").startswith("en") else "zh_Hans_CN"
    with force_locale(locale):
        message = EmailMessage()
        message["Subject"] = gettext("%(count)d reminders from the General Office admin panel", count=len(notes))
        message["From"] = formataddr((gettext("General Office admin panel"), current_app.config["MAIL_FROM"]))
        message["To"] = user.email
        lines = [gettext("Dear %(name)s,", name=user.get_full_name()), ""]
        lines += [f"· {text_of(n.kind, n.detail)}" for n in notes]
        lines += ["", gettext("Open the panel and click the bell to see them.")]
        message.set_content("\n".join(lines))
    return message
