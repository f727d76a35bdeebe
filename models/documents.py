"""Documents and telegrams (docs/domain.md §3): incoming, outgoing and internal documents in
one table, their recipients, joint issuers and handling steps; telegrams.

Rules that a form or the API must enforce are pure functions of the record
(`secrecy_problems`, `document_problems`, `telegram_problems`): each returns the list of
problems, translated, and an empty list when the record may be saved.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from flask import g, has_request_context
from flask_babel import gettext
from sqlalchemy import (
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    case,
    func,
    select,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from models.base import (
    BusinessRecord,
    Model,
    RuleViolation,
    _l,
    add_years,
    child_rows,
    current_lang,
    display,
    fk_column,
    flag,
    label,
    lookup_column,
    now_cn,
    parent_key,
    parent_relation,
    record_session,
    relation,
    today_cn,
)
from models.label_sql import joined
from models.lookups import (
    CLASSIFIED_LEVELS,
    DISCLOSURE,
    DOC_TYPE,
    HANDLING_ROLE,
    LEAD,
    REQUEST_FOR_INSTRUCTIONS,
    RETENTION,
    SECRECY,
    TELEGRAM_PRIORITY,
    URGENCY,
    WRITING_DIRECTION,
    define_lookup,
    lookup_label,
)
from models.numbering import NumberingError
from models.numbering import allocate as allocate_number
from models.sla import document_due_date, telegram_due_at

# --- Enumerations of this domain ---------------------------------------------------------
DOC_DIRECTION = define_lookup("doc_direction", _l("Document direction"), [
    ("INCOMING", "收文", "Incoming"), ("OUTGOING", "发文", "Outgoing"), ("INTERNAL", "签报", "Internal memo"),
])

#: One category for the three flows: a document has one status column whatever its
#: direction; which codes a direction may use is `STATUS_FLOWS` below.
DOC_STATUS = define_lookup("doc_status", _l("Document status"), [
    # incoming (条例 Art. 24)
    ("PENDING_SIGN", "待签收", "Awaiting receipt"),
    ("RECEIVED", "已签收", "Signed for"),
    ("REGISTERED", "已登记", "Registered"),
    ("REVIEWED", "已初审", "Reviewed"),
    ("RETURNED", "已退文", "Returned"),
    ("PROPOSED", "已拟办", "Opinion proposed"),
    ("INSTRUCTED", "已批示", "Instructed"),
    ("HANDLING", "承办中", "Being handled"),
    ("CIRCULATING", "传阅中", "Circulating"),
    ("DONE", "已办结", "Done"),
    # outgoing
    ("DRAFT", "起草中", "Drafting"),
    ("DEPT_REVIEW", "处室审核", "Division review"),
    ("COUNTERSIGN", "会签中", "Countersigning"),
    ("OFFICE_REVIEW", "办公厅核稿", "Office review"),
    ("SIGNED", "已签发", "Signed"),
    ("RECHECKED", "已复核", "Rechecked"),
    ("NUMBERED", "已编号", "Numbered"),
    ("SEALED", "已用印", "Sealed"),
    ("PRINTED", "已印制", "Printed"),
    ("DISTRIBUTED", "已分发", "Distributed"),
    ("PUBLISHED", "已公开", "Published"),
    ("VOID", "已作废", "Void"),
    # all flows
    ("ARCHIVED", "已归档", "Archived"),
])

DOC_STEP_TYPE = define_lookup("doc_step_type", _l("Step type"), [
    ("QIANSHOU", "签收", "Sign for"), ("DENGJI", "登记", "Register"), ("CHUSHEN", "初审", "Initial review"),
    ("NIBAN", "拟办", "Propose handling"), ("PISHI", "批示", "Leader instruction"), ("CHUANYUE", "传阅", "Circulate"),
    ("CHENGBAN", "承办", "Handle"), ("CUIBAN", "催办", "Urge"), ("DAFU", "答复", "Reply"),
    ("QICAO", "起草", "Draft"), ("HEGAO", "核稿", "Review draft"), ("HUIQIAN", "会签", "Countersign"),
    ("QIANFA", "签发", "Sign and issue"), ("FUHE", "复核", "Recheck"), ("YINZHI", "印制", "Print"),
    ("HEFA", "核发", "Check and dispatch"),
    ("TUIWEN", "退文", "Return"), ("BIANHAO", "编号", "Number"), ("GONGKAI", "公开发布", "Publish"),
    ("GUIDANG", "归档", "Archive"), ("ZUOFEI", "作废", "Void"),
    ("YONGYIN", "用印", "Seal"), ("FEIZHI", "废止", "Repeal"), ("CHEXIAO", "撤销", "Revoke"),
    ("JIEMI", "解密/降密", "Declassify / downgrade"),
])

#: Whether a normative document (规范性文件) is in force. VALID and EXPIRED follow from its
#: expiry date (kept by `keep_validity` on every save and by the daily run); REPEALED and
#: REVOKED only from the actions of the same names, which record who, when, why and on what basis.
DOC_VALIDITY = define_lookup("doc_validity", _l("Validity status"), [
    ("VALID", "有效", "In force"), ("REPEALED", "已废止", "Repealed"), ("REVOKED", "已撤销", "Revoked"),
    ("EXPIRED", "已失效", "Expired"),
])
#: A normative document is in force for at most this many years (福建省行政规范性文件 有效期不超过5年).
NORMATIVE_YEARS = 5

RECIPIENT_KIND = define_lookup("doc_recipient_kind", _l("Recipient kind"), [
    ("MAIN", "主送", "Main recipient"), ("CC", "抄送", "Copied to"),
])

READ_OR_ACT = define_lookup("doc_read_or_act", _l("Read or act"), [
    ("YUEJIAN", "阅件", "For reading"), ("BANJIAN", "办件", "For action"),
])

TELE_DIRECTION = define_lookup("tele_direction", _l("Telegram direction"), [
    ("INCOMING", "收电", "Received"), ("OUTGOING", "发电", "Sent"),
])
TELE_TYPE = define_lookup("tele_type", _l("Telegram type"), [
    ("MINGDIAN", "明传电报", "Plain telegram"), ("MIDIAN", "密码电报", "Cipher telegram"),
])
TELE_STATUS = define_lookup("tele_status", _l("Telegram status"), [
    ("REGISTERED", "已登记", "Registered"), ("ROUTED", "已转办", "Routed"),
    ("DONE", "已办结", "Done"), ("ARCHIVED", "已归档", "Archived"),
])

# --- Workflows (docs/domain.md §3) ------------------------------------------------------------
# The transitions themselves are declared once, with the Document entity (views/documents.py);
# here is what the rules need to know of them.

#: The statuses each direction may carry, in workflow order.
STATUS_FLOWS: dict[str, tuple[str, ...]] = {
    "INCOMING": ("PENDING_SIGN", "RECEIVED", "REGISTERED", "REVIEWED", "RETURNED", "PROPOSED", "INSTRUCTED",
                 "HANDLING", "CIRCULATING", "DONE", "ARCHIVED"),
    "OUTGOING": ("DRAFT", "DEPT_REVIEW", "COUNTERSIGN", "OFFICE_REVIEW", "SIGNED", "RECHECKED", "NUMBERED",
                 "SEALED", "PRINTED", "DISTRIBUTED", "PUBLISHED", "ARCHIVED", "VOID"),
    "INTERNAL": ("DRAFT", "DEPT_REVIEW", "OFFICE_REVIEW", "INSTRUCTED", "HANDLING", "DONE", "ARCHIVED", "VOID"),
}
INITIAL_STATUS = {"INCOMING": "PENDING_SIGN", "OUTGOING": "DRAFT", "INTERNAL": "DRAFT"}
#: Outgoing statuses at which the document carries its number (allocated at NUMBERED).
NUMBERED_STATUSES = frozenset({"NUMBERED", "SEALED", "PRINTED", "DISTRIBUTED", "PUBLISHED", "ARCHIVED"})
#: Outgoing statuses at which it has been signed.
SIGNED_STATUSES = frozenset({"SIGNED", "RECHECKED"}) | NUMBERED_STATUSES
#: Outgoing statuses at which it has been issued (印发): a normative document is then in force.
ISSUED_STATUSES = ("PRINTED", "DISTRIBUTED", "PUBLISHED", "ARCHIVED")
#: Incoming statuses before registration (no receipt number yet).
UNREGISTERED_STATUSES = frozenset({None, "PENDING_SIGN", "RECEIVED"})
#: Secrecy levels from the lowest up: 解密/降密 goes down this ladder only.
SECRECY_RANK = {"FEIMI": 0, "NEIBU": 1, "MIMI": 2, "JIMI": 3, "JUEMI": 4}
URGENT_LEVELS = frozenset({"JIAJI", "TEJI"})
#: Unit types subordinate to the municipal government: a 请示 is never copied to them.
SUBORDINATE_UNIT_TYPES = frozenset({"DISTRICT", "MUNI_DEPT", "DIRECT_AGENCY", "DEV_ZONE", "OFFICE_DIVISION",
                                    "SUBORDINATE", "FOREIGN_AFFAIRS"})


def initial_status(doc) -> Optional[str]:
    """Where a new document starts: the first state of its direction's flow."""
    return INITIAL_STATUS.get(doc.direction)


