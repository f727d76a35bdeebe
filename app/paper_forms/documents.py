"""The forms of documents and telegrams: 发文稿纸 (the sheet a leader signs, its 拟稿 / 核稿 /
会签 / 签发 lines from the handling steps), 收文处理笺 (阅办单: the incoming document with its
拟办意见, 领导批示 and 办理结果) and 电报处理单 (a telegram received or sent).

The steps are the document's handling record (`DocumentStep`, written by each workflow
transition): the form reads who acted, when and what he wrote, in the order they acted."""
from __future__ import annotations

from app.paper_forms.values import day, label, live, moment, text

#: The lines of a 发文稿纸, by the handling step types that fill them.
DRAFT_LINES = (("drafted", ("QICAO",)), ("reviewed", ("HEGAO",)), ("countersigned", ("HUIQIAN",)),
               ("signed", ("QIANFA",)), ("rechecked", ("FUHE",)))


def _steps(doc, *types: str) -> list[dict]:
    """The document's handling steps of `types`, oldest first, as the form prints them."""
    steps = sorted((s for s in live(doc.steps) if s.step_type in types),
                   key=lambda s: (s.acted_at is None, s.acted_at, s.id or 0))
    return [{"actor": text(s.actor), "unit": text(s.department), "opinion": text(s.opinion),
             "date": day(s.acted_at)} for s in steps]


def is_outgoing(doc) -> bool:
    return doc.direction in ("OUTGOING", "INTERNAL")


def is_issued_outgoing(doc) -> bool:
    """An outgoing document (发文), which prints in the national format (app/paper)."""
    return doc.direction == "OUTGOING"


def is_incoming(doc) -> bool:
    return doc.direction == "INCOMING"


def draft_sheet(doc) -> dict:
    """发文稿纸: the draft's particulars and the people who drafted, reviewed, countersigned and
    signed it."""
    values = {
        "doc_no": text(doc.doc_no), "title": text(doc.title), "doc_type": label("doc_type", doc.doc_type),
        "secrecy": label("secrecy_level", doc.secrecy_level), "secrecy_term": text(doc.secrecy_term),
        "urgency": label("doc_urgency", doc.urgency), "copy_no": text(doc.copy_no),
        "issuers": text(doc.issuers), "main_to": text(doc.main_recipients), "copy_to": text(doc.cc_recipients),
        "drafting_unit": text(doc.drafting_division), "drafter": text(doc.drafter),
        "countersign_units": text(doc.countersigned_by),
        "attachment_note": text(doc.attachment_note), "disclosure": label("disclosure", doc.disclosure),
        "printing_org": text(doc.printing_org), "written_date": day(doc.written_date),
        "printed_date": day(doc.printed_date), "signer": text(doc.signer), "signed_at": day(doc.signed_at),
        "sealed_by": text(doc.sealed_by), "sealed_at": moment(doc.sealed_at), "seal_copies": text(doc.seal_copies),
        "remark": text(doc.remark),
    }
    for name, types in DRAFT_LINES:
        values[name] = _steps(doc, *types)
    return values


def receipt_sheet(doc) -> dict:
    """收文处理笺 (阅办单): what came in, and what the office proposed, the leaders instructed
    and the units did with it."""
    return {
        "receive_no": text(doc.receive_no), "received_at": moment(doc.received_at),
        "sender": text(doc.issuer), "source_doc_no": text(doc.source_doc_no), "title": text(doc.title),
        "copies": text(doc.copies), "secrecy": label("secrecy_level", doc.secrecy_level),
        "urgency": label("doc_urgency", doc.urgency), "read_or_act": label("doc_read_or_act", doc.read_or_act),
        "due_date": day(doc.due_date), "lead_unit": text(doc.lead_department), "co_units": text(doc.co_handlers),
        "proposals": _steps(doc, "NIBAN") or ([{"actor": "", "unit": "", "opinion": text(doc.proposed_opinion),
                                                "date": ""}] if doc.proposed_opinion else []),
        "instructions": _steps(doc, "PISHI"), "circulated": _steps(doc, "CHUANYUE"),
        "handling": _steps(doc, "CHENGBAN", "DAFU"), "urged": _steps(doc, "CUIBAN"),
        "result": text(doc.handling_result), "remark": text(doc.remark),
    }


def telegram_sheet(tele) -> dict:
    """电报处理单: the telegram's particulars and where it went."""
    recipients = "、".join(r.name for r in sorted(live(tele.recipients), key=lambda r: (r.seq or 0, r.id or 0))
                          if r.name)
    return {
        "direction": label("tele_direction", tele.direction), "tele_no": text(tele.tele_no),
        "tele_type": label("tele_type", tele.tele_type), "priority": label("telegram_priority", tele.priority),
        "secrecy": label("secrecy_level", tele.secrecy_level), "transmitted_at": moment(tele.transmitted_at),
        "sender": text(tele.sender_org), "signer": text(tele.signer), "title": text(tele.title),
        "pages": text(tele.pages), "recipients": recipients, "clerk": text(tele.clerk),
        "status": label("tele_status", tele.status), "document": text(tele.document), "remark": text(tele.remark),
        "due_at": moment(tele.due_at),
    }
