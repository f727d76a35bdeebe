"""Documents and telegrams: one Document entry for 收文, 发文 and 签报 (the list shows the
direction and filters on it), telegrams beside it; children appear as tabs.

The three document flows (docs/domain.md §3) are one workflow: a transition that only one
direction may take says so with `when`; one whose source states only one direction
has (签收, 编号 …) needs no `when` but carries it for clarity. Every fired transition
also writes the document's handling step (流转记录): `add_handling_step`, its move hook.
"""

from collections import Counter

from flask import current_app
from flask_babel import gettext

from app.dashboard import domains as panels
from app.dashboard.links import list_url
from app.dashboard.queries import may_read
from app.ledgers import SERIAL, ByUnit, Count, in_role, register_ledger
from app.paper import LAYOUT as PAPER_LAYOUT
from app.paper import render as render_paper
from app.paper_forms.documents import (
    draft_sheet,
    is_incoming,
    is_issued_outgoing,
    is_outgoing,
    receipt_sheet,
    telegram_sheet,
)
from app.paper_forms.files import FORMATS as FORM_FILES
from app.registry import Section, register
from app.registry.deadlines import Deadline
from app.registry.spec import PaperSpec, entity_for
from app.reminders.feeds import document_urged
from app.reminders.run import DAILY
from app.settings import setting
from app.workflow import Transition, Workflow
from models.base import _l, now_cn, today_cn
from models.documents import (
    FINISHED_STATUSES,
    ISSUED_STATUSES,
    STATUS_FLOWS,
    Document,
    DocumentCountersign,
    DocumentHandler,
    DocumentIssuer,
    DocumentRecipient,
    DocumentStep,
    Telegram,
    TelegramRecipient,
    acting_name,
    add_handling_step,
    already_ended,
    declassify,
    document_problems,
    expire_normative_documents,
    fill_due_date,
    initial_status,
    keep_validity,
    number_document,
    published_before_archiving,
    repeal,
    revoke,
    telegram_due,
    telegram_problems,
    unsign,
    urge_due_documents,
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
    deadline=Deadline("due_date", stopped_by="done_at"),
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
    on_save=[document_urged],          # a 催办 step: the handling units hear it at once (app/reminders)
    list=["acted_at", "step_type", "actor", "department", "opinion", "due_at"],
    search=["step_type", "actor", "department", "acted_at", "document"],
    sections=[(_l("Handling step"), ["document", "step_type", "actor", "department", "opinion", "acted_at", "due_at"])],
    deadline=Deadline("due_at", stopped_by="acted_at"),
    base_order=("acted_at", "asc"),
)
register(
    TelegramRecipient, group=GROUP, title=_l("Telegram recipients"), item=_l("Telegram recipient"), menu=False,
    list=["kind", "seq", "name", "department", "group_name"],
    search=["kind", "department", "group_name", "telegram"],
    sections=[(_l("Recipient"), ["telegram", "kind", "seq", "department", "group_name"])],
    base_order=("seq", "asc"),
)

# --- workflow ------------------------------------------------------------------------------
CLERK, MANAGER, LEADER = ["Clerk"], ["Manager"], ["Leader"]
INCOMING, OUTGOING, INTERNAL = {"direction": "INCOMING"}, {"direction": "OUTGOING"}, {"direction": "INTERNAL"}
#: Outgoing and internal states before the number is allocated: the only ones a draft may be voided from.
BEFORE_NUMBERING = ["DRAFT", "DEPT_REVIEW", "COUNTERSIGN", "OFFICE_REVIEW", "SIGNED", "RECHECKED"]
#: Every state of every flow: 解密/降密 may be decided whatever the document's handling.
ANY_STATE = list(dict.fromkeys(s for flow in STATUS_FLOWS.values() for s in flow))
NORMATIVE = {"direction": "OUTGOING", "is_normative": True}