def format_doc_no(prefix: Optional[str], year: Optional[int], seq: Optional[int]) -> str:
    """厦府〔2026〕12号 — no zero padding, no 第 (GB/T 9704-2012 7.2.4)."""
    if not prefix or not year or not seq:
        return ""
    return f"{prefix}〔{year}〕{seq}号"


def _unit_name(unit) -> str:
    """How a unit reads in a recipient list: its short name in Chinese (市发改委)."""
    if current_lang() == "zh" and unit.short_name_zh:
        return unit.short_name_zh
    return str(unit)


class Document(BusinessRecord, Model):
    """A 公文: incoming (收文), outgoing (发文) or internal memo (签报).

    The document number is kept in parts (agency prefix, year, sequence) so that it is
    unique and allocated by counting, and shown as 厦府〔2026〕12号 by `doc_no`. An
    incoming document keeps the sender's number as `source_doc_no` and our register
    number as `receive_no`. At 秘密 (MIMI) or above the record is a registration stub:
    no body text (see `secrecy_problems`).
    """

    __tablename__ = "document"
    #: What a search-as-you-type drop-down finds it by (app/registry/labels.py).
    __label_columns__ = ("title", "source_doc_no",
                         lambda cls: joined(cls.doc_no_prefix, "〔", cls.doc_no_year, "〕", cls.doc_no_seq, "号"))
    __table_args__ = (
        UniqueConstraint("doc_no_prefix", "doc_no_year", "doc_no_seq", name="uq_document_doc_no"),
        Index("ix_document_direction_status", "direction", "status"),
    )
    __order__ = ("id", "desc")  # drop-downs that pick a document: newest first

    # --- what it is
    direction: Mapped[str] = lookup_column(DOC_DIRECTION, _l("Document direction"), nullable=False)
    status: Mapped[Optional[str]] = lookup_column(DOC_STATUS, _l("Status"))
    title: Mapped[str] = mapped_column(String(300), index=True, info=label(_l("Title")))
    doc_type: Mapped[Optional[str]] = lookup_column(DOC_TYPE, _l("Document type"))
    writing_direction: Mapped[Optional[str]] = lookup_column(WRITING_DIRECTION, _l("Writing direction"))
    issuer_id: Mapped[Optional[int]] = fk_column("department", _l("Issuing authority"))
    issuer = relation("Department", issuer_id, _l("Issuing authority"))

    # --- number: 发文字号
    doc_no_prefix: Mapped[Optional[str]] = mapped_column(String(20), index=True, info=label(
        _l("Agency prefix"), description=_l("The issuing agency's code at the head of the number")))
    doc_no_year: Mapped[Optional[int]] = mapped_column(Integer, index=True, info=label(_l("Number year")))
    doc_no_seq: Mapped[Optional[int]] = mapped_column(Integer, info=label(
        _l("Serial number"), description=_l("Allocated when the document is numbered; no zero padding")))

    # --- secrecy and urgency
    copy_no: Mapped[Optional[str]] = mapped_column(String(6), info=label(
        _l("Copy number"), description=_l("6 digits; required for classified documents")))
    secrecy_level: Mapped[str] = lookup_column(SECRECY, _l("Secrecy level"), nullable=False, default="FEIMI")
    secrecy_term: Mapped[Optional[str]] = mapped_column(String(30), info=label(
        _l("Secrecy term"), description=_l("Empty means the statutory default term of the level")))
    urgency: Mapped[str] = lookup_column(URGENCY, _l("Urgency"), nullable=False, default="PUTONG")
    # --- 解密 / 降密: the last declassification (action `declassify`; each one is in the history)
    declassified_from: Mapped[Optional[str]] = lookup_column(SECRECY, _l("Level before declassification"))
    declassified_on: Mapped[Optional[dt.date]] = mapped_column(Date, info=label(
        _l("Declassified on"), description=_l("The date the lower level applies from")))
    declassify_approver_id: Mapped[Optional[int]] = fk_column("personnel", _l("Declassification approved by"))
    declassify_approver = relation("Personnel", declassify_approver_id, _l("Declassification approved by"))
    declassify_basis: Mapped[Optional[str]] = mapped_column(String(300), info=label(
        _l("Basis of the declassification"), description=_l("The decision or rule the lower level rests on")))

    # --- text and dates
    body: Mapped[Optional[str]] = mapped_column(Text, info=label(
        _l("Body text"), description=_l("Not allowed at Confidential level or above")))
    attachment_note: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Attachment note")))
    written_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Date written")))
    printing_org_id: Mapped[Optional[int]] = fk_column("department", _l("Printing authority"))
    printing_org = relation("Department", printing_org_id, _l("Printing authority"))
    printed_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Printed on")))
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Annotation")))
    signer: Mapped[Optional[str]] = mapped_column(String(100), index=True, info=label(
        _l("Signed by"), description=_l("Required for upward documents")))
    signed_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Signed at")))

    # --- disclosure and archiving
    disclosure: Mapped[Optional[str]] = lookup_column(DISCLOSURE, _l("Disclosure"))
    disclosure_reason: Mapped[Optional[str]] = mapped_column(String(300), info=label(
        _l("Reason for non-disclosure"), description=_l("Required when the document is not disclosed")))
    is_normative: Mapped[Optional[bool]] = flag(_l("Normative document"),
                                                description=_l("Needs legality review and publication"))
    legality_reviewed: Mapped[Optional[bool]] = flag(_l("Legality reviewed"))
    effective_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(
        _l("Effective from"), description=_l("A normative document: empty means from its printing date")))
    expiry_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(
        _l("Valid until"), description=_l("A normative document: at most 5 years after it takes effect; "
                                          "empty means 5 years")))
    validity: Mapped[Optional[str]] = lookup_column(DOC_VALIDITY, _l("Validity status"))
    validity_changed_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(
        _l("Repealed / revoked at")))
    validity_changed_by: Mapped[Optional[str]] = mapped_column(String(50), info=label(
        _l("Repealed / revoked by"), description=_l("Who recorded the repeal or revocation")))
    validity_basis: Mapped[Optional[str]] = mapped_column(String(200), info=label(
        _l("Basis of the repeal / revocation"), description=_l("The deciding document and its number")))
    validity_reason: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Reason for the repeal / revocation")))
    retention: Mapped[Optional[str]] = lookup_column(RETENTION, _l("Retention period"))
    archive_no: Mapped[Optional[str]] = mapped_column(String(40), index=True, info=label(_l("Archive number")))

    # --- incoming only
    receive_no: Mapped[Optional[str]] = mapped_column(String(40), unique=True, info=label(
        _l("Receipt number"), description=_l("The office's incoming register number")))
    received_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, index=True, info=label(
        _l("Receipt time"), description=_l("To the minute for urgent documents")))
    received_by: Mapped[Optional[str]] = mapped_column(String(50), info=label(_l("Signed for by")))
    source_doc_no: Mapped[Optional[str]] = mapped_column(String(60), index=True, info=label(
        _l("Sender's document number")))
    copies: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("Copies received")))
    read_or_act: Mapped[Optional[str]] = lookup_column(READ_OR_ACT, _l("Read or act"))
    proposed_opinion: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Proposed handling opinion")))
    lead_department_id: Mapped[Optional[int]] = fk_column("department", _l("Lead handling unit"), description=_l(
        "Kept in step with the lead handling unit"))
    lead_department = relation("Department", lead_department_id, _l("Lead handling unit"))
    due_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(
        _l("Due date"), description=_l("Required for urgent documents")))
    reply_required: Mapped[Optional[bool]] = flag(_l("Reply required"))
    replied_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Replied at")))
    handling_result: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Handling result")))

    # --- outgoing only
    drafting_division_id: Mapped[Optional[int]] = fk_column("department", _l("Drafting division"))
    drafting_division = relation("Department", drafting_division_id, _l("Drafting division"))
    drafter_id: Mapped[Optional[int]] = fk_column("personnel", _l("Drafter"))
    drafter = relation("Personnel", drafter_id, _l("Drafter"))
    reviewers: Mapped[Optional[str]] = mapped_column(String(100), info=label(
        _l("Reviewed by"), description=_l("Names of the reviewers")))
    print_copies: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("Copies printed")))
    sealed_by: Mapped[Optional[str]] = mapped_column(String(50), info=label(_l("Sealed by")))
    sealed_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Sealed at")))
    seal_copies: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("Copies sealed")))
    publish_to_gazette: Mapped[Optional[bool]] = flag(_l("Publish in the gazette"))

    # --- children
    recipients = child_rows("DocumentRecipient", "document", _l("Recipients"), order_by="DocumentRecipient.seq")
    joint_issuers = child_rows("DocumentIssuer", "document", _l("Joint issuers"), order_by="DocumentIssuer.seq")
    steps = child_rows("DocumentStep", "document", _l("Handling steps"), order_by="DocumentStep.acted_at")
    handlers = child_rows("DocumentHandler", "document", _l("Handling units"), order_by="DocumentHandler.seq")
    countersigns = child_rows("DocumentCountersign", "document", _l("Countersigning units"),
                              order_by="DocumentCountersign.seq")

    @display(_l("Document number"))
    def doc_no(self) -> str:
        """Our own number once allocated; an incoming document shows its sender's."""
        own = format_doc_no(self.doc_no_prefix, self.doc_no_year, self.doc_no_seq)
        return own or (self.source_doc_no or "")

    @display(_l("Main recipients"), reads=("recipients.department",))
    def main_recipients(self) -> str:
        return "，".join(r.name for r in self.recipients or [] if r.kind == "MAIN")

    @display(_l("Copied to"), reads=("recipients.department",))
    def cc_recipients(self) -> str:
        return "，".join(r.name for r in self.recipients or [] if r.kind == "CC")

    @display(_l("Co-handlers"), reads=("handlers.department",))
    def co_handlers(self) -> str:
        return "、".join(_unit_name(h.department) for h in self.handlers or []
                        if h.role != LEAD and h.department is not None)

    @display(_l("Countersigning units"), reads=("countersigns.department",))
    def countersigned_by(self) -> str:
        return "、".join(_unit_name(c.department) for c in self.countersigns or [] if c.department is not None)

    @display(_l("Issuers"), reads=("issuer", "joint_issuers.department"))
    def issuers(self) -> str:
        names = [str(self.issuer)] if self.issuer is not None else []
        names += [str(i.department) for i in self.joint_issuers or [] if i.department is not None]
        return "、".join(names)

    @property
    def is_classified(self) -> bool:
        return self.secrecy_level in CLASSIFIED_LEVELS

    def __str__(self) -> str:
        no = self.doc_no
        return f"{no} {self.title or ''}".strip() if no else (self.title or "")


