"""Reading pages the way a user does: the visible interface text, not the data."""
from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser

#: Elements whose text is interface (labels, menus, buttons, headings), not record data.
UI_TAGS = {"th", "label", "button", "legend", "h1", "h2", "h3", "h4", "h5", "title"}
UI_CLASSES = ("office-side", "office-top", "panel-title", "btn", "nav-tabs", "dropdown-menu", "pagination",
              "office-tile", "office-welcome", "help-block", "alert", "office-footer")
#: Drop-down options are records (units, people) as often as they are interface labels;
#: lookup labels are checked separately, in the language each page speaks.
SKIP_TAGS = {"script", "style", "option", "select"}
VOID = {"br", "img", "input", "meta", "link", "hr", "col", "source", "area", "base", "wbr", "embed", "param", "track"}


class _UiText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        parent_ui = self.stack[-1][1] if self.stack else False
        parent_skip = self.stack[-1][2] if self.stack else False
        cls = attrs.get("class") or ""
        ui = parent_ui or tag in UI_TAGS or any(c in cls for c in UI_CLASSES)
        # record data inside a table cell is not interface text, even inside a panel
        if tag == "td" or (tag == "span" and "white-space: pre-line" in (attrs.get("style") or "")):
            ui = False
        skip = parent_skip or tag in SKIP_TAGS or "data-data" in attrs
        for attr in ("title", "placeholder", "data-placeholder", "aria-label"):
            if attrs.get(attr) and not skip:
                self.texts.append(attrs[attr])
        if tag in VOID:
            return
        self.stack.append((tag, ui, skip))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][1] and not self.stack[-1][2] and data.strip():
            self.texts.append(data.strip())


def ui_texts(html: str) -> list[str]:
    parser = _UiText()
    parser.feed(html)
    return parser.texts


#: Words that are the same in both languages.
ALLOWED_LATIN = {"Excel", "API", "OpenAPI", "Swagger", "ID", "GB", "T", "PDF", "URL", "JSON", "JWT", "CPPCC", "NPC",
                 "English", "IT", "I", "II", "III", "IV", "A", "B", "C", "D", "REST", "A-Z", "x", "AND", "OR", "APP",
                 "Email", "E-mail", "XLSX", "xlsx"}
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z\-']{1,}")


def english_leftovers(html: str) -> list[str]:
    """Interface texts on a Chinese page that still contain English words (the record's
    own name after " · " in a title is data: a plate number, a model name)."""
    bad = []
    for text in ui_texts(html):
        words = [w for w in LATIN_WORD.findall(text.split(" · ")[0]) if w not in ALLOWED_LATIN]
        if words:
            bad.append(text)
    return bad


def chinese_leftovers(html: str, allowed: tuple[str, ...] = ("中文",)) -> list[str]:
    """Interface texts on an English page that still contain Chinese. An example of a
    Chinese data format after "e.g." (厦府〔2026〕12号) is meant to be Chinese, and so is
    the record's own name after " · " in a page title ("Edit Meeting · 第3次常务会议")."""
    return [t for t in ui_texts(html)
            if CJK.search(t.split("e.g.")[0].split(" · ")[0]) and t not in allowed]


def alerts(html: str) -> list[str]:
    """The messages a page shows the user: flashed alerts and field errors."""
    found = re.findall(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', html, flags=re.S)
    found += re.findall(r'<span class="help-block[^"]*"[^>]*>\s*([^<]+?)\s*</span>', html)
    return [re.sub(r"<[^>]+>|\s+", " ", html_lib.unescape(text)).replace("×", "").strip() for text in found]


def list_headers(page: str) -> list[str]:
    """The list table's column headers, in order (the row buttons' column left out)."""
    head = re.search(r'<table class="table[^"]*office-list-table".*?<thead>(.*?)</thead>', page, re.S)
    if head is None:
        return []
    cells = re.findall(r'<th class="office-col-(?!actions|check)[^"]*">(.*?)</th>', head.group(1), re.S)
    return [html_lib.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells]
