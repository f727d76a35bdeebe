"""An outgoing document (发文) as the parts GB/T 9704-2012 prints, in order, with their words.

`outgoing_paper(document)` reads a `Document` record once and returns a plain description —
no fonts, no millimetres — that the DOCX and PDF writers lay out alike. The record's codes
become the document's own words here (密级 秘密★10年, 紧急程度 特急, 成文日期 2026年3月5日):
they are the document's content, so they are Chinese whatever language the clerk reads.

涉密不上网 (docs/domain.md §9): a record at 秘密 or above is a registration stub in this system,
so its paper is a stub too — the marks that register it (份号, 密级, 紧急程度, 发文机关, 发文字号),
a notice in place of its title and body, and nothing of its content.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from app.paper.office_layout import OfficeLayout
from models.lookups import CLASSIFIED_LEVELS, REQUEST_FOR_INSTRUCTIONS

#: 密级 as the standard marks it (7.2.2); 非密 and 内部 are not state secrets and print no mark.
SECRECY_MARKS = {"MIMI": "秘密", "JIMI": "机密", "JUEMI": "绝密"}
#: 紧急程度 (7.2.3); a 平件 prints none.
URGENCY_MARKS = {"JIAJI": "加急", "TEJI": "特急"}
#: Document types that go up (上行文) when the record names no writing direction.
UPWARD_TYPES = frozenset({REQUEST_FOR_INSTRUCTIONS, "BAOGAO"})

#: What a classified record prints instead of its title and body.
STUB_TITLE = "涉密公文登记页"
STUB_NOTICE = ("本件为{level}公文。按照“涉密不上网、上网不涉密”的规定，本系统仅保留其登记信息，"
               "标题、正文和附件不在本系统处理和印制。")

#: The four levels of headings in the body (7.3.3): 一、 （一） 1. （1）
_LEVELS = (
    (1, re.compile(r"^[一二三四五六七八九十百]+、")),
    (2, re.compile(r"^（[一二三四五六七八九十百]+）")),
    (3, re.compile(r"^\d+[.．]")),
    (4, re.compile(r"^（\d+）")),
)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the body. `heading` is its leading part set in the level's font (the
    whole paragraph when it is a heading alone, else the sentence the number opens)."""

    text: str
    level: int = 0
    heading: str = ""

    @property
    def rest(self) -> str:
        return self.text[len(self.heading):]


@dataclass
class OutgoingPaper:
    """The parts of one outgoing document, in the order and words they print."""

    stub: bool
    copy_no: str = ""                                   # 份号
    secrecy: str = ""                                   # 密级和保密期限
    urgency: str = ""                                   # 紧急程度
    issuers: list[str] = field(default_factory=list)    # 发文机关标志: lead first, then the joint issuers
    doc_no: str = ""                                    # 发文字号
    upward: bool = False                                # 上行文: 发文字号 left, 签发人 right
    signers: list[str] = field(default_factory=list)    # 签发人, in the issuers' order
    title: str = ""
    main_recipients: str = ""                           # 主送机关, ending in the full-width colon
    paragraphs: list[Paragraph] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)  # 附件说明, one name each
    signatures: list[str] = field(default_factory=list)   # 发文机关署名
    written_date: str = ""                              # 成文日期
    annotation: str = ""                                # 附注, in its round brackets
    copied_to: str = ""                                 # 版记: 抄送机关, ending in 。
    printing_org: str = ""                              # 版记: 印发机关
    printed_date: str = ""                              # 版记: 印发日期 …印发
    filename: str = "发文"                               # a file name without its extension
    layout: OfficeLayout = field(default_factory=OfficeLayout)   # the office's choices (console)

    @property
    def mark(self) -> str:
        """The 发文机关标志 of a single issuer (厦门市人民政府文件, as the office's layout words it)."""
        return self.layout.mark_of("".join(self.issuers[:1]))

    @property
    def has_imprint(self) -> bool:
        return bool(self.copied_to or self.printing_org or self.printed_date)


def chinese_date(day: dt.date | dt.datetime | None) -> str:
    """2026年3月5日: Arabic numerals, the full year, no leading zero (7.3.5.1, 7.4.3)."""
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日"


def secrecy_mark(level: str | None, term: str | None) -> str:
    """秘密★10年 (7.2.2); the level alone when no term is set."""
    mark = SECRECY_MARKS.get(level or "", "")
    term = (term or "").strip()
    return f"{mark}★{term}" if mark and term else mark


def heading_level(text: str) -> tuple[int, str]:
    """The level a paragraph opens with and its heading part: the number and, for 一、 and
    （一）, the sentence it opens (a heading alone is the whole paragraph); (0, '') for text."""
    for level, pattern in _LEVELS:
        found = pattern.match(text)
        if found:
            end = text.find("。")
            return level, text if end < 0 or end == len(text) - 1 else text[:end + 1]
    return 0, ""


def body_paragraphs(body: str | None) -> list[Paragraph]:
    """The body text's lines as paragraphs: blank lines dropped, the clerk's own indent
    (spaces, full-width spaces) taken off since the layout indents every paragraph."""
    paragraphs = []
    for line in (body or "").splitlines():
        text = line.strip(" \t\u3000")
        if text:
            level, heading = heading_level(text)
            paragraphs.append(Paragraph(text, level, heading))
    return paragraphs


def _bare(text: str) -> str:
    return re.sub(r"[\s，,、：:;；]", "", text)


