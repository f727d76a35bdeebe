"""Finding a record by the words of its label: what a search-as-you-type drop-down asks.

A record's label (its `__str__`) is made of a few of its columns — a number and a title, a
day and a shift, a vehicle's plate. The model names them in `__label_columns__`; without
it, its `name` or `title`. Every word the user types must occur in one of them, so that
typing a label as it reads finds that record, and typing part of it narrows to the records
that hold those words: "督办 燃气" finds the items whose number or title holds each.

A lookup column matches by its labels in both languages (白班, "day shift"), a date by its
ISO text, a whole number by its digits, a relation by its target's label words. Sensitive
columns (docs/domain.md §9) are never searched: a drop-down must not answer questions about
an ID number a user sees masked.
"""
from __future__ import annotations

import re

from sqlalchemy import String, and_, cast, false, or_

from app.registry.introspect import column_of, is_sensitive, kind_of, lookup_of, relationship_of
from models.lookups import lookup_table

#: What a model without `__label_columns__` is found by.
DEFAULT = ("name", "title")

#: Punctuation a label puts around a word ("3. 议题", "#2", "1、"), not part of what was typed.
_AROUND = ".、,，:：;；#…"

#: Where what was typed splits into words: spaces, and the brackets a label puts a date in.
_BETWEEN = re.compile(r"[\s（）()]+")


def label_columns(model) -> tuple:
    """The columns (or relations) a record of `model` is found by, sensitive ones left out.
    An entry may also be a function of the model giving a text expression: the parts of a
    label that read run together ("厦府办〔2026〕12号" from a prefix, a year and a number)."""
    declared = getattr(model, "__label_columns__", None)
    names = declared if declared is not None else tuple(n for n in DEFAULT if column_of(model, n) is not None)
    return tuple(n for n in names if callable(n) or not is_sensitive(model, n))


def _like(expr, word: str):
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return expr.ilike(f"%{escaped}%", escape="\\")


def _lookup_codes(category: str, word: str) -> list[str]:
    needle = word.lower()
    return [row.code for row in lookup_table().get(category, ())
            if needle in (row.label_zh or "").lower() or needle in (row.label_en or "").lower()
            or needle == row.code.lower()]


def _word_in(model, name: str, word: str):
    """The condition that `word` occurs in the column or relation `name`, or None when it
    cannot (letters typed for a number)."""
    if callable(name):
        return _like(name(model), word)
    kind = kind_of(model, name)
    attr = getattr(model, name)
    if kind == "lookup":
        codes = _lookup_codes(lookup_of(model, name), word)
        return attr.in_(codes) if codes else None
    if kind == "relation":
        target = relationship_of(model, name).mapper.class_
        inner = words_condition(target, [word])
        return None if inner is None else attr.has(inner)
    if kind in ("date", "datetime"):
        return _like(cast(attr, String), word)
    if kind == "int":
        digits = word.strip(_AROUND)
        return attr == int(digits) if digits.isdigit() and len(digits) < 10 else None
    if kind in ("string", "text"):
        return _like(attr, word)
    return None


def words_condition(model, words: list[str]):
    """Each word in one of the label columns of `model`; None when there is nothing to match
    (no word). A word no column can hold matches no record."""
    if not words:
        return None
    names = label_columns(model)
    each = []
    for word in words:
        options = [c for c in (_word_in(model, name, word) for name in names) if c is not None]
        each.append(or_(*options) if options else false())
    return and_(*each)


def split_words(term: str) -> list[str]:
    """The words of what was typed: split at spaces, a label's ellipsis and punctuation around
    a word dropped (a label cut to 30 characters ends in "…")."""
    words = []
    for raw in _BETWEEN.split(term or ""):
        word = raw.strip(_AROUND)
        if word and word not in words:
            words.append(word)
    return words[:8]


def label_condition(model, term: str):
    """The records of `model` whose label holds every word of `term` (None: no term)."""
    return words_condition(model, split_words(term))