DOCUMENT_WORKFLOW = Workflow(
    initial=initial_status, finished=list(FINISHED_STATUSES),
    transitions=[
        # 收文 (条例 Art. 24): PENDING_SIGN → RECEIVED → REGISTERED → REVIEWED | RETURNED → PROPOSED
        #                      → INSTRUCTED → HANDLING / CIRCULATING → DONE → ARCHIVED
        Transition("sign_for", _l("Sign for receipt"), ["PENDING_SIGN"], "RECEIVED", roles=CLERK, when=INCOMING,
                   fields=["received_at", "copies"], stamp={"received_at": now_cn, "received_by": acting_name}),
        Transition("register", _l("Register"), ["RECEIVED"], "REGISTERED", roles=CLERK,
                   when=INCOMING, fields=["receive_no", "read_or_act"], requires=["receive_no"],
                   stamp={"received_at": now_cn}),
        Transition("review", _l("Pass the initial review"), ["REGISTERED"], "REVIEWED", roles=MANAGER,
                   when=INCOMING, style="success"),
        Transition("return_document", _l("Return to the sender"), ["REGISTERED"], "RETURNED", roles=MANAGER,
                   when=INCOMING, comment="required", style="danger", todo=False),
        Transition("propose", _l("Propose handling"), ["REVIEWED"], "PROPOSED", roles=MANAGER, when=INCOMING,
                   fields=["proposed_opinion", "lead_department", "due_date"], requires=["proposed_opinion"]),
        Transition("instruct", _l("Record the leader's instruction"), ["PROPOSED"], "INSTRUCTED", roles=LEADER,
                   when=INCOMING, comment="required"),
        Transition("circulate", _l("Circulate to leaders"), ["INSTRUCTED"], "CIRCULATING", roles=CLERK,
                   when=INCOMING),
        Transition("assign_handling", _l("Send for handling"), ["INSTRUCTED", "CIRCULATING"], "HANDLING",
                   roles=CLERK, fields=["lead_department", "due_date"], requires=["lead_department"]),
        Transition("finish", _l("Finish handling"), ["HANDLING", "CIRCULATING"], "DONE", roles=CLERK + MANAGER,
                   fields=["handling_result", "replied_at"], style="success"),
        # 发文: DRAFT → DEPT_REVIEW → COUNTERSIGN → OFFICE_REVIEW → SIGNED → RECHECKED → NUMBERED → PRINTED
        #       → DISTRIBUTED → PUBLISHED (proactive disclosure) → ARCHIVED; 签报 shares the drafting steps.
        Transition("submit_draft", _l("Submit the draft for review"), ["DRAFT"], "DEPT_REVIEW", roles=CLERK,
                   fields=["drafting_division", "drafter"]),
        Transition("send_countersign", _l("Send for countersigning"), ["DEPT_REVIEW"], "COUNTERSIGN",
                   roles=MANAGER, when=OUTGOING, fields=["reviewers"]),
        Transition("pass_division_review", _l("Pass the division review"), ["DEPT_REVIEW"], "OFFICE_REVIEW",
                   roles=MANAGER, fields=["reviewers"], style="success"),
        Transition("finish_countersign", _l("Countersigning finished"), ["COUNTERSIGN"], "OFFICE_REVIEW",
                   roles=CLERK + MANAGER, when=OUTGOING),
        Transition("return_draft", _l("Return to the drafter"), ["DEPT_REVIEW", "COUNTERSIGN", "OFFICE_REVIEW"],
                   "DRAFT", roles=MANAGER, comment="required", style="warning", todo=False),
        Transition("sign", _l("Sign and issue"), ["OFFICE_REVIEW"], "SIGNED", roles=LEADER, when=OUTGOING,
                   fields=["signer", "signed_at", "written_date"], requires=["signer"],
                   stamp={"signed_at": now_cn, "written_date": today_cn}, style="success"),
        Transition("recheck", _l("Recheck the signed text"), ["SIGNED"], "RECHECKED", roles=MANAGER,
                   when=OUTGOING),
        Transition("return_to_signer", _l("Substantive change: back to the signer"), ["SIGNED", "RECHECKED"],
                   "OFFICE_REVIEW", roles=MANAGER, when=OUTGOING, comment="required", effect=unsign,
                   style="warning", todo=False),
        Transition("number", _l("Allocate the document number"), ["RECHECKED"], "NUMBERED", roles=CLERK,
                   when=OUTGOING, fields=["doc_no_prefix"], effect=number_document),
        Transition("seal", _l("Seal the document"), ["NUMBERED"], "SEALED", roles=CLERK + MANAGER, when=OUTGOING,
                   fields=["seal_copies"], requires=["seal_copies"],
                   stamp={"sealed_at": now_cn, "sealed_by": acting_name}),
        Transition("print", _l("Record the printing"), ["SEALED"], "PRINTED", roles=CLERK, when=OUTGOING,
                   fields=["printing_org", "printed_date", "print_copies"], stamp={"printed_date": today_cn}),
        Transition("distribute", _l("Check and dispatch"), ["PRINTED"], "DISTRIBUTED", roles=CLERK,
                   when=OUTGOING, style="success"),
        Transition("publish", _l("Publish proactively"), ["DISTRIBUTED"], "PUBLISHED", roles=CLERK,
                   when={**OUTGOING, "disclosure": "ZHUDONG"}),
        Transition("void", _l("Void the document"), BEFORE_NUMBERING, "VOID", roles=MANAGER + LEADER,
                   comment="required", style="danger", todo=False),
        # 签报: DRAFT → DEPT_REVIEW → OFFICE_REVIEW → INSTRUCTED → HANDLING → DONE → ARCHIVED
        Transition("instruct_memo", _l("Record the leader's instruction on the memo"), ["OFFICE_REVIEW"],
                   "INSTRUCTED", roles=LEADER, when=INTERNAL, comment="required"),
        Transition("finish_memo", _l("Finish the memo"), ["INSTRUCTED"], "DONE", roles=CLERK + MANAGER,
                   when=INTERNAL, fields=["handling_result"], style="success"),
        # every flow
        Transition("archive", _l("Archive the document"), ["DONE", "DISTRIBUTED", "PUBLISHED"], "ARCHIVED",
                   roles=CLERK, fields=["archive_no", "retention"], requires=["archive_no"],
                   effect=published_before_archiving, style="default", todo=False),
        # actions that leave the document in its state: 废止 / 撤销 of an issued normative document,
        # 解密 / 降密 of any document
        Transition("repeal", _l("Repeal"), list(ISSUED_STATUSES), None, roles=MANAGER + LEADER, when=NORMATIVE,
                   fields=["validity_basis", "validity_reason"], requires=["validity_basis", "validity_reason"],
                   stamp={"validity_changed_at": now_cn, "validity_changed_by": acting_name}, effect=repeal,
                   guard=already_ended, comment="none", style="danger", todo=False),
        Transition("revoke", _l("Revoke"), list(ISSUED_STATUSES), None, roles=MANAGER + LEADER, when=NORMATIVE,
                   fields=["validity_basis", "validity_reason"], requires=["validity_basis", "validity_reason"],
                   stamp={"validity_changed_at": now_cn, "validity_changed_by": acting_name}, effect=revoke,
                   guard=already_ended, comment="none", style="danger", todo=False),
        Transition("declassify", _l("Declassify / downgrade"), ANY_STATE, None, roles=MANAGER + LEADER,
                   fields=["secrecy_level", "declassify_approver", "declassify_basis", "declassified_on"],
                   requires=["declassify_approver", "declassify_basis"], stamp={"declassified_on": today_cn},
                   effect=declassify, style="warning", todo=False),
    ],
)

