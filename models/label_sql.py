"""Label expressions in SQL: a record's label as its `__str__` runs parts together, for the
search-as-you-type drop-downs (app/registry/labels.py) to find "厦府办〔2026〕12号" though
the number lives in three columns."""
from __future__ import annotations

from sqlalchemy import String, cast, func, literal


def text(expr):
    """A column or expression as text, empty when NULL."""
    return func.coalesce(cast(expr, String), "")


def joined(*parts):
    """Columns and literal text run together, as a label's f-string does."""
    pieces = [literal(part, String) if isinstance(part, str) else text(part) for part in parts]
    out = pieces[0]
    for piece in pieces[1:]:
        out = out.concat(piece)
    return out
