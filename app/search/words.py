"""What the global search index holds of a text, and what it looks for in a query.

Chinese has no spaces, and a full-text engine's tokenizer either keeps a whole run of
characters as one word (SQLite's unicode61, PostgreSQL's `simple`) or cuts trigrams, which
cannot find a two-character word — and 燃气, 建设, 督办 are what people type. So the index
holds a run of Chinese characters as its overlapping pairs (城镇燃气 → 城镇 镇燃 燃气), and
a query's run as its pairs too, all required: 燃气 finds 城镇燃气安全; 燃气安全 finds the
texts holding 燃气, 气安 and 安全. A single character typed alone is looked for as the start of a pair.

Letters and digits stay whole words, lower-cased; punctuation and brackets are spaces, so
厦府办〔2026〕12号 and "厦府办2026 12" read the same: 厦府 府办 2026 12 号. A personal name
also gives its pinyin initials (王小明 → wxm), so that a name can be typed on a keyboard
without a Chinese input method.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from pypinyin import Style, lazy_pinyin

#: Runs of CJK ideographs, of letters and digits; everything else separates them.
_RUN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([0-9a-z]+)")

#: Words a query may hold at most (what one searches for is a few words).
MOST_WORDS = 12


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _pairs(run: str) -> list[str]:
    return [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]


def index_words(text: str) -> list[str]:
    """The words the index keeps of `text`, in order (Chinese runs as their pairs)."""
    out: list[str] = []
    for chinese, latin in _RUN.findall(_normal(text or "")):
        out.extend(_pairs(chinese) if chinese else [latin])
    return out


def initials(name: str) -> str:
    """The pinyin initials of a Chinese name (王小明 → wxm); "" when it holds no Chinese."""
    chinese = "".join(c for c in (name or "") if "\u3400" <= c <= "\u9fff")
    if not chinese:
        return ""
    return "".join(p[0] for p in lazy_pinyin(chinese, style=Style.FIRST_LETTER) if p)


def document(values: Iterable[str], names: Iterable[str] = ()) -> str:
    """The text the index keeps for a record: its searchable values' words and its personal
    names' initials, separated by spaces (what both engines' plain tokenizers split on)."""
    words: list[str] = []
    for value in values:
        words.extend(index_words(value))
    for name in names:
        found = initials(name)
        if found:
            words.append(found)
    return " ".join(words)


def query_words(query: str) -> list[tuple[str, bool]]:
    """What a query asks for: [(word, is_prefix)], every one required. A Chinese run of two
    or more characters gives its pairs, exactly; digits are a number, exactly (12 is not
    120); letters are a prefix (wx finds wxm). A single character is a prefix of the pairs
    when it is all that was typed, and left out beside longer words: 号 of 厦府办〔2026〕12号
    is in every document number and would only make the query slow."""
    asked: list[tuple[str, bool]] = []
    for chinese, latin in _RUN.findall(_normal(query or "")):
        if chinese and len(chinese) > 1:
            words = [(pair, False) for pair in _pairs(chinese)]
        elif latin.isdigit():
            words = [(latin, False)]
        else:
            words = [(chinese or latin, True)]
        for word in words:
            if word not in asked:
                asked.append(word)
    longer = [word for word in asked if len(word[0]) > 1]
    return (longer or asked)[:MOST_WORDS]


def marks(query: str) -> list[str]:
    """The pieces of `query` to highlight in a result: its Chinese runs and its words."""
    return [chinese or latin for chinese, latin in _RUN.findall(_normal(query or ""))]