class RecipientLine:
    """One line of a 主送 / 抄送 list, in official order: a unit, or a collective name such
    as 各区人民政府 (documents and telegrams address their recipients alike)."""

    kind: Mapped[str] = lookup_column(RECIPIENT_KIND, _l("Recipient kind"), nullable=False, default="MAIN")
    seq: Mapped[int] = mapped_column(Integer, default=1, info=label(_l("Order")))
    department_id: Mapped[Optional[int]] = fk_column("department", _l("Unit"))
    group_name: Mapped[Optional[str]] = mapped_column(String(100), info=label(
        _l("Collective recipient"), description=_l("When the recipient is a group of units rather than one unit")))

    @declared_attr
    def department(cls):
        return relation("Department", cls.department_id, _l("Unit"))

    @display(_l("Recipient"))
    def name(self) -> str:
        if self.department is not None:
            return _unit_name(self.department)
        return self.group_name or ""

    def __str__(self) -> str:
        return self.name


class DocumentRecipient(RecipientLine, BusinessRecord, Model):
    """One line of the 主送 / 抄送 list, in official order: a unit, or a collective name
    such as 各区人民政府 or 市直各委、办、局."""

    __tablename__ = "document_recipient"

    document_id: Mapped[int] = parent_key("document", _l("Document"))
    document = parent_relation("Document", "recipients", _l("Document"))


