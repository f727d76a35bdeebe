"""The sidebar is worked out once per set of rights and language (app/side_menu.py): what
each user sees still follows his rights and his language, request after request, and a
right taken away on another worker takes the entry away at the next page (issue 19)."""
from __future__ import annotations

import re

from app.extensions import db
from tests.conftest import login
from tests.test_shared_caches import other_worker  # noqa: F401  (fixture)


def _entries(page: str) -> list[str]:
    sidebar = page.split('id="office-sidebar"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<li><a href="([^"]+)"', sidebar)


def _active(page: str) -> list[str]:
    sidebar = page.split('id="office-sidebar"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="([^"]+)" class="active"', sidebar)


def test_each_role_sees_the_entries_its_rights_open_and_no_more(app, as_role):
    clerk = _entries(as_role("clerk").get("/").get_data(as_text=True))
    admin = _entries(as_role("admin").get("/").get_data(as_text=True))
    assert "/hotlinecaseview/list/" in clerk and "/hotlinecaseview/list/" in admin
    assert set(clerk) < set(admin) and "/console/" not in " ".join(clerk)
    for url in clerk:                               # every entry shown opens for him
        assert as_role("clerk").get(url).status_code == 200, url


def test_the_sidebar_speaks_each_users_language_request_after_request(app, as_role):
    for lang, words, other in (("zh", "12345热线与市长信箱", "Mailbox"), ("en", "Mailbox", "12345热线与市长信箱"),
                               ("zh", "12345热线与市长信箱", "Mailbox")):
        page = as_role("admin", lang).get("/").get_data(as_text=True)
        sidebar = page.split('id="office-sidebar"', 1)[1].split("</nav>", 1)[0]
        assert words in sidebar and other not in sidebar, lang


def test_the_entry_of_the_page_is_marked(as_role):
    page = as_role("admin").get("/hotlinecaseview/list/").get_data(as_text=True)
    assert _active(page) == ["/hotlinecaseview/list/"]
    assert _active(as_role("admin").get("/").get_data(as_text=True)) == []


def test_a_menu_right_taken_away_on_one_worker_leaves_the_others_sidebar_at_the_next_page(
        app, other_worker):  # noqa: F811
    clerk_elsewhere = login(other_worker.test_client(), "clerk", lang="en")
    assert "/hotlinecaseview/list/" in _entries(clerk_elsewhere.get("/").get_data(as_text=True))   # kept there
    with app.app_context():
        role = app.appbuilder.sm.find_role("Clerk")
        (right,) = [pv for pv in role.permissions
                    if pv.permission.name == "menu_access" and pv.view_menu.name == "HotlineCase"]
        role.permissions.remove(right)
        db.session.commit()
    assert "/hotlinecaseview/list/" not in _entries(clerk_elsewhere.get("/").get_data(as_text=True))
