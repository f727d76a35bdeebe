"""Keep the zh catalog in step with the code.

    python translations/catalog.py update    # extract msgids, merge into zh, report gaps
    python translations/catalog.py compile   # .po -> .mo (done by `make`; .mo is not committed)
    python translations/catalog.py check     # exit 1 if any zh entry is missing or fuzzy

The catalog is the one place a zh translation lives: `update` adds the new msgids
empty, and a commit that adds a user-visible string fills its msgstr in the same change.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
POT = HERE / "messages.pot"
ZH = HERE / "zh" / "LC_MESSAGES" / "messages.po"
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "gettext", "-k", "ngettext:1,2", "-k", "_"]


def extract() -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(HERE / "babel.cfg"),
                    *KEYWORDS, "--no-location", "--sort-output", "--omit-header", "-o", str(POT), "."],
                   cwd=ROOT, check=True, capture_output=True)


def _read(path: Path, locale: str | None = None):
    with open(path, "rb") as fh:
        return read_po(fh, locale=locale)


def update() -> None:
    extract()
    template = _read(POT)
    if ZH.exists():
        catalog = _read(ZH, "zh")
    else:
        from babel.messages.catalog import Catalog

        ZH.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale="zh")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    with open(ZH, "wb") as fh:
        write_po(fh, catalog, no_location=True, sort_output=True, ignore_obsolete=True)
    report()


def _translated(message) -> bool:
    """A message's every form has words (a plural's tuple of forms is never empty itself)."""
    forms = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return all(forms)


def gaps() -> list[str]:
    return [m.id for m in _read(ZH, "zh") if m.id and (not _translated(m) or m.fuzzy)]


def report() -> int:
    missing = gaps()
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    print(f"{len(missing)} untranslated zh entries")
    return len(missing)


def compile_() -> None:
    catalog = _read(ZH, "zh")
    with open(ZH.with_suffix(".mo"), "wb") as fh:
        write_mo(fh, catalog)


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "update"
    if action == "update":
        update()
    elif action == "compile":
        compile_()
    elif action == "check":
        sys.exit(1 if report() else 0)
    else:
        sys.exit(__doc__)