class DocumentIssuer(BusinessRecord, Model):
    """A further issuer of a joint document (联合行文); the lead is `Document.issuer`."""

    __tablename__ = "document_issuer"
    __table_args__ = (UniqueConstraint("document_id", "department_id", name="uq_document_issuer"),)

    document_id: Mapped[int] = parent_key("document", _l("Document"))
    document = parent_relation("Document", "joint_issuers", _l("Document"))
    seq: Mapped[int] = mapped_column(Integer, default=2, info=label(
        _l("Order"), description=_l("The lead issuer is first (1); joint issuers follow")))
    department_id: Mapped[int] = fk_column("department", _l("Issuing authority"), nullable=False)
    department = relation("Department", department_id, _l("Issuing authority"))
    signer: Mapped[Optional[str]] = mapped_column(String(50), info=label(_l("Signed by")))

    def __str__(self) -> str:
        return str(self.department or "")


class DocumentHandler(BusinessRecord, Model):
    """A unit handling an incoming document: one lead (主办), co-handlers (协办) or
    separate handlers (分办), each with its own time limit and result."""

    __tablename__ = "document_handler"
    __table_args__ = (UniqueConstraint("document_id", "department_id", name="uq_document_handler"),)

    document_id: Mapped[int] = parent_key("document", _l("Document"))
    document = parent_relation("Document", "handlers", _l("Document"))
    seq: Mapped[int] = mapped_column(Integer, default=1, info=label(_l("Order")))
    department_id: Mapped[int] = fk_column("department", _l("Handling unit"), nullable=False)
    department = relation("Department", department_id, _l("Handling unit"))
    role: Mapped[str] = lookup_column(HANDLING_ROLE, _l("Handling role"), nullable=False, default=LEAD)
    due_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Unit due date")))
    done_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Finished at")))
    result: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Handling result")))

    def __str__(self) -> str:
        return str(self.department or "")


class DocumentCountersign(BusinessRecord, Model):
    """A unit that countersigns (会签) an outgoing document before it is signed."""

    __tablename__ = "document_countersign"
    __table_args__ = (UniqueConstraint("document_id", "department_id", name="uq_document_countersign"),)

    document_id: Mapped[int] = parent_key("document", _l("Document"))
    document = parent_relation("Document", "countersigns", _l("Document"))
    seq: Mapped[int] = mapped_column(Integer, default=1, info=label(_l("Order")))
    department_id: Mapped[int] = fk_column("department", _l("Countersigning unit"), nullable=False)
    department = relation("Department", department_id, _l("Countersigning unit"))
    signer: Mapped[Optional[str]] = mapped_column(String(50), info=label(_l("Countersigned by")))
    signed_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Countersigned at")))
    opinion: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Opinion")))

    def __str__(self) -> str:
        return str(self.department or "")


class DocumentStep(BusinessRecord, Model):
    """One step of the document's handling record (流转记录)."""

    __tablename__ = "document_step"

    document_id: Mapped[int] = parent_key("document", _l("Document"))
    document = parent_relation("Document", "steps", _l("Document"))
    step_type: Mapped[str] = lookup_column(DOC_STEP_TYPE, _l("Step type"), nullable=False)
    actor: Mapped[Optional[str]] = mapped_column(String(50), index=True, info=label(_l("Actor")))
    department_id: Mapped[Optional[int]] = fk_column("department", _l("Department"))
    department = relation("Department", department_id, _l("Department"))
    opinion: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Opinion")))
    acted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, index=True, info=label(_l("Acted at")))
    due_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, info=label(_l("Due at")))

    def __str__(self) -> str:
        return f"{lookup_label(DOC_STEP_TYPE, self.step_type)} {self.actor or ''}".strip()


class Telegram(BusinessRecord, Model):
    """A telegram received or sent. A 密码电报 (MIDIAN) is a registration stub only:
    number, priority, time and clerk — no title, content, sender or recipients.
    A registered 明电 links to the Document it is routed as."""

    __tablename__ = "telegram"
    #: What a search-as-you-type drop-down finds it by (app/registry/labels.py).
    __label_columns__ = ("tele_no",      # a cipher telegram's title is not shown, nor found
                         lambda cls: case((cls.tele_type == "MIDIAN", ""), else_=func.coalesce(cls.title, "")))
    __order__ = ("transmitted_at", "desc")

    direction: Mapped[str] = lookup_column(TELE_DIRECTION, _l("Telegram direction"), nullable=False)
    tele_type: Mapped[str] = lookup_column(TELE_TYPE, _l("Telegram type"), nullable=False, default="MINGDIAN")
    tele_no: Mapped[str] = mapped_column(String(60), index=True, info=label(_l("Telegram number")))
    priority: Mapped[str] = lookup_column(TELEGRAM_PRIORITY, _l("Telegram priority"), nullable=False,
                                          default="PINGJI")
    secrecy_level: Mapped[str] = lookup_column(SECRECY, _l("Secrecy level"), nullable=False, default="FEIMI")
    transmitted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, index=True, info=label(
        _l("Received / sent at")))
    clerk_id: Mapped[Optional[int]] = fk_column("personnel", _l("Registered by"))
    clerk = relation("Personnel", clerk_id, _l("Registered by"))
    status: Mapped[Optional[str]] = lookup_column(TELE_STATUS, _l("Status"), default="REGISTERED")
    # --- plain telegrams only
    sender_org_id: Mapped[Optional[int]] = fk_column("department", _l("Sending authority"))
    sender_org = relation("Department", sender_org_id, _l("Sending authority"))
    signer: Mapped[Optional[str]] = mapped_column(String(100), info=label(_l("Signed by")))
    title: Mapped[Optional[str]] = mapped_column(String(300), index=True, info=label(_l("Title")))
    content: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Content")))
    pages: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("Page count")))
    document_id: Mapped[Optional[int]] = fk_column("document", _l("Routed as document"))
    document = relation("Document", document_id, _l("Routed as document"))
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))
    # a telegram received is handled by the time limit of its priority (TelegramSLA, `telegram_due`)
    due_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime, index=True, info=label(
        _l("Handle by"), description=_l("Received telegrams: set on save from the time limits of the priority")))

    recipients = child_rows("TelegramRecipient", "telegram", _l("Recipients"), order_by="TelegramRecipient.seq")

    @property
    def is_cipher(self) -> bool:
        return self.tele_type == "MIDIAN"

    def __str__(self) -> str:
        return f"{self.tele_no or ''} {'' if self.is_cipher else (self.title or '')}".strip()