TELEGRAM_WORKFLOW = Workflow(finished=["DONE", "ARCHIVED"], transitions=[
    # REGISTERED → ROUTED → DONE → ARCHIVED; a cipher or outgoing telegram is done once registered
    Transition("route", _l("Route the telegram"), ["REGISTERED"], "ROUTED", roles=CLERK, fields=["document"]),
    Transition("finish", _l("Finish the telegram"), ["REGISTERED", "ROUTED"], "DONE", roles=CLERK + MANAGER,
               style="success"),
    Transition("archive", _l("Archive the telegram"), ["DONE"], "ARCHIVED", roles=CLERK, style="default", todo=False),
])

# --- menu entries -------------------------------------------------------------------------
register(
    Document, group=GROUP, title=_l("Documents"), item=_l("Document"), icon="fa-file-text-o",
    papers=[PaperSpec("gbt9704", _l("Official document (GB/T 9704)"), render=render_paper, formats=("pdf", "docx"),
                      layout=PAPER_LAYOUT,
                      applies=is_issued_outgoing),
            PaperSpec("draft_sheet", _l("Outgoing document draft sheet"), fill=draft_sheet, formats=FORM_FILES,
                      applies=is_outgoing),
            PaperSpec("receipt_sheet", _l("Incoming document handling sheet"), fill=receipt_sheet, formats=FORM_FILES,
                      applies=is_incoming)],
    # the words of the office's paper ledgers (issue 18): imported without renaming
    synonyms={"direction": ["收发文类别", "收/发文"], "title": ["文件标题", "文件名称", "文件题目", "题名"],
              "doc_type": ["公文种类", "文件种类"], "issuer": ["来文单位", "来文机关", "发文单位"],
              "secrecy_level": ["秘密等级"], "urgency": ["缓急程度", "紧急等级"],
              "receive_no": ["收文号", "收文登记号"],
              "received_at": ["收文日期", "收到日期", "签收日期", "签收时间"],
              "source_doc_no": ["来文文号", "来文号", "原文号"], "copies": ["收文份数", "来文份数"],
              "read_or_act": ["阅件/办件", "阅办"], "proposed_opinion": ["拟办"],
              "lead_department": ["承办单位", "主办部门"], "due_date": ["办理期限", "办结时限"],
              "handling_result": ["办理情况", "办结情况"], "drafting_division": ["拟稿单位", "起草处室"],
              "signer": ["签发领导"], "signed_at": ["签发日期"], "printed_date": ["印发时间"],
              "print_copies": ["印发份数", "印制份数"], "archive_no": ["档号", "归档编号"], "remark": ["备注"]},
    on_move=[add_handling_step],
    on_save=[fill_due_date, keep_validity],
    checks=[document_problems],
    list=["direction", "doc_no", "title", "issuer", "urgency", "secrecy_level", "status", "due_date"],
    readonly=["received_by", "sealed_by", "sealed_at", "validity", "validity_changed_at", "validity_changed_by",
              "declassified_from"],
    # written by 解密/降密, 废止 and 撤销 with who, when and why: their forms, not the edit form's
    step_only=["declassify_approver", "declassify_basis", "declassified_on", "validity_basis", "validity_reason"],
    search=["title", "direction", "status", "validity", "expiry_date", "doc_type", "writing_direction", "issuer",
            "doc_no_prefix",
            "doc_no_year", "doc_no_seq", "receive_no", "source_doc_no", "secrecy_level", "urgency",
            "read_or_act", "lead_department", "drafting_division", "drafter", "signer",
            "disclosure", "is_normative", "publish_to_gazette", "written_date", "received_at", "due_date",
            "archive_no"],
    order=["direction", "receive_no", "title", "doc_type", "urgency", "secrecy_level", "status", "due_date",
           "doc_no_prefix", "doc_no_year", "doc_no_seq", "written_date", "received_at", "created_at"],
    sections=[
        (_l("Document"), ["direction", "status", "title", "doc_type", "issuer", "doc_no", "written_date"]),
        Section(_l("Document number"), ["writing_direction", "doc_no_prefix", "doc_no_year", "doc_no_seq"],
                when={"direction": ["OUTGOING", "INTERNAL"]}),
        (_l("Secrecy and urgency"), ["copy_no", "secrecy_level", "secrecy_term", "urgency"]),
        (_l("Declassification"), ["declassified_from", "declassified_on", "declassify_approver", "declassify_basis"]),
        Section(_l("Receipt and handling"), ["received_at", "received_by", "receive_no", "source_doc_no", "copies",
                                             "read_or_act",
                                             "proposed_opinion", "lead_department", "co_handlers", "due_date",
                                             "reply_required", "replied_at", "handling_result"],
                when={"direction": ["INCOMING"]}),
        Section(_l("Drafting and issuing"), ["drafting_division", "drafter", "reviewers", "countersigned_by",
                                             "signer", "signed_at", "main_recipients", "cc_recipients",
                                             "sealed_by", "sealed_at", "seal_copies",
                                             "printing_org", "printed_date", "print_copies"],
                when={"direction": ["OUTGOING", "INTERNAL"]}),
        (_l("Text and notes"), ["body", "attachment_note", "remark"]),
        Section(_l("Disclosure"), ["disclosure", "disclosure_reason", "is_normative", "legality_reviewed",
                                   "publish_to_gazette"], when={"direction": ["OUTGOING"]}),
        Section(_l("Validity of the normative document"),
                ["effective_date", "expiry_date", "validity", "validity_changed_by", "validity_changed_at",
                 "validity_basis", "validity_reason"], when={"direction": ["OUTGOING"]}),
        (_l("Archiving"), ["retention", "archive_no"]),
    ],
    export=["direction", "doc_no", "receive_no", "received_at", "issuer", "source_doc_no", "title", "doc_type",
            "secrecy_level", "urgency", "copies", "read_or_act", "proposed_opinion", "lead_department",
            "co_handlers", "due_date", "main_recipients", "cc_recipients", "signer", "signed_at",
            "written_date", "printed_date", "print_copies", "disclosure", "drafting_division", "drafter",
            "status", "archive_no"],
    base_order=("created_at", "desc"),
    related=[DocumentRecipient, DocumentIssuer, DocumentHandler, DocumentCountersign, DocumentStep, Telegram,
             GazetteEntry],
    workflow=DOCUMENT_WORKFLOW,
)

