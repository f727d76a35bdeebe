"""Documents and telegrams: one Document entry for 收文, 发文 and 签报 (the list shows the
direction and filters on it), telegrams beside it; children appear as tabs."""
from app.registry import register
from models.base import _l
from models.documents import (
    Document,
    DocumentCountersign,
    DocumentHandler,
    DocumentIssuer,
    DocumentRecipient,
    DocumentStep,
    Telegram,
    TelegramRecipient,
    document_problems,
    telegram_problems,
)
from models.gazette import GazetteEntry

GROUP = "F02_Documents"

# --- children (tabs on the document / telegram page) -------------------------------------
register(
    DocumentRecipient, group=GROUP, title=_l("Recipients"), item=_l("Recipient"), menu=False,
    checks=[lambda r: document_problems(r.document) if r.document else []],
    list=["kind", "seq", "name", "department", "group_name"],
    search=["kind", "department", "group_name", "document"],
    sections=[(_l("Recipient"), ["document", "kind", "seq", "department", "group_name"])],
    base_order=("seq", "asc"),
)
register(
    DocumentIssuer, group=GROUP, title=_l("Joint issuers"), item=_l("Joint issuer"), menu=False,
    list=["seq", "department", "signer"],
    search=["department", "signer", "document"],
    sections=[(_l("Joint issuer"), ["document", "seq", "department", "signer"])],
    base_order=("seq", "asc"),
)
register(
    DocumentHandler, group=GROUP, title=_l("Handling units"), item=_l("Handling unit"), menu=False,
    checks=[lambda h: document_problems(h.document) if h.document else []],
    list=["seq", "department", "role", "due_date", "done_at", "result"],
    search=["department", "role", "due_date", "document"],
    sections=[(_l("Handling unit"), ["document", "seq", "department", "role", "due_date", "done_at", "result"])],
    base_order=("seq", "asc"),
)
register(
    DocumentCountersign, group=GROUP, title=_l("Countersigning units"), item=_l("Countersigning unit"), menu=False,
    list=["seq", "department", "signer", "signed_at", "opinion"],
    search=["department", "signer", "document"],
    sections=[(_l("Countersigning unit"), ["document", "seq", "department", "signer", "signed_at", "opinion"])],
    base_order=("seq", "asc"),
)
register(
    DocumentStep, group=GROUP, title=_l("Handling steps"), item=_l("Handling step"), menu=False,
    list=["acted_at", "step_type", "actor", "department", "opinion", "due_at"],
    search=["step_type", "actor", "department", "acted_at", "document"],
    sections=[(_l("Handling step"), ["document", "step_type", "actor", "department", "opinion", "acted_at", "due_at"])],
    base_order=("acted_at", "asc"),
)
register(
    TelegramRecipient, group=GROUP, title=_l("Telegram recipients"), item=_l("Telegram recipient"), menu=False,
    list=["kind", "seq", "name", "department", "group_name"],
    search=["kind", "department", "group_name", "telegram"],
    sections=[(_l("Recipient"), ["telegram", "kind", "seq", "department", "group_name"])],
    base_order=("seq", "asc"),
)

# --- menu entries -------------------------------------------------------------------------
register(
    Document, group=GROUP, title=_l("Documents"), item=_l("Document"), icon="fa-file-text-o",
    checks=[document_problems],
    list=["direction", "doc_no", "title", "issuer", "urgency", "secrecy_level", "status", "due_date"],
    search=["title", "direction", "status", "doc_type", "writing_direction", "issuer", "doc_no_prefix",
            "doc_no_year", "doc_no_seq", "receive_no", "source_doc_no", "secrecy_level", "urgency",
            "read_or_act", "lead_department", "drafting_division", "drafter", "signer",
            "disclosure", "is_normative", "publish_to_gazette", "written_date", "received_at", "due_date",
            "archive_no"],
    order=["direction", "receive_no", "title", "doc_type", "urgency", "secrecy_level", "status", "due_date",
           "doc_no_prefix", "doc_no_year", "doc_no_seq", "written_date", "received_at", "created_at"],
    sections=[
        (_l("Document"), ["direction", "status", "title", "doc_type", "writing_direction", "issuer", "doc_no",
                          "doc_no_prefix", "doc_no_year", "doc_no_seq", "written_date"]),
        (_l("Secrecy and urgency"), ["copy_no", "secrecy_level", "secrecy_term", "urgency"]),
        (_l("Receipt and handling"), ["receive_no", "received_at", "source_doc_no", "copies", "read_or_act",
                                      "proposed_opinion", "lead_department", "co_handlers", "due_date",
                                      "reply_required", "replied_at", "handling_result"]),
        (_l("Drafting and issuing"), ["drafting_division", "drafter", "reviewers", "countersigned_by",
                                      "signer", "signed_at", "main_recipients", "cc_recipients", "printing_org",
                                      "printed_date", "print_copies"]),
        (_l("Text and notes"), ["body", "attachment_note", "remark"]),
        (_l("Disclosure and archiving"), ["disclosure", "disclosure_reason", "is_normative", "legality_reviewed",
                                          "publish_to_gazette", "retention", "archive_no"]),
    ],
    export=["direction", "doc_no", "receive_no", "received_at", "issuer", "source_doc_no", "title", "doc_type",
            "secrecy_level", "urgency", "copies", "read_or_act", "proposed_opinion", "lead_department",
            "co_handlers", "due_date", "main_recipients", "cc_recipients", "signer", "signed_at",
            "written_date", "printed_date", "print_copies", "disclosure", "drafting_division", "drafter",
            "status", "archive_no"],
    base_order=("created_at", "desc"),
    related=[DocumentRecipient, DocumentIssuer, DocumentHandler, DocumentCountersign, DocumentStep, Telegram,
             GazetteEntry],
)

register(
    Telegram, group=GROUP, title=_l("Telegrams"), item=_l("Telegram"), icon="fa-bolt",
    checks=[telegram_problems],
    list=["direction", "tele_type", "tele_no", "priority", "secrecy_level", "title", "sender_org",
          "transmitted_at", "status"],
    search=["tele_no", "title", "direction", "tele_type", "priority", "secrecy_level", "sender_org", "clerk",
            "status", "transmitted_at"],
    sections=[
        (_l("Registration"), ["direction", "tele_type", "tele_no", "priority", "secrecy_level", "transmitted_at",
                              "clerk", "status"]),
        (_l("Plain telegram"), ["sender_org", "signer", "title", "content", "pages", "document", "remark"]),
    ],
    base_order=("transmitted_at", "desc"),
    related=[TelegramRecipient],
)