class TelegramRecipient(RecipientLine, BusinessRecord, Model):
    """One addressee of a plain telegram, in order."""

    __tablename__ = "telegram_recipient"

    telegram_id: Mapped[int] = parent_key("telegram", _l("Telegram"))
    telegram = parent_relation("Telegram", "recipients", _l("Telegram"))


# --- Numbering ---------------------------------------------------------------------------
def next_doc_seq(session, prefix: str, year: int) -> int:
    current = session.execute(
        select(func.max(Document.doc_no_seq)).where(Document.doc_no_prefix == prefix, Document.doc_no_year == year)
    ).scalar()
    return (current or 0) + 1


def allocate_doc_no(session, doc: Document, prefix: str, year: Optional[int] = None, *, attempts: int = 5) -> str:
    """Give `doc` the next number of the numbering series prefix+year (models/numbering.py:
    one atomic UPDATE in this transaction, so concurrent numberings never share a number).
    The series opens on first use after the highest number already used; a number typed
    by hand that the series reaches later is skipped (the unique constraint decides)."""
    year = year or today_cn().year
    for _ in range(attempts):
        seq, _text = allocate_number(session, prefix, year, start_after=lambda: next_doc_seq(session, prefix, year) - 1)
        savepoint = session.begin_nested()
        doc.doc_no_prefix, doc.doc_no_year, doc.doc_no_seq = prefix, year, seq
        try:
            session.flush()
        except IntegrityError:
            savepoint.rollback()
            continue
        savepoint.commit()
        return format_doc_no(prefix, year, seq)
    raise RuntimeError(f"could not allocate a number in {prefix}〔{year}〕 after {attempts} attempts")


# --- Handling steps (流转记录) --------------------------------------------------------------
#: The handling step (流转记录) each document transition writes: its type, and the field whose
#: value is the step's opinion when the transition was fired without a comment.
DOCUMENT_STEPS: dict[str, tuple[str, object]] = {
    "sign_for": ("QIANSHOU", None), "register": ("DENGJI", None), "review": ("CHUSHEN", None),
    "return_document": ("TUIWEN", None),
    "propose": ("NIBAN", "proposed_opinion"), "instruct": ("PISHI", None), "circulate": ("CHUANYUE", None),
    "assign_handling": ("CHENGBAN", None), "finish": ("CHENGBAN", "handling_result"),
    "submit_draft": ("QICAO", None), "send_countersign": ("HEGAO", None), "pass_division_review": ("HEGAO", None),
    "finish_countersign": ("HUIQIAN", None), "return_draft": ("HEGAO", None), "sign": ("QIANFA", None),
    "recheck": ("FUHE", None), "return_to_signer": ("FUHE", None), "number": ("BIANHAO", "doc_no"),
    "seal": ("YONGYIN", lambda doc: f"用印{doc.seal_copies}份" if doc.seal_copies else ""),
    "print": ("YINZHI", None), "distribute": ("HEFA", None), "publish": ("GONGKAI", None),
    "void": ("ZUOFEI", None), "instruct_memo": ("PISHI", None), "finish_memo": ("CHENGBAN", "handling_result"),
    "archive": ("GUIDANG", "archive_no"),
    "repeal": ("FEIZHI", lambda doc: _validity_opinion(doc)), "revoke": ("CHEXIAO", lambda doc: _validity_opinion(doc)),
    "declassify": ("JIEMI", lambda doc: _declassify_opinion(doc)),
}

#: How the levels read in a handling step's opinion (the step log is kept in Chinese, as on paper).
_SECRECY_ZH = {"FEIMI": "非密", "NEIBU": "内部", "MIMI": "秘密", "JIMI": "机密", "JUEMI": "绝密"}


def _validity_opinion(doc) -> str:
    basis = f"（依据：{doc.validity_basis}）" if doc.validity_basis else ""
    return f"{doc.validity_reason or ''}{basis}"


def _declassify_opinion(doc) -> str:
    parts = [f"{_SECRECY_ZH.get(doc.declassified_from, doc.declassified_from or '')}→"
             f"{_SECRECY_ZH.get(doc.secrecy_level, doc.secrecy_level)}"]
    if doc.declassified_on:
        parts.append(f"自{doc.declassified_on:%Y-%m-%d}起")
    if doc.declassify_approver is not None:
        parts.append(f"批准人：{doc.declassify_approver.name}")
    if doc.declassify_basis:
        parts.append(f"依据：{doc.declassify_basis}")
    return "；".join(parts)


def _acting_person(actor: Optional[str]):
    """Who acted, as the step log names people: the user's personnel record if linked, and
    the unit of his account — the one an admin set, which his scope comes from — not the
    unit on a personnel record a clerk may edit (a step's unit opens the document to it)."""
    user = getattr(g, "user", None) if has_request_context() else None
    person = getattr(user, "personnel", None)
    unit = getattr(user, "department", None)
    if person is not None:
        return person.name, unit if unit is not None else person.department
    return actor, unit


def acting_name() -> Optional[str]:
    """Who acts now, as a step or a stamp names him: his personnel record's name, else his login."""
    user = getattr(g, "user", None) if has_request_context() else None
    name, _unit = _acting_person(getattr(user, "username", None))
    return (name or "")[:50] or None


