"""The office's own choices in the GB/T 9704 output (app/templates/paper/gbt9704.toml): the words
of the red mark, the seal layout of the signature, the labels, the fonts a Word file names.

The standard fixes every measure (gbt9704.py); these are what it leaves to the issuing office, so
an admin changes them in the console like a form's layout (Rules › Paper forms): the file is
TOML, short and commented, rather than code. An upload is refused with the line and the reason
when it does not parse, names a key or placeholder this module does not know, or gives a value
out of its range — nothing is changed then.
"""
from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext

from app.paper import gbt9704 as std

#: The console's key of this layout (also the PaperSpec key of the outgoing document's files).
KEY = "gbt9704"
DEFAULT_PATH = Path(__file__).resolve().parent.parent / "templates" / "paper" / "gbt9704.toml"
SIGNATURES = ("unsealed", "sealed")
#: Each patterned value and the placeholder it must hold.
PATTERNS = {"issuer_mark": "issuer", "printed": "date", "page_number": "n"}
#: The longest words a value may add to its placeholder (a mark or label that would not fit a line).
MAX_WORDS = {"issuer_mark": 6, "joint_mark_word": 4, "attachment_label": 8, "copied_to_label": 8,
             "printed": 6, "page_number": 8}
FONT_KEYS = ("title", "body", "heiti", "kaiti", "page_number")


class LayoutRefused(ValueError):
    """Why a layout file may not be used, in the reader's language."""


@dataclass(frozen=True)
class Fonts:
    """The fonts a Word file names: the standard's (gbt9704.FONT_*) unless the office's layout
    names others."""

    title: str = std.FONT_XIAOBIAOSONG
    body: str = std.FONT_FANGSONG
    heiti: str = std.FONT_HEITI
    kaiti: str = std.FONT_KAITI
    page_number: str = std.FONT_SONGTI

    def named(self, standard: str) -> str:
        """The office's font for one the standard names (gbt9704.FONT_*)."""
        return {std.FONT_XIAOBIAOSONG: self.title, std.FONT_FANGSONG: self.body, std.FONT_HEITI: self.heiti,
                std.FONT_KAITI: self.kaiti, std.FONT_SONGTI: self.page_number}.get(standard, standard)


@dataclass(frozen=True)
class OfficeLayout:
    issuer_mark: str = "{issuer}文件"
    joint_mark_word: str = "文件"
    signature: str = "unsealed"
    attachment_label: str = "附件："
    copied_to_label: str = "抄送："
    printed: str = "{date}印发"
    page_number: str = "— {n} —"
    fonts: Fonts = field(default_factory=Fonts)

    @property
    def sealed(self) -> bool:
        return self.signature == "sealed"

    def mark_of(self, issuer: str) -> str:
        return self.issuer_mark.replace("{issuer}", issuer)

    def printed_on(self, date: str) -> str:
        return self.printed.replace("{date}", date) if date else ""

    def page_number_text(self, n: int) -> str:
        return self.page_number.replace("{n}", str(n))


def _line_of(text: str, key: str) -> int:
    """The line of `text` where `key` is set (for a refusal's message)."""
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return 0


def _refuse(text: str, key: str, message: str) -> LayoutRefused:
    line = _line_of(text, key)
    return LayoutRefused(gettext("Line %(line)d: %(message)s", line=line, message=message) if line else message)


def _words(text: str, key: str, value) -> str:
    if not isinstance(value, str):
        raise _refuse(text, key, gettext("%(key)s must be text in quotes.", key=key))
    if any(ord(ch) < 32 for ch in value):
        raise _refuse(text, key, gettext("%(key)s may not hold a line break or tab.", key=key))
    return value