register(
    Telegram, group=GROUP, title=_l("Telegrams"), item=_l("Telegram"), icon="fa-bolt",
    papers=[PaperSpec("telegram_sheet", _l("Telegram handling sheet"), fill=telegram_sheet, formats=FORM_FILES)],
    checks=[telegram_problems],
    on_save=[telegram_due],            # a received telegram's due time by its priority (TelegramSLA)
    list=["direction", "tele_type", "tele_no", "priority", "secrecy_level", "title", "sender_org",
          "transmitted_at", "due_at", "status"],
    search=["tele_no", "title", "direction", "tele_type", "priority", "secrecy_level", "sender_org", "clerk",
            "status", "transmitted_at", "due_at"],
    sections=[
        (_l("Registration"), ["direction", "tele_type", "tele_no", "priority", "secrecy_level", "transmitted_at",
                              "due_at", "clerk", "status"]),
        (_l("Plain telegram"), ["sender_org", "signer", "title", "content", "pages", "document", "remark"]),
    ],
    base_order=("transmitted_at", "desc"),
    related=[TelegramRecipient],
    workflow=TELEGRAM_WORKFLOW,
)

# --- the registers (docs/domain.md §10): one ledger per direction of the Document list ------------------
register_ledger(
    "incoming_documents", _l("Incoming documents register"), Document, where={"direction": "INCOMING"},
    columns=[SERIAL, "receive_no", "received_at", "issuer", "source_doc_no", "title", "secrecy_level", "urgency",
             "copies", "read_or_act", "proposed_opinion", "lead_department", "co_handlers", "due_date",
             "handling_result", "status", "archive_no"],
    note=_l("Every incoming document from registration to archiving."),
    load=["issuer", "lead_department", "handlers.department"],
    # what clerks title their own register: a file titled so imports as incoming documents
    names=["收文登记", "来文登记", "收文簿"],
)

