"""A drawn form (the HTML its layout gives, app/paper_forms/layouts.py) read back into a
neutral description the file writers lay out (app/paper_forms/files.py), so that the PDF and
the Word file are made from the very layout the browser prints — an admin's changed layout
changes all three.

The layouts use a small part of HTML: tables of labels and values (`th`/`td`, `colspan`, a
`colgroup` of label columns, rows of class `office-paper-tall` where a leader writes and
`office-paper-title-row` for the matter's title, `office-paper-list` for a ruled list of units),
paragraphs and divisions whose class says where they sit (centred number, right-hand issuer,
indented note …), `h2` headings and numbered lists. What is read here is that part; anything
else — an unknown tag, a stray inline element, a table outside the pattern — degrades to the
plain text it holds, never to an error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Paragraph roles by the class that places them on the sheet (print.css).
ROLES = {
    "office-paper-no": "center", "office-print-name": "name",
    "office-paper-issuer": "right", "office-paper-sign": "right",
    "office-paper-note": "indent", "office-paper-meta": "indent", "office-paper-body": "indent",
    "office-paper-who": "small", "office-paper-contact": "small",
}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
#: Tags that end the line of text before them and start a new one.
BLOCKS = {"p", "div", "section", "article", "header", "footer", "ul", "ol", "li", "table", "thead", "tbody",
          "tfoot", "tr", "td", "th", "colgroup", "col", "br", "hr", "blockquote", "pre", "dl", "dt", "dd",
          "caption"} | HEADINGS
#: Tags whose content is never printed.
HIDDEN = {"script", "style", "head", "title", "template"}
VOID = {"br", "col", "hr", "img", "input", "meta", "link", "wbr", "area", "base", "source"}
#: The width of a label column (col.office-paper-label in print.css), as a fraction of the table.
LABEL_WIDTH = 0.22


@dataclass
class Line:
    """A line of text with its role (plain, center, name — a centred name —, right, indent,
    heading, small); a line may hold the line breaks of the value it shows."""
    text: str
    role: str = "plain"


@dataclass
class Cell:
    lines: list[Line] = field(default_factory=list)
    header: bool = False
    colspan: int = 1
    tall: bool = False                          # a cell where a leader writes: at least 30 mm high
    big: bool = False                           # the matter's title, larger and bold

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class Table:
    rows: list[list[Cell]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)       # fractions of the table's width, summing to 1
    ruled_list: bool = False                                 # office-paper-list: black rules, cells left

    @property
    def columns(self) -> int:
        return max([sum(cell.colspan for cell in row) for row in self.rows] + [len(self.widths), 1])


@dataclass
class Paragraph:
    text: str
    role: str = "plain"


@dataclass
class NumberedList:
    items: list[str] = field(default_factory=list)


Block = Paragraph | Table | NumberedList


def _classes(attrs) -> set[str]:
    return set((dict(attrs).get("class") or "").split())


def _role(classes: set[str], inherited: str) -> str:
    for name in classes:
        if name in ROLES:
            return ROLES[name]
    return inherited


def _span(attrs) -> int:
    try:
        return max(1, min(int(dict(attrs).get("colspan") or 1), 50))
    except ValueError:
        return 1


class _Reader(HTMLParser):
    """Walks the drawn form, gathering text into the line being written and closing it at
    each block boundary into the paragraph, cell or list item it belongs to."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.stack: list[tuple[str, str]] = []      # (tag, role) of open elements
        self.buffer: list[str] = []
        self.hidden = 0
        self.tables: list[Table] = []               # open tables, innermost last
        self.row: list[Cell] | None = None
        self.cell: Cell | None = None
        self.row_classes: set[str] = set()
        self.items: NumberedList | None = None
        self.item: list[str] | None = None

    # --- where text goes -------------------------------------------------------------------------
    def _role_now(self) -> str:
        return self.stack[-1][1] if self.stack else "plain"

    def _flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        text = "\n".join(re.sub(r"[ \t\u00a0]+", " ", part).strip() for part in text.split("\n")).strip("\n")
        if not text.strip():
            return
        role = self._role_now()
        if self.item is not None:
            self.item.append(text)
        elif self.cell is not None:
            self.cell.lines.append(Line(text, role))
        else:
            self.blocks.append(Paragraph(text, role))

    # --- tags ----------------------------------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden += 1
            return
        if tag in BLOCKS:
            self._flush()
        classes = _classes(attrs)
        role = "heading" if tag in HEADINGS else _role(classes, self._role_now())
        if tag == "table":
            if self.tables or self.cell is not None:       # a table in a table: its text joins the cell
                pass
            else:
                self.tables.append(Table(ruled_list="office-paper-list" in classes))
        elif tag == "col" and self.tables and self.cell is None:
            self.tables[-1].widths.append(LABEL_WIDTH if "office-paper-label" in classes else 0.0)
        elif tag == "tr" and self.tables and self.cell is None:
            self._end_row()
            self.row = []
            self.row_classes = classes
        elif tag in ("td", "th") and self.tables and self.cell is None:
            if self.row is None:
                self.row, self.row_classes = [], set()
            self.cell = Cell(header=tag == "th", colspan=_span(attrs),
                             tall="office-paper-tall" in self.row_classes and tag == "td",
                             big="office-paper-title-row" in self.row_classes and tag == "td")
            role = _role(classes, "plain")
        elif tag in ("ol", "ul") and self.cell is None and self.items is None:
            self.items = NumberedList()
        elif tag == "li" and self.items is not None and self.item is None:
            self.item = []
        elif tag == "br":
            self.buffer.append("\n")
        elif "office-paper-date" in classes and self.buffer and not self.buffer[-1].endswith((" ", "\n")):
            self.buffer.append(" ")                         # a date after the name it dates
        if tag not in VOID:
            self.stack.append((tag, role))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.hidden = max(0, self.hidden - 1)
            return
        if tag in VOID:
            return
        if not any(open_tag == tag for open_tag, _role in self.stack):
            return                                          # a stray end tag: nothing to close
        if tag in BLOCKS:
            self._flush()
        while self.stack:
            open_tag, _role = self.stack.pop()
            self._closed(open_tag)
            if open_tag == tag:
                break

    def _closed(self, tag: str) -> None:
        if tag in BLOCKS:
            self._flush()
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.cell is None:
            self._end_row()
        elif tag == "table" and self.tables and self.cell is None:
            self._end_row()
            table = self.tables.pop()
            if table.rows:
                table.widths = _widths(table)
                self.blocks.append(table)
        elif tag == "li" and self.item is not None and self.items is not None:
            text = " ".join(self.item)
            if text:
                self.items.items.append(text)
            self.item = None
        elif tag in ("ol", "ul") and self.items is not None and self.item is None and self.cell is None:
            if self.items.items:
                self.blocks.append(self.items)
            self.items = None

    def _end_row(self) -> None:
        if self.row and self.tables:
            self.tables[-1].rows.append(self.row)
        self.row = None

    def handle_data(self, data):
        if self.hidden:
            return
        data = data.replace("\r\n", "\n").replace("\r", "\n")
        if "\n" in data and not data.strip():
            return                                          # the layout's own indentation
        data = re.sub(r"^[ \t]*\n\s*", "", data)
        data = re.sub(r"\s*\n[ \t]*$", "", data)
        self.buffer.append(data)

    def close(self):
        super().close()
        while self.stack:
            self._closed(self.stack.pop()[0])
        self._flush()
        if self.item is not None:
            self._closed("li")
        if self.items is not None and self.items.items:
            self.blocks.append(self.items)
            self.items = None
        if self.cell is not None and self.row is not None:
            self.row.append(self.cell)
            self.cell = None
        while self.tables:
            self._closed("table")


def _widths(table: Table) -> list[float]:
    """Each column's share of the table: label columns as print.css gives them, the others
    sharing the rest equally."""
    count = table.columns
    widths = (table.widths + [0.0] * count)[:count]
    fixed = sum(widths)
    free = [i for i, w in enumerate(widths) if not w]
    if fixed >= 1 or not free:
        return [1 / count] * count
    for i in free:
        widths[i] = (1 - fixed) / len(free)
    return widths


def read(html: str) -> list[Block]:
    """The blocks of a drawn form, in order."""
    reader = _Reader()
    try:
        reader.feed(str(html))
        reader.close()
    except Exception:                   # html.parser rarely refuses; if it does, the text still prints
        text = re.sub(r"<[^>]+>", " ", str(html))
        return [Paragraph(line.strip()) for line in text.splitlines() if line.strip()]
    return reader.blocks