def _pattern(text: str, key: str, value: str) -> str:
    wanted = PATTERNS.get(key)
    try:
        names = [name for _lit, name, _spec, _conv in string.Formatter().parse(value) if name is not None]
    except ValueError as error:
        raise _refuse(text, key, gettext("%(key)s: %(message)s", key=key, message=str(error))) from error
    unknown = [name for name in names if name != wanted]
    if unknown:
        raise _refuse(text, key, gettext("%(key)s names an unknown placeholder {%(name)s}.", key=key, name=unknown[0]))
    if wanted and names.count(wanted) != 1:
        raise _refuse(text, key, gettext("%(key)s must hold {%(name)s} once.", key=key, name=wanted))
    plain = value.replace("{" + wanted + "}", "") if wanted else value
    if len(plain) > MAX_WORDS[key]:
        raise _refuse(text, key, gettext("%(key)s adds at most %(n)d characters.", key=key, n=MAX_WORDS[key]))
    return value


def parse(text: str) -> OfficeLayout:
    """The layout a file gives, or `LayoutRefused` with the line and the reason."""
    if not text.strip():
        raise LayoutRefused(gettext("The template is empty."))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column \d+\)", str(error))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        if found:
            raise LayoutRefused(gettext("Line %(line)d: %(message)s", line=int(found.group(1)),
                                        message=message)) from error
        raise LayoutRefused(message) from error
    known = set(MAX_WORDS) | {"signature", "fonts"}
    for key in data:
        if key not in known:
            raise _refuse(text, key, gettext("%(key)s is not a setting of this layout.", key=key))
    values = {}
    for key in MAX_WORDS:
        if key in data:
            values[key] = _pattern(text, key, _words(text, key, data[key]))
    if "signature" in data:
        signature = _words(text, "signature", data["signature"])
        if signature not in SIGNATURES:
            raise _refuse(text, "signature", gettext("signature is one of: %(choices)s.",
                                                     choices=", ".join(f'"{s}"' for s in SIGNATURES)))
        values["signature"] = signature
    fonts = data.get("fonts", {})
    if not isinstance(fonts, dict):
        raise _refuse(text, "fonts", gettext("fonts is a table: [fonts] and one name a line."))
    chosen = {}
    for key, value in fonts.items():
        if key not in FONT_KEYS:
            raise _refuse(text, key, gettext("%(key)s is not a setting of this layout.", key=f"fonts.{key}"))
        name = _words(text, key, value).strip()
        if not name or len(name) > 40:
            raise _refuse(text, key, gettext("A font's name has 1 to 40 characters."))
        chosen[key] = name
    return OfficeLayout(**values, fonts=Fonts(**chosen))


def default_source() -> str:
    return DEFAULT_PATH.read_text(encoding="utf-8")


def placeholders() -> str:
    return gettext("{issuer} the issuing unit (issuer_mark), {date} the printing date (printed), {n} the page "
                   "number (page_number); settings: signature \"unsealed\" or \"sealed\", labels, the Word "
                   "file's fonts")


def in_force(session) -> OfficeLayout:
    """The admin's layout if he uploaded one (checked then), else the shipped default."""
    from models.paper_templates import PaperTemplate

    row = session.query(PaperTemplate).filter_by(key=KEY).one_or_none()
    try:
        return parse(row.body if row is not None else default_source())
    except LayoutRefused:           # stored before a rule it breaks was added: print as shipped
        return parse(default_source())


class LayoutFile:
    """What the console does with this layout (app/console/paper_forms.py), as it does with a
    form's: the shipped file, the placeholders, and why an upload is refused — it must parse,
    and the newest outgoing document must still print with it, in each format."""

    suffix = "toml"
    media_type = "text/plain; charset=utf-8"
    accept = ".toml,.txt,text/plain"

    def __init__(self, render):
        self._render = render

    def default_source(self) -> str:
        return default_source()

    def placeholders(self) -> str:
        return placeholders()

    def refusal(self, body: str, record) -> str | None:
        try:
            layout = parse(body)
        except LayoutRefused as refused:
            return str(refused)
        if record is None:
            return None
        from app.paper.pdf_fonts import PaperFontsMissing

        for fmt in ("docx", "pdf"):
            try:
                self._render(record, fmt, layout)
            except PaperFontsMissing:
                continue
            except Exception as error:     # said, not raised
                return gettext("It cannot be drawn: %(message)s", message=f"{type(error).__name__}: {error}")
        return None