def salutation_once(main_recipients: str, paragraphs: list[Paragraph]) -> tuple[str, list[Paragraph]]:
    """(主送, 正文) with the salutation printed once: clerks often open the body with the
    recipients' line (各区人民政府，市直各委、办、局：). That line is dropped when it is the 主送
    already, and becomes the 主送 when the record names none."""
    if not paragraphs:
        return main_recipients, paragraphs
    first = paragraphs[0].text
    if not first.endswith(("：", ":")) or len(first) > 200 or paragraphs[0].level:
        return main_recipients, paragraphs
    if not main_recipients:
        return first.rstrip(":：") + "：", paragraphs[1:]
    if _bare(first) == _bare(main_recipients):
        return main_recipients, paragraphs[1:]
    return main_recipients, paragraphs


_NUMBERED = re.compile(r"^\d+[.．]\s*")


def attachment_names(note: str | None) -> list[str]:
    """The 附件说明's names, numbered 1. 2. when there are several (7.3.4), with no end
    punctuation; a leading 附件： the clerk typed is not repeated."""
    lines = [line.strip(" \t\u3000") for line in (note or "").splitlines()]
    lines = [re.sub(r"^附件[:：]\s*", "", line) for line in lines if line.strip(" \t\u3000")]
    names = [_NUMBERED.sub("", line).rstrip("。.；;，,") for line in lines]
    names = [name for name in names if name]
    if len(names) > 1:
        return [f"{i}.{name}" for i, name in enumerate(names, 1)]
    return names


def _unit_full_name(unit) -> str:
    """A unit as an official document names it: its full Chinese name."""
    return (getattr(unit, "name_zh", None) or str(unit or "")).strip()


def _recipient_names(document, kind: str) -> list[str]:
    """The recipients of one kind, in order: a collective name as typed, a unit by the
    short name the office uses in recipient lists (its full name when it has none)."""
    names = []
    for line in document.recipients or []:
        if line.kind != kind or getattr(line, "is_deleted", False):
            continue
        unit = line.department
        if unit is not None:
            names.append((unit.short_name_zh or unit.name_zh or "").strip())
        elif (line.group_name or "").strip():
            names.append(line.group_name.strip())
    return [name for name in names if name]


def _issuer_lines(document) -> tuple[list[str], list[str]]:
    """The issuers (lead first, then the joint issuers in their order) and their signers."""
    issuers, signers = [], []
    if document.issuer is not None:
        issuers.append(_unit_full_name(document.issuer))
        if (document.signer or "").strip():
            signers.append(document.signer.strip())
    joint = sorted((j for j in document.joint_issuers or [] if not getattr(j, "is_deleted", False)),
                   key=lambda j: (j.seq or 0, j.id or 0))
    for line in joint:
        if line.department is not None:
            issuers.append(_unit_full_name(line.department))
            if (line.signer or "").strip():
                signers.append(line.signer.strip())
    if not issuers and (document.signer or "").strip():
        signers.append(document.signer.strip())
    return [name for name in issuers if name], signers


def is_upward(document) -> bool:
    """上行文 (7.2.5, 7.2.6): the record's writing direction, else its type (请示, 报告)."""
    if document.writing_direction:
        return document.writing_direction == "SHANGXING"
    return document.doc_type in UPWARD_TYPES


def _filename(document, stub: bool) -> str:
    """厦府〔2026〕12号 关于…的通知 — without the characters a file system refuses."""
    parts = [document.doc_no or ""] + ([STUB_TITLE] if stub else [document.title or ""])
    name = " ".join(part for part in parts if part).strip() or f"发文{document.id or ''}"
    return re.sub(r'[\\/:*?"<>|\r\n\t]+', "", name)[:120]


def outgoing_paper(document, layout: OfficeLayout | None = None) -> OutgoingPaper:
    """What one outgoing `Document` prints (GB/T 9704-2012), or its stub when classified, in
    the office's `layout` (the shipped default when none is given)."""
    issuers, signers = _issuer_lines(document)
    stub = document.secrecy_level in CLASSIFIED_LEVELS
    paper = OutgoingPaper(
        stub=stub,
        copy_no=(document.copy_no or "").strip(),
        secrecy=secrecy_mark(document.secrecy_level, document.secrecy_term),
        urgency=URGENCY_MARKS.get(document.urgency or "", ""),
        issuers=issuers,
        doc_no=document.doc_no or "",
        upward=is_upward(document),
        signers=signers if is_upward(document) else [],
        filename=_filename(document, stub),
        layout=layout or OfficeLayout(),
    )
    if stub:
        level = SECRECY_MARKS.get(document.secrecy_level, "涉密")
        paper.title = STUB_TITLE
        paper.paragraphs = [Paragraph(STUB_NOTICE.format(level=level))]
        paper.written_date = chinese_date(document.written_date)
        return paper
    mains = _recipient_names(document, "MAIN")
    copies = _recipient_names(document, "CC")
    paper.title = (document.title or "").strip()
    paper.main_recipients = "，".join(mains) + "：" if mains else ""
    paper.main_recipients, paper.paragraphs = salutation_once(paper.main_recipients, body_paragraphs(document.body))
    paper.attachments = attachment_names(document.attachment_note)
    paper.signatures = list(issuers)
    paper.written_date = chinese_date(document.written_date)
    remark = (document.remark or "").strip()
    if remark and not (remark.startswith("（") and remark.endswith("）")):
        remark = f"（{remark.strip('()（）')}）"
    paper.annotation = remark
    paper.copied_to = "，".join(copies) + "。" if copies else ""
    if document.printing_org is not None:
        paper.printing_org = _unit_full_name(document.printing_org)
    if document.printed_date is not None:
        paper.printed_date = paper.layout.printed_on(chinese_date(document.printed_date))
    return paper
