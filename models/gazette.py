"""The government gazette (政府公报, docs/domain.md §3): issues and their table of contents.

Regulations (规章) and normative documents must be published in it; an entry may link
to the outgoing Document it reprints, or stand alone (a department's document, an
appointment notice, a policy interpretation).
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from flask_babel import gettext
from sqlalchemy import Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import (
    BusinessRecord,
    Model,
    _l,
    child_rows,
    current_lang,
    display,
    fk_column,
    label,
    lookup_column,
    parent_key,
    parent_relation,
    relation,
)
from models.label_sql import joined
from models.lookups import define_lookup

GAZETTE_STATUS = define_lookup("gazette_status", _l("Gazette issue status"), [
    ("EDITING", "编辑中", "Editing"), ("PROOFING", "校对中", "Proofing"), ("APPROVING", "送审中", "Approving"),
    ("PRINTING", "印制中", "Printing"), ("PUBLISHED", "已出版", "Published"), ("ONLINE", "已上网", "Online"),
])
GAZETTE_SECTION = define_lookup("gazette_section", _l("Gazette section"), [
    ("SZFL", "市政府令", "Orders of the Municipal Government"),
    ("SZFWJ", "市政府文件", "Documents of the Municipal Government"),
    ("SZFBWJ", "市政府办公厅文件", "Documents of the General Office"),
    ("BMWJ", "部门文件", "Departmental documents"),
    ("RSRM", "人事任免", "Appointments and removals"),
    ("ZCJD", "政策解读", "Policy interpretation"),
    ("QITA", "其他", "Other"),
])

#: An issue's transitions are declared with the entity (views/gazette.py).
PUBLISHED_STATUSES = frozenset({"PUBLISHED", "ONLINE"})


class GazetteIssue(BusinessRecord, Model):
    """One issue (期) of the Xiamen Municipal Government Gazette."""

    __tablename__ = "gazette_issue"
    #: What a search-as-you-type drop-down finds it by (app/registry/labels.py).
    __label_columns__ = ("year", "issue_no", lambda cls: joined(cls.year, "年第", cls.issue_no, "期"),
                         lambda cls: joined(cls.year, " No. ", cls.issue_no))
    __table_args__ = (UniqueConstraint("year", "issue_no", name="uq_gazette_issue_year_no"),)
    __order__ = ("cumulative_no", "desc")

    year: Mapped[int] = mapped_column(Integer, index=True, info=label(_l("Year")))
    issue_no: Mapped[int] = mapped_column(Integer, info=label(
        _l("Issue number"), description=_l("Number within the year")))
    cumulative_no: Mapped[Optional[int]] = mapped_column(Integer, index=True, info=label(
        _l("Cumulative number"), description=_l("Counted since the first issue")))
    publish_date: Mapped[Optional[dt.date]] = mapped_column(Date, index=True, info=label(_l("Publication date")))
    status: Mapped[str] = lookup_column(GAZETTE_STATUS, _l("Status"), nullable=False, default="EDITING")
    editor_id: Mapped[Optional[int]] = fk_column("personnel", _l("Editor"))
    editor = relation("Personnel", editor_id, _l("Editor"))
    approver: Mapped[Optional[str]] = mapped_column(String(50), info=label(_l("Approver")))
    print_run: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("Print run")))
    pdf_file: Mapped[Optional[str]] = mapped_column(String(255), info=label(_l("PDF file")))
    web_url: Mapped[Optional[str]] = mapped_column(String(255), info=label(_l("Web address")))
    remark: Mapped[Optional[str]] = mapped_column(Text, info=label(_l("Remarks")))

    entries = child_rows("GazetteEntry", "issue", _l("Gazette contents"), order_by="GazetteEntry.sort")

    @display(_l("Gazette issue"))
    def issue_label(self) -> str:
        if not self.year or not self.issue_no:
            return ""
        if current_lang() == "en":
            return f"{self.year} No. {self.issue_no}"
        return f"{self.year}年第{self.issue_no}期"

    def __str__(self) -> str:
        return self.issue_label


class GazetteEntry(BusinessRecord, Model):
    """One item of an issue's table of contents (公报目录)."""

    __tablename__ = "gazette_entry"

    issue_id: Mapped[int] = parent_key("gazette_issue", _l("Gazette issue"))
    issue = parent_relation("GazetteIssue", "entries", _l("Gazette issue"))
    section: Mapped[str] = lookup_column(GAZETTE_SECTION, _l("Gazette section"), nullable=False, default="SZFWJ")
    sort: Mapped[int] = mapped_column(Integer, default=1, info=label(_l("Order")))
    document_id: Mapped[Optional[int]] = fk_column("document", _l("Document"))
    document = relation("Document", document_id, _l("Document"))
    title: Mapped[str] = mapped_column(String(300), index=True, info=label(_l("Title")))
    doc_no: Mapped[Optional[str]] = mapped_column(String(60), index=True, info=label(
        _l("Document number"), description=_l("As printed in the gazette")))
    page_start: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("First page")))
    page_end: Mapped[Optional[int]] = mapped_column(Integer, info=label(_l("Last page")))

    @display(_l("Pages"))
    def pages(self) -> str:
        if self.page_start is None:
            return ""
        if self.page_end is None or self.page_end == self.page_start:
            return str(self.page_start)
        return f"{self.page_start}–{self.page_end}"

    def __str__(self) -> str:
        return self.title or ""


def gazette_issue_problems(issue: GazetteIssue) -> list[str]:
    """Rules of an issue; [] when it may be saved."""
    problems: list[str] = []
    if issue.issue_no is not None and issue.issue_no < 1:
        problems.append(gettext("The issue number starts at 1."))
    if issue.status in PUBLISHED_STATUSES and issue.publish_date is None:
        problems.append(gettext("A published issue needs its publication date."))
    if issue.status == "ONLINE" and not (issue.web_url or "").strip():
        problems.append(gettext("An issue put online needs its web address."))
    if issue.publish_date is not None and issue.year and issue.publish_date.year != issue.year:
        problems.append(gettext("The publication date falls outside the issue's year."))
    return problems


def gazette_entry_problems(entry: GazetteEntry) -> list[str]:
    problems: list[str] = []
    if entry.page_start is not None and entry.page_end is not None and entry.page_end < entry.page_start:
        problems.append(gettext("The last page cannot come before the first page."))
    doc = entry.document
    if doc is not None and doc.direction != "OUTGOING":
        problems.append(gettext("Only an outgoing document can be published in the gazette."))
    if doc is not None and doc.is_classified:
        problems.append(gettext("A classified document cannot be published in the gazette."))
    return problems