def add_handling_step(doc: Document, move) -> None:
    """Move hook (views/documents.py): whatever fires a document transition (its screen, the
    API, a district request it moves with), the document's handling steps get the matching
    line in the same transaction."""
    step_type, field = DOCUMENT_STEPS.get(move.transition, (None, None))
    if step_type is None:
        return
    doc.__dict__.pop(ACTION_FLAG, None)        # the action is done: later edits are plain edits again
    actor, department = _acting_person(move.actor)
    if callable(field):
        opinion = move.comment or field(doc)
    else:
        opinion = move.comment or (str(getattr(doc, field) or "") if field else "")
    move.session.add(DocumentStep(document_id=doc.id, step_type=step_type, actor=(actor or "")[:50] or None,
                                  department=department, opinion=opinion or None, acted_at=now_cn()))


# --- Rules -------------------------------------------------------------------------------
def default_due_date(doc: Document) -> Optional[dt.date]:
    """An incoming document to act on (办件) is due by the time limits table (`DocumentSLA`,
    by urgency) counted from its receipt, or from today before it is received. A document
    for reading only (阅件) and outgoing documents get none."""
    if doc.direction != "INCOMING" or doc.read_or_act == "YUEJIAN":
        return None
    received = doc.received_at.date() if doc.received_at is not None else today_cn()
    return document_due_date(doc.urgency, received, record_session(doc))


def fill_due_date(doc: Document, _change) -> None:
    """Save hook (views/documents.py): whatever path writes an incoming document (screen,
    API, import), an empty due date is filled from the time limits table."""
    if doc.due_date is None:
        due = default_due_date(doc)
        if due is not None:
            doc.due_date = due


def _status_label(code: str) -> str:
    try:
        return lookup_label(DOC_STATUS, code)
    except Exception:  # no database at hand: the code says it too
        return code


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def secrecy_problems(doc: Document) -> list[str]:
    """The secrecy and 行文 rules of one document; [] when it may be saved.

    - 秘密 or above: no body text (the system keeps a registration stub only), and the
      copy number (份号, 6 digits) is required;
    - a 请示 has exactly one main recipient;
    - an upward (上行文) document shows its signer (签发人);
    - an urgent incoming document has a due date (given, or from the time limits table);
    - 不予公开 needs its reason.
    """
    problems: list[str] = []
    classified = doc.secrecy_level in CLASSIFIED_LEVELS
    if classified and not _blank(doc.body):
        problems.append(gettext(
            "A document classified Confidential or above may not carry its body text: "
            "keep a registration stub only."))
    if classified and _blank(doc.copy_no):
        problems.append(gettext("A classified document needs its copy number."))
    if not _blank(doc.copy_no) and not re.fullmatch(r"\d{6}", doc.copy_no.strip()):
        problems.append(gettext("The copy number has 6 digits."))
    if doc.doc_type == REQUEST_FOR_INSTRUCTIONS:
        mains = [r for r in doc.recipients or [] if r.kind == "MAIN"]
        if len(mains) != 1:
            problems.append(gettext(
                "A request for instructions has exactly one main recipient; it has %(n)d.", n=len(mains)))
    if doc.writing_direction == "SHANGXING" and _blank(doc.signer):
        problems.append(gettext("An upward document must show its signer."))
    if doc.direction == "INCOMING" and doc.urgency in URGENT_LEVELS and doc.due_date is None \
            and default_due_date(doc) is None:
        problems.append(gettext("An urgent incoming document needs a due date."))
    if doc.disclosure == "BUYU" and _blank(doc.disclosure_reason):
        problems.append(gettext("A document that is not disclosed needs the reason."))
    return problems


def document_problems(doc: Document) -> list[str]:
    """Every rule of a document: `secrecy_problems` plus numbering, workflow and the
    other 行文 rules (a 请示 is never copied to subordinate organs; a normative document
    is reviewed for legality and published)."""
    problems = secrecy_problems(doc)
    direction = doc.direction
    if doc.status and direction in STATUS_FLOWS and doc.status not in STATUS_FLOWS[direction]:
        problems.append(gettext("The status %(status)s does not belong to the workflow of this direction.",
                                status=_status_label(doc.status)))
    parts = (doc.doc_no_prefix, doc.doc_no_year, doc.doc_no_seq)
    if any(not _blank(p) for p in parts) and not all(not _blank(p) for p in parts):
        problems.append(gettext("A document number needs its agency prefix, year and serial number together."))
    if doc.doc_no_seq is not None and doc.doc_no_seq < 1:
        problems.append(gettext("The serial number of a document number starts at 1."))
    if doc.doc_no_year is not None and not 1949 <= doc.doc_no_year <= 2999:
        problems.append(gettext("The year of a document number has four digits."))
    if direction == "OUTGOING":
        if doc.status in NUMBERED_STATUSES and _blank(doc.doc_no_seq):
            problems.append(gettext("A numbered outgoing document needs its document number."))
        if doc.status in SIGNED_STATUSES and _blank(doc.signer):
            problems.append(gettext("A signed document needs its signer."))
    if direction == "INCOMING" and doc.status not in UNREGISTERED_STATUSES and _blank(doc.receive_no):
        problems.append(gettext("A registered incoming document needs its receipt number."))
    if doc.doc_type == REQUEST_FOR_INSTRUCTIONS and direction == "OUTGOING":
        for r in doc.recipients or []:
            unit = r.department
            if r.kind == "CC" and unit is not None and unit.unit_type in SUBORDINATE_UNIT_TYPES:
                problems.append(gettext("A request for instructions is never copied to a subordinate unit "
                                        "(%(unit)s).", unit=str(unit)))
    if doc.is_normative and not doc.legality_reviewed:
        problems.append(gettext("A normative document needs its legality review."))
    if doc.is_normative and direction == "OUTGOING" and not doc.publish_to_gazette:
        problems.append(gettext("A normative document must be published in the gazette."))
    if doc.issuer is not None and any(i.department is doc.issuer for i in doc.joint_issuers or []):
        problems.append(gettext("The lead issuer is listed again among the joint issuers."))
    for r in doc.recipients or []:
        if r.department is None and r.department_id is None and _blank(r.group_name):
            problems.append(gettext("Every recipient names a unit or a collective recipient."))
            break
    handlers = list(doc.handlers or [])
    leads = [h for h in handlers if h.role == LEAD]
    if len(leads) > 1:
        problems.append(gettext("A document has at most one lead handling unit; it has %(n)d.", n=len(leads)))
    if leads and doc.lead_department is not None and leads[0].department is not None \
            and leads[0].department is not doc.lead_department:
        problems.append(gettext("The lead unit of the document differs from its lead handling unit."))
    units = [h.department for h in handlers if h.department is not None]
    for unit in {u for u in units if units.count(u) > 1}:
        problems.append(gettext("The unit %(unit)s is assigned more than once.", unit=str(unit)))
    signs = [c.department for c in doc.countersigns or [] if c.department is not None]
    for unit in {u for u in signs if signs.count(u) > 1}:
        problems.append(gettext("The unit %(unit)s countersigns more than once.", unit=str(unit)))
    if doc.replied_at is not None and doc.received_at is not None and doc.replied_at < doc.received_at:
        problems.append(gettext("The reply cannot be earlier than the receipt."))
    problems += validity_problems(doc)
    problems += action_problems(doc)
    return problems