register_ledger(
    "outgoing_documents", _l("Outgoing documents register"), Document, where={"direction": "OUTGOING"},
    columns=[SERIAL, "doc_no", "title", "doc_type", "main_recipients", "cc_recipients", "signer", "signed_at",
             "written_date", "printed_date", "print_copies", "disclosure", "drafting_division", "drafter",
             "status"],
    note=_l("Every outgoing document with its number, recipients, signature and printing."),
    load=["recipients.department", "drafting_division", "drafter"],
    names=["发文登记", "发文簿"],
)

NORMATIVE_BY_ISSUER = ByUnit(
    title=_l("Normative documents by issuer and validity"), sheet=_l("By issuer"),
    unit_header=_l("Issuing authority"), no_unit=_l("No issuer"), units=lambda doc: [(doc.issuer, None)],
    measures=[Count("all", _l("Normative documents"), in_role(None, lambda doc: True)),
              *[Count(code.lower(), label, in_role(None, lambda doc, code=code: doc.validity == code))
                for code, label in [("VALID", _l("In force")), ("EXPIRED", _l("Expired")),
                                    ("REPEALED", _l("Repealed")), ("REVOKED", _l("Revoked"))]],
              Count("not_issued", _l("Not yet issued"), in_role(None, lambda doc: doc.validity is None))],
)

register_ledger(
    "normative_documents", _l("Normative documents register"), Document,
    where={"direction": "OUTGOING", "is_normative": True}, summary=[NORMATIVE_BY_ISSUER], load=["issuer"],
    columns=[SERIAL, "doc_no", "title", "doc_type", "signer", "printed_date", "effective_date", "expiry_date",
             "validity", "validity_changed_by", "validity_changed_at", "validity_basis", "validity_reason",
             "legality_reviewed", "publish_to_gazette", "status"],
    note=_l("Every normative document with its period of validity, and who repealed or revoked it, when and why."),
    names=["规范性文件登记", "规范性文件目录", "规范性文件清理"],
)


# --- the daily run (app/reminders/run.py) ------------------------------------------------------------
def documents_daily(session, today) -> Counter:
    """Automatic 催办 of incoming documents due within DOCUMENT_URGE_DAYS working days or overdue;
    normative documents past their expiry date read 已失效."""
    days = int(setting("DOCUMENT_URGE_DAYS", default=current_app.config.get("DOCUMENT_URGE_DAYS", 1)))
    return Counter({"DOCUMENT_URGED": urge_due_documents(session, today, days),
                    "NORMATIVE_EXPIRED": expire_normative_documents(session, today)})


if documents_daily not in DAILY:
    DAILY.append(documents_daily)


# --- the dashboard: normative documents by validity ----------------------------------------------------
def normative_panel() -> "panels.Panel | None":
    entity = entity_for(Document)
    if not may_read(entity):
        return None
    counts = panels.code_counts(entity, "validity")
    figure = panels.by_code(entity, "validity", counts, "normative-validity",
                            gettext("Normative documents by validity"))
    return panels.Panel("normative", gettext("Normative documents"), entity.group, figures=[figure],
                        link=list_url(entity))


panels.register_panel(Document, normative_panel, order=40)
