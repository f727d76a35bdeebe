"""A record's related tabs drawn when opened, not with its page.

A document's page has seven tabs of related records (recipients, steps, handling units,
…); FAB counts and reads a page of each before the page is sent, though the user sees the
details first and opens one tab, if any: half the CPU of a record page. Each tab now holds
a placeholder with its address (`<view>/related/<pk>/<n>`, the page's own paging and
order arguments carried along); static/js/related_tabs.js loads it when the tab is shown —
also when the browser reopens the tab last used — and keeps paging and sorting inside it.
The tab's list is the same widget, read through the same scope as before.
"""
from __future__ import annotations

from flask import abort, request, url_for
from flask_appbuilder.urltools import get_order_args, get_page_args, get_page_size_args
from flask_babel import gettext
from markupsafe import Markup


class TabPlaceholder:
    """What the page template calls in place of a related list widget."""

    def __init__(self, url: str):
        self.url = url

    def __call__(self, **_kwargs) -> Markup:
        return Markup('<div class="office-related" data-related-url="{}" data-failed="{}"><p class="text-muted">'
                      '<i class="fa fa-spinner fa-spin" aria-hidden="true"></i> {}</p></div>').format(
            self.url, gettext("The list could not be loaded."), gettext("Loading…"))


def placeholders(view, item, widgets: dict | None) -> dict:
    """The page's `related_views` widgets: one placeholder per tab."""
    widgets = widgets or {}
    pk = view.datamodel.get_pk_value(item)
    carried = request.query_string.decode("utf-8", "replace")
    widgets["related_views"] = [
        TabPlaceholder(url_for(f"{view.endpoint}.related", pk=pk, index=index) + (f"?{carried}" if carried else ""))
        for index, _related in enumerate(view.related_view_instances())]
    return widgets


def draw(view, pk, index: int) -> str:
    """The tab `index` of the record `pk`: its list, as the page would have drawn it."""
    item = view.datamodel.get(pk, view._base_filters)
    related_views = view.related_view_instances()
    if item is None or not 0 <= index < len(related_views):
        abort(404)
    related = related_views[index]
    name = related.__class__.__name__
    order_column, order_direction = get_order_args().get(name) or ("", "")
    widget = view.related_view_widget(item, related, order_column, order_direction,
                                      page=get_page_args().get(name), page_size=get_page_size_args().get(name))
    if widget is None:
        abort(404)
    layouts = related.datamodel.column_layouts(related.list_columns) \
        if hasattr(related.datamodel, "column_layouts") else {}
    return widget(pk=view.datamodel.get_pk_value(item), column_layouts=layouts)