def telegram_due(tele: Telegram, change) -> None:
    """Save hook (views/documents.py): a received telegram (收电) is due by the time limit of its
    priority (`TelegramSLA`), counted from its receipt — set when it is registered and again
    when its priority or receipt time changes, unless the same save types a due time. A sent
    telegram (发电) has none."""
    from app.lifecycle import changed

    if tele.direction != "INCOMING":
        if tele.due_at is not None and changed(tele, "direction"):
            tele.due_at = None
        return
    typed = not change.created and changed(tele, "due_at")
    if typed or (tele.due_at is not None and not change.created
                 and not changed(tele, "priority", "transmitted_at", "direction")):
        return
    if change.created and tele.due_at is not None:
        return
    tele.due_at = telegram_due_at(tele.priority, tele.transmitted_at, change.session)


# --- Normative documents: validity (有效期, 废止, 撤销) -----------------------------------------
ENDED = frozenset({"REPEALED", "REVOKED"})
#: What only the actions `repeal` / `revoke` write.
VALIDITY_FIELDS = ("validity_changed_at", "validity_changed_by", "validity_basis", "validity_reason")
#: What only the action `declassify` writes.
DECLASSIFY_FIELDS = ("declassified_from", "declassified_on", "declassify_approver", "declassify_basis")
#: The instance attribute an action's effect sets, so that the rules let it write its fields.
ACTION_FLAG = "_document_action"



def latest_expiry(effective: dt.date) -> dt.date:
    """The last day a normative document taking effect on `effective` may be in force: 5 years."""
    return add_years(effective, NORMATIVE_YEARS) - dt.timedelta(days=1)


def validity_problems(doc: Document) -> list[str]:
    """A normative document's period: it ends after it begins, and within 5 years."""
    if not doc.is_normative or doc.effective_date is None or doc.expiry_date is None:
        return []
    if doc.expiry_date < doc.effective_date:
        return [gettext("A normative document cannot expire before it takes effect.")]
    latest = latest_expiry(doc.effective_date)
    if doc.expiry_date > latest:
        return [gettext("A normative document is valid for at most %(years)d years: until %(latest)s at the latest.",
                        years=NORMATIVE_YEARS, latest=latest.isoformat())]
    return []


def _norm(value):
    return None if isinstance(value, str) and not value.strip() else value


def _changed(doc, name: str) -> bool:
    history = sa_inspect(doc).attrs[name].history
    if not history.has_changes():
        return False
    old = history.deleted[0] if history.deleted else None
    new = history.added[0] if history.added else None
    return _norm(old) != _norm(new)


def _previous(doc, name: str):
    history = sa_inspect(doc).attrs[name].history
    return history.deleted[0] if history.deleted else getattr(doc, name)


def action_problems(doc: Document) -> list[str]:
    """What a plain edit of a stored document may not do: lower its secrecy level, or write
    what the actions 解密/降密, 废止 and 撤销 record (each with who, when and on what basis)."""
    state = sa_inspect(doc)
    if not state.persistent:
        return []
    acting = doc.__dict__.get(ACTION_FLAG)
    problems = []
    if acting != "declassify":
        before, after = _previous(doc, "secrecy_level"), doc.secrecy_level
        if _changed(doc, "secrecy_level") and SECRECY_RANK.get(after, 0) < SECRECY_RANK.get(before, 0):
            problems.append(gettext("The secrecy level is lowered only by the action “%(action)s”, with its "
                                    "approver and basis; an edit may only raise it.",
                                    action=gettext("Declassify / downgrade")))
        elif any(_changed(doc, name) for name in DECLASSIFY_FIELDS):
            problems.append(gettext("The declassification is recorded by the action “%(action)s” only.",
                                    action=gettext("Declassify / downgrade")))
    if acting not in ENDED:
        ended = _changed(doc, "validity") and ({_previous(doc, "validity"), doc.validity} & ENDED)
        if ended or any(_changed(doc, name) for name in VALIDITY_FIELDS):
            problems.append(gettext("A normative document is repealed or revoked by the actions “%(repeal)s” and "
                                    "“%(revoke)s” only.", repeal=gettext("Repeal"), revoke=gettext("Revoke")))
    return problems


def keep_validity(doc: Document, _change) -> None:
    """Save hook: an issued normative document takes effect on its printing date unless another
    is given, is in force for 5 years unless a shorter period is given, and reads 有效 or 已失效
    by its expiry date — recomputed when those change (the daily run turns it 已失效 the day after
    its last day); 已废止 and 已撤销 stay."""
    if not doc.is_normative or doc.direction != "OUTGOING" or doc.status not in ISSUED_STATUSES:
        return
    if doc.effective_date is None:
        doc.effective_date = doc.printed_date or today_cn()
    if doc.expiry_date is None:
        doc.expiry_date = latest_expiry(doc.effective_date)
    if doc.validity in ENDED:
        return
    state = sa_inspect(doc)
    if doc.validity is None or not state.persistent or any(
            state.attrs[name].history.has_changes() for name in ("status", "effective_date", "expiry_date",
                                                                  "is_normative")):
        doc.validity = "EXPIRED" if doc.expiry_date < today_cn() else "VALID"


def already_ended(doc: Document) -> Optional[str]:
    """Why a normative document may not be repealed or revoked again (the actions' guard: no
    button then, and a clear refusal), or None."""
    if doc.validity not in ENDED:
        return None
    return gettext("This normative document is already %(state)s (%(who)s, %(at)s).",
                   state=lookup_label(DOC_VALIDITY, doc.validity), who=doc.validity_changed_by or "",
                   at=f"{doc.validity_changed_at:%Y-%m-%d %H:%M}" if doc.validity_changed_at else "")


def _end_validity(code: str):
    """The effect of 废止 (REPEALED) or 撤销 (REVOKED): once, on a normative document in force or expired."""
    def effect(doc: Document, _session) -> None:
        if not doc.is_normative:
            raise RuleViolation([gettext("Only a normative document is repealed or revoked.")])
        ended = already_ended(doc)
        if ended:
            raise RuleViolation([ended])
        doc.validity = code
        doc.__dict__[ACTION_FLAG] = code
    effect.__name__ = {"REPEALED": "repeal", "REVOKED": "revoke"}[code]
    effect.__doc__ = f"废止/撤销: the validity becomes {code}, with who, when, why and the deciding document."
    return effect


