"""Where each paper form's layout comes from, and how it is drawn: the admin's own template if
he uploaded one (models/paper_templates.py), else the shipped one
(app/templates/paper/forms/<key>.html).

A form's template draws only the form itself — the sheet around it (the office's name, the
form's title, the secrecy marking, the buttons) is the application's. It runs in Jinja's
sandbox, since an admin's upload is code: it sees `v` (the form's values by name, listed at the
top of each shipped template), `_` (the reader's language) and the shared macros of
`_lines.html`, and nothing of the server. An upload is refused with the reason when it does not
parse or cannot be drawn from a real record's values; nothing is changed then.
"""
from __future__ import annotations

import re
from pathlib import Path

from flask_babel import gettext, ngettext
from jinja2 import ChoiceLoader, DictLoader, FileSystemLoader, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from models.paper_templates import PaperTemplate

FOLDER = Path(__file__).resolve().parent.parent / "templates" / "paper"
#: The largest template accepted (a form's layout, not a document).
MAX_BYTES = 200_000


def default_source(key: str) -> str:
    return (FOLDER / "forms" / f"{key}.html").read_text(encoding="utf-8")


def stored(session, key: str) -> PaperTemplate | None:
    return session.query(PaperTemplate).filter_by(key=key).one_or_none()


def source(session, key: str) -> str:
    """The layout in force: the admin's, or the shipped one."""
    row = stored(session, key)
    return row.body if row is not None else default_source(key)


def placeholders(key: str) -> str:
    """The values the shipped template names (the comment at its top, after "placeholders —")."""
    found = re.search(r"\{#-?([^#]*?placeholders — .*?)-?#\}", default_source(key), re.S)
    words = re.sub(r"\s+", " ", found.group(1)).strip() if found else ""
    return words.split("placeholders — ", 1)[-1]


def _environment(key: str, body: str) -> SandboxedEnvironment:
    env = SandboxedEnvironment(loader=ChoiceLoader([DictLoader({f"forms/{key}.html": body}),
                                                    FileSystemLoader(str(FOLDER))]),
                               autoescape=True, trim_blocks=False, lstrip_blocks=False)
    env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)
    return env


def draw(session, key: str, values: dict) -> Markup:
    """The form drawn from `values` with the layout in force."""
    body = source(session, key)
    return Markup(_environment(key, body).get_template(f"forms/{key}.html").render(v=values))


def refusal(key: str, body: str, sample: dict) -> str | None:
    """Why `body` may not become the layout of form `key` (drawn from `sample`), or None."""
    if not body.strip():
        return gettext("The template is empty.")
    if len(body.encode("utf-8")) > MAX_BYTES:
        return gettext("The template is larger than %(kb)d KB.", kb=MAX_BYTES // 1000)
    env = _environment(key, body)
    try:
        env.get_template(f"forms/{key}.html").render(v=sample)
    except TemplateSyntaxError as error:
        return gettext("Line %(line)d: %(message)s", line=error.lineno or 0, message=error.message or str(error))
    except TemplateError as error:
        return gettext("It cannot be drawn: %(message)s", message=str(error))
    except Exception as error:         # a filter or test failing on a value: said, not raised
        return gettext("It cannot be drawn: %(message)s", message=f"{type(error).__name__}: {error}")
    return None
