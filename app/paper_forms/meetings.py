"""会议纪要: a meeting's particulars, who attended, its topics and what was decided on each —
the minutes the office drafts from the meeting's record."""
from __future__ import annotations

from app.paper_forms.values import day, heading_number, label, live, text


def _seq(rows):
    return sorted(live(rows), key=lambda r: (r.seq is None, r.seq or 0, r.id or 0))


def minutes(meeting) -> dict:
    attended = [p for p in _seq(meeting.participants) if p.attendance == "CHUXI"]
    absent = [p for p in _seq(meeting.participants) if p.attendance != "CHUXI"]
    decisions = _seq(meeting.decisions)
    topics = []
    for n, topic in enumerate(_seq(meeting.topics), start=1):
        topics.append({"no": heading_number(n), "title": text(topic.title), "reporter": text(topic.reporter),
                       "unit": text(topic.reporting_department), "result": label("meeting_topic_result", topic.result),
                       "decisions": [_decision(d) for d in decisions if d.topic_id == topic.id]})
    return {
        "kind": label("meeting_type", meeting.meeting_type), "session": text(meeting.session_label),
        "title": text(meeting.title), "chair": text(meeting.chair), "date": day(meeting.start_at),
        "time": f"{meeting.start_at:%H:%M}" if meeting.start_at else "",
        "venue": text(meeting.place), "organizer": text(meeting.organizer),
        "attended": "、".join(text(p.name) or text(p.personnel) for p in attended),
        "absent": "、".join(text(p.name) or text(p.personnel) for p in absent),
        "summary": text(meeting.summary), "topics": topics,
        "other_decisions": [_decision(d) for d in decisions if d.topic_id is None],
    }


def _decision(decision) -> dict:
    return {"content": text(decision.content), "lead": text(decision.lead_department),
            "leader": text(decision.responsible_leader), "due": day(decision.due_date)}