repeal = _end_validity("REPEALED")
revoke = _end_validity("REVOKED")


def declassify(doc: Document, _session) -> None:
    """解密 / 降密: the level goes down only; the level it had, the approver, the basis and the date
    are recorded (the date today unless given). A record downgraded below 秘密 is no longer a stub
    and may then carry its body and attachments."""
    before, after = _previous(doc, "secrecy_level"), doc.secrecy_level
    if SECRECY_RANK.get(after, 0) >= SECRECY_RANK.get(before, 0):
        raise RuleViolation([gettext("A declassification lowers the level: choose one below %(level)s.",
                                     level=lookup_label(SECRECY, before))])
    earlier = _previous(doc, "declassified_from") is not None
    if earlier and not _changed(doc, "declassify_basis"):
        raise RuleViolation([gettext("Give the basis of this declassification (the one shown is of the last).")])
    if earlier and not _changed(doc, "declassified_on"):
        doc.declassified_on = today_cn()
    doc.declassified_from = before
    doc.__dict__[ACTION_FLAG] = "declassify"


# --- The daily run (app/reminders/run.py DAILY) ------------------------------------------------
#: Who a handling step the system writes names as its actor.
SYSTEM_ACTOR = "系统"
#: Statuses in which a document waits for nobody (the workflow's `finished`).
FINISHED_STATUSES = ("RETURNED", "DONE", "DISTRIBUTED", "PUBLISHED", "ARCHIVED", "VOID")


def urge_due_documents(session, today: dt.date, days: int) -> int:
    """Automatic 催办: an incoming document, not finished nor in the Trash, due within `days`
    working days or overdue, gets a 催办 handling step by the system — at most one 催办 a day
    (one written by hand that day counts) — which tells its handling units (app/reminders/feeds.py
    `document_urged`). Returns how many were urged."""
    from models.calendar import add_working_days

    horizon = add_working_days(today, days, session=session)
    day_start = dt.datetime.combine(today, dt.time.min)
    day_end = day_start + dt.timedelta(days=1)
    urged_today = (select(DocumentStep.document_id)
                   .where(DocumentStep.step_type == "CUIBAN", DocumentStep.is_deleted.is_(False),
                          DocumentStep.acted_at >= day_start, DocumentStep.acted_at < day_end))
    docs = (session.query(Document)
            .filter(Document.is_deleted.is_(False), Document.direction == "INCOMING",
                    Document.status.notin_(FINISHED_STATUSES), Document.due_date.isnot(None),
                    Document.due_date <= horizon, Document.id.notin_(urged_today))
            .order_by(Document.id).all())
    at = dt.datetime.combine(today, now_cn().time())
    for doc in docs:
        session.add(system_urge(doc, today, at, session))
    return len(docs)


def system_urge(doc: Document, today: dt.date, at: dt.datetime, session) -> DocumentStep:
    """The 催办 step the system writes for `doc` on `today`: its due date and what is left of it."""
    from models.calendar import working_days_between

    if doc.due_date < today:
        late = (today - doc.due_date).days
        opinion = f"系统自动催办：办理时限为{doc.due_date:%Y-%m-%d}，已逾期{late}天，请抓紧办理。"
    else:
        left = working_days_between(today, doc.due_date, session=session)
        opinion = f"系统自动催办：办理时限为{doc.due_date:%Y-%m-%d}，剩余{left}个工作日，请按时办结。"
    return DocumentStep(document=doc, step_type="CUIBAN", actor=SYSTEM_ACTOR, opinion=opinion, acted_at=at,
                        due_at=dt.datetime.combine(doc.due_date, dt.time(17, 30)))


def expire_normative_documents(session, today: dt.date) -> int:
    """A normative document in force past its last day reads 已失效 from the next day."""
    docs = (session.query(Document)
            .filter(Document.is_deleted.is_(False), Document.validity == "VALID", Document.expiry_date < today)
            .order_by(Document.id).all())
    for doc in docs:
        doc.validity = "EXPIRED"
    return len(docs)


def telegram_problems(tele: Telegram) -> list[str]:
    """A 密码电报 is a registration stub: number, priority, time and clerk only."""
    problems: list[str] = []
    if _blank(tele.tele_no):
        problems.append(gettext("A telegram needs its number."))
    if tele.tele_type == "MIDIAN":
        carried = [name for name in ("title", "content", "signer") if not _blank(getattr(tele, name))]
        if carried or tele.sender_org is not None or tele.sender_org_id is not None \
                or tele.recipients or tele.document is not None or tele.document_id is not None:
            problems.append(gettext(
                "A cipher telegram is a registration stub only: number, priority, time and clerk; "
                "remove its title, content, signer, sender, recipients and document link."))
        if tele.secrecy_level not in CLASSIFIED_LEVELS:
            problems.append(gettext("A cipher telegram is classified Confidential or above."))
    else:
        if _blank(tele.title):
            problems.append(gettext("A plain telegram needs its title."))
        if tele.secrecy_level in CLASSIFIED_LEVELS and not _blank(tele.content):
            problems.append(gettext(
                "A telegram classified Confidential or above may not carry its content."))
    if tele.transmitted_at is None:
        problems.append(gettext("A telegram needs the time it was received or sent."))
    return problems


# --- Workflow effects (the document workflow in views/documents.py names them) ---------------------
def number_document(doc: Document, session) -> None:
    """编号: the next 发文字号 of the issuer's series (its agency code, e.g. 厦府, unless the
    clerk typed another prefix), allocated atomically; a document numbered already keeps it."""
    if doc.doc_no_seq is not None:
        return
    prefix = (doc.doc_no_prefix or "").strip() or (doc.issuer.agency_code if doc.issuer is not None else None)
    if not prefix:
        raise RuleViolation([gettext("Give the agency prefix of the document number (or an issuer that has an "
                                     "agency code) before numbering.")])
    try:
        allocate_doc_no(session, doc, prefix, doc.doc_no_year)
    except NumberingError as error:
        raise RuleViolation([str(error)]) from error


def published_before_archiving(doc: Document, _session) -> None:
    """A proactively disclosed outgoing document is published (主动公开) before it is
    archived; the others are archived once distributed."""
    previous = sa_inspect(doc).attrs.status.history.deleted
    if doc.direction == "OUTGOING" and doc.disclosure == "ZHUDONG" and "DISTRIBUTED" in previous:
        raise RuleViolation([gettext("A proactively disclosed document is published before it is archived.")])


def unsign(doc: Document, _session) -> None:
    """A substantive change found at 复核 voids the signature: the signer signs the changed text again."""
    doc.signed_at = None
    doc.written_date = None
