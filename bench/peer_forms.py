"""What a browser sends back when a clerk saves a form: the fields of one <form> of a page.

Shared by both sides of the Django admin peer (bench/admin_peer.py in the app's virtualenv,
bench/django_peer/driver.py in Django's): the standard library only. A save is measured as
a browser makes it: the edit page is read (not timed), its form's values are sent back with
one field changed (timed), hidden tokens included (CSRF, row version, one-time form token).
"""
from __future__ import annotations

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name") and "multiple" not in a:
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected] or [v for v, _ in self._options[:1]]
            if chosen:
                self.fields.append((self._select, chosen[0]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None


def form_fields(html: str, form_id: str) -> dict[str, str]:
    """The values the form `form_id` submits, as a browser would send them (a select with
    nothing selected sends its first option; unchecked boxes send nothing)."""
    parser = _FormFields(form_id)
    parser.feed(html)
    parser.close()
    if not parser.fields:
        raise ValueError(f"no form with id {form_id!r} and fields on the page")
    return dict(parser.fields)
