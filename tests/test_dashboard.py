"""The dashboard on the home page: what waits for the user, what is overdue, how each
function stands; every number leads to the records it counts."""
from __future__ import annotations

import datetime as dt
import re
import uuid

from app.extensions import db
from app.registry.spec import entity_for
from models.base import now_cn, today_cn
from models.disputes import Dispute
from models.documents import Document
from models.duty import Incident
from models.hotline import ANSWERED_STATES, HotlineCase
from models.org import Department
from models.proposals import ProposalEvaluation, ProposalReply
from models.services import LogisticsRequest
from models.supervision import SupervisionItem
from tests.conftest import PASSWORD, login
from tests.factories import make
from tests.pages import chinese_leftovers, english_leftovers


# --- reading the page ---------------------------------------------------------------------------
def _block(page: str, dom_id: str) -> str:
    """The HTML of the element with `dom_id` up to the next figure, rate or card."""
    start = page.index(f'id="{dom_id}"')
    ends = [page.find(marker, start + 1) for marker in ('class="dash-figure"', 'class="dash-rate"',
                                                        'class="dash-card', 'class="dash-task"')]
    ends = [e for e in ends if e > 0]
    return page[start:min(ends) if ends else len(page)]


def _figure(page: str, key: str) -> dict[str, tuple[int, str | None]]:
    """{category: (count, url)} of a one-series figure's table."""
    rows = {}
    for name, cells in re.findall(r'<tr>\s*<td>.*?<span data-data>(.*?)</span></td>(.*?)</tr>',
                                  _block(page, f"fig-{key}"), flags=re.S):
        cell = re.search(r'<a href="([^"]+)" class="dash-num">([\d,]+)</a>|<span class="dash-num">([\d,]+)</span>',
                         cells)
        url, linked, plain = cell.groups()
        rows[_unescape(name)] = (int((linked or plain).replace(",", "")), _unescape(url) if url else None)
    return rows


def _rate(page: str, key: str) -> tuple[int, int]:
    found = re.search(rf'id="rate-{key}" data-numerator="(\d+)" data-denominator="(\d+)"', page)
    return int(found.group(1)), int(found.group(2))


def _rate_links(page: str, key: str) -> list[str]:
    return [_unescape(u) for u in re.findall(r'<a href="([^"]+)" class="dash-num">', _block(page, f"rate-{key}"))]


def _unescape(text: str) -> str:
    return text.replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", '"')


def _record_count(client, url: str) -> int:
    page = client.get(url).get_data(as_text=True)
    return int(re.search(r"(?:Record Count|记录数目):?</strong>\s*(\d+)", page).group(1))


def _chips(block: str) -> dict[str, tuple[int, str]]:
    """{step label: (count, list url)} of the chips of a "My tasks" block."""
    return {_unescape(label): (int(n), _unescape(url)) for url, n, label in re.findall(
        r'<a class="dash-chip" href="([^"]+)" data-count="(\d+)"[^>]*>\s*<span data-data>(.*?)</span>', block)}


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _tag() -> str:
    return uuid.uuid4().hex[:8]


def _add(app, model, **values) -> int:
    with app.app_context():
        record = make(db.session, model, **values)
        db.session.commit()
        return record.id


# --- the page -----------------------------------------------------------------------------------------
def test_after_login_the_home_page_is_the_dashboard_in_the_users_language(app, as_role):
    client = app.test_client()
    response = client.post("/login/", data={"username": "leader", "password": PASSWORD},
                           headers={"Accept-Language": "en-US"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert 'id="dashboard"' in page and 'id="my-tasks"' in page
    en = _home(as_role("leader", "en"))
    assert "My tasks" in en and "Records by status" in en and "Mayor&#39;s Mailbox" in en
    assert chinese_leftovers(en) == []
    zh = _home(as_role("leader", "zh"))
    assert "我的待办" in zh and "各状态件数" in zh and "满意率" in zh
    assert english_leftovers(zh) == []


def test_chart_library_is_served_by_the_app_and_nothing_comes_from_elsewhere(app, as_role):
    page = _home(as_role("leader", "en"))
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert "/static/vendor/chartjs/chart.umd.min.js" in scripts and "/static/js/dashboard.js" in scripts
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)
    client = as_role("leader", "en")
    for url in ("/static/vendor/chartjs/chart.umd.min.js", "/static/js/dashboard.js"):
        response = client.get(url)
        assert response.status_code == 200 and "javascript" in response.content_type
    assert b"Chart" in client.get("/static/vendor/chartjs/chart.umd.min.js").data[:400]


# --- my tasks -----------------------------------------------------------------------------------------
def test_leader_finds_the_draft_waiting_for_his_approval_and_the_button_behind_it(app, as_role):
    title = f"待审批督办事项{_tag()}"
    pk = _add(app, SupervisionItem, status="DRAFT", title=title, opened_at=dt.date(2000, 1, 1),
              due_date=dt.date(2000, 1, 2))
    leader = as_role("leader", "en")
    tasks = _block(_home(leader), "tasks-supervision_item")
    assert title in tasks and f'href="/supervisionitemview/show/{pk}"' in tasks
    assert "Approve for supervision" in tasks
    record = leader.get(f"/supervisionitemview/show/{pk}").get_data(as_text=True)
    assert 'data-transition="approve"' in record
    # the step's chip leads to the drafts, this one among them
    chip = _chips(tasks)["Approve for supervision"][1]
    with app.app_context():
        drafts = db.session.query(SupervisionItem).filter_by(status="DRAFT", is_deleted=False).count()
    assert _record_count(leader, _unescape(chip)) == drafts


def test_clerk_does_not_find_a_draft_he_may_not_approve_among_his_tasks(app, as_role):
    pk = _add(app, SupervisionItem, status="DRAFT", title=f"录入员不可审批{_tag()}")
    page = _home(as_role("clerk", "en"))
    assert f"/supervisionitemview/show/{pk}" not in page
    assert "Approve for supervision" not in page


def test_viewer_is_told_nothing_waits_for_him(app, as_role):
    _add(app, SupervisionItem, status="DRAFT")
    page = _home(as_role("viewer", "en"))
    assert "Nothing waits for you." in page
    assert 'class="dash-task"' not in page


def _documents(app, tag: str) -> dict[str, int]:
    """One document in each situation a clerk or manager meets, titled by situation."""
    situations = {
        "instructed": dict(direction="INCOMING", status="INSTRUCTED"),          # circulate or send for handling
        "circulating": dict(direction="INCOMING", status="CIRCULATING"),        # send for handling or finish
        "handling": dict(direction="INCOMING", status="HANDLING"),              # finish handling
        "registered": dict(direction="INCOMING", status="REGISTERED"),          # the manager's review
        "done": dict(direction="INCOMING", status="DONE"),                      # only archiving left
        "recheck": dict(direction="OUTGOING", status="RECHECKED"),              # number
        "distributed": dict(direction="OUTGOING", status="DISTRIBUTED", disclosure="YISHENQING"),  # archive only
        "to_publish": dict(direction="OUTGOING", status="DISTRIBUTED", disclosure="ZHUDONG"),      # publish
        "published": dict(direction="OUTGOING", status="PUBLISHED", disclosure="ZHUDONG"),         # archive only
        "memo": dict(direction="INTERNAL", status="INSTRUCTED"),                # send for handling or finish memo
    }
    return {name: _add(app, Document, title=f"{name}{tag}", **values) for name, values in situations.items()}


def _task_blocks(page: str) -> dict[str, str]:
    """{entity slug: its block in "My tasks"}."""
    card = page[page.index('id="my-tasks"'):page.index("</section>", page.index('id="my-tasks"'))]
    starts = [(m.start(), m.group(1)) for m in re.finditer(r'<div class="dash-task" id="tasks-([\w-]+)"', card)]
    return {slug: card[start:(starts[i + 1][0] if i + 1 < len(starts) else len(card))]
            for i, (start, slug) in enumerate(starts)}


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _badge(block: str) -> int:
    """The count beside an entity's title in "My tasks"."""
    return _number(re.search(r'<span class="badge">([\d,]+)</span>', block).group(1))


def _listed(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_my_tasks_counts_are_the_rows_of_the_lists_they_link_to(app, as_role):
    tag = _tag()
    _documents(app, tag)
    _add(app, Dispute, status="DECIDED", refer_to_bianban=False, title=f"待落实{tag}")
    _add(app, Dispute, status="DECIDED", refer_to_bianban=True, title=f"转编办{tag}")
    _add(app, LogisticsRequest, status="DONE")
    for user in ("clerk", "manager", "leader", "admin"):
        client = as_role(user, "en")
        page = _home(client)
        blocks = _task_blocks(page)
        assert blocks or user == "leader"
        if not blocks:
            continue
        badge = re.search(r'id="my-tasks">.*?<span class="badge dash-badge">([\d,]+)</span>', page, flags=re.S)
        assert _number(badge.group(1)) == sum(_badge(b) for b in blocks.values())
        for slug, block in blocks.items():
            chips = _chips(block)
            total = _badge(block)
            assert chips and sum(n for n, _url in chips.values()) == total, (user, slug)
            for label, (n, url) in chips.items():
                assert _record_count(client, url) == n, (user, slug, label, url)
            everything = re.search(r'<a class="dash-more" href="([^"]+)"', block)
            if everything:
                assert _record_count(client, _unescape(everything.group(1))) == total, (user, slug)


def test_clerk_finds_documents_by_the_step_they_wait_for(app, as_role):
    tag = _tag()
    ids = _documents(app, tag)
    client = as_role("clerk", "en")
    chips = _chips(_task_blocks(_home(client))["document"])
    expected = {  # step chip: the situations listed behind it
        "Circulate to leaders / Send for handling": {"instructed"},
        "Send for handling / Finish handling": {"circulating"},
        "Finish handling": {"handling"},
        "Allocate the document number": {"recheck"},
        "Publish proactively": {"to_publish"},
        "Send for handling / Finish the memo": {"memo"},
    }
    for label, names in expected.items():
        listed = _listed(client, chips[label][1])
        for name, pk in ids.items():
            shown = f"/documentview/show/{pk}" in listed
            assert shown == (name in names), (label, name)
    zh = _chips(_task_blocks(_home(as_role("clerk", "zh")))["document"])
    assert "办结" in zh and zh["办结"][0] == chips["Finish handling"][0]


def test_a_finished_or_distributed_document_waiting_only_to_be_archived_is_not_a_clerk_task(app, as_role):
    tag = _tag()
    ids = _documents(app, tag)
    client = as_role("clerk", "en")
    page = _home(client)
    card = page[page.index('id="my-tasks"'):page.index("</section>", page.index('id="my-tasks"'))]
    assert "Archive the document" not in card
    chips = _chips(_task_blocks(page)["document"])
    behind = "".join(_listed(client, url) for _n, url in chips.values())
    for name in ("done", "distributed", "published", "registered"):   # archiving only; the manager's review
        assert f"/documentview/show/{ids[name]}" not in behind, name
    for name in ("instructed", "circulating", "handling", "recheck", "to_publish", "memo"):
        assert f"/documentview/show/{ids[name]}" in behind, name
    # the button is still on the record page
    record = client.get(f"/documentview/show/{ids['done']}").get_data(as_text=True)
    assert 'data-transition="archive"' in record


def test_a_way_out_is_not_a_task_but_a_decision_is(app, as_role):
    """A clerk may cancel a submitted logistics request, but nothing waits for that; the
    manager decides disputes by whether they go to the establishment office (a yes/no column)."""
    tag = _tag()
    submitted = _add(app, LogisticsRequest, status="SUBMITTED")
    clerk_page = _home(as_role("clerk", "en"))
    assert f"/logisticsrequestview/show/{submitted}" not in clerk_page
    assert "Cancel the logistics request" not in clerk_page
    kept = _add(app, Dispute, status="DECIDED", refer_to_bianban=False, title=f"待落实{tag}")
    referred = _add(app, Dispute, status="DECIDED", refer_to_bianban=True, title=f"转编办{tag}")
    manager = as_role("manager", "en")
    chips = _chips(_task_blocks(_home(manager))["dispute"])
    implement = _listed(manager, chips["Implement under supervision"][1])
    close = _listed(manager, chips["Close: referred to the establishment office"][1])
    assert f"/disputeview/show/{kept}" in implement and f"/disputeview/show/{referred}" not in implement
    assert f"/disputeview/show/{referred}" in close and f"/disputeview/show/{kept}" not in close


def test_my_tasks_keep_to_the_users_units(app, as_role):
    tag = _tag()
    with app.app_context():
        elsewhere = make(db.session, Department, parent_id=None, name_zh=f"外单位{tag}", name_en=f"Elsewhere {tag}")
        other = make(db.session, Document, direction="INCOMING", status="HANDLING", lead_department=elsewhere,
                     title=f"外单位承办{tag}", created_by="someone-else")
        mine = make(db.session, Document, direction="INCOMING", status="HANDLING", title=f"本单位承办{tag}")
        db.session.commit()
        other_id, mine_id = other.id, mine.id
    client = as_role("clerk", "en")
    count, url = _chips(_task_blocks(_home(client))["document"])["Finish handling"]
    listed = _listed(client, url)
    assert f"/documentview/show/{mine_id}" in listed and f"/documentview/show/{other_id}" not in listed
    assert _record_count(client, url) == count


def test_every_step_of_every_workflow_has_a_list_link(app):
    """Whatever roles a user holds, each group of waiting records is one filtered list."""
    from app.dashboard.links import list_url
    from app.dashboard.tasks import steps_of
    from app.registry.spec import REGISTRY

    with app.test_request_context("/"):
        for entity in REGISTRY.values():
            if entity.workflow is None:
                continue
            for role in ("Clerk", "Manager", "Leader", None):     # None: Admin, every step
                transitions = [t for t in entity.workflow.transitions if t.todo and (role is None or role in t.roles)]
                steps = steps_of(entity, transitions)
                for step in steps:
                    assert list_url(entity, *step.filters) is not None, (entity.name, role, step.label, step.filters)
                labels = [step.label for step in steps]        # one chip per set of steps
                assert len(labels) == len(set(labels)), (entity.name, role, labels)


# --- panels of the functions the user works on ----------------------------------------------------------
def _panels(monkeypatch, works_on, *panels):
    """Make the page ask `works_on` (None: no ownership module) and show `panels` (key,
    records counted) about IT projects (function F11_IT) after its own."""
    from app.dashboard import domains, view
    from app.dashboard.domains import Panel
    from app.dashboard.figures import single
    from models.it import ITProject

    def builder(key: str, n: int):
        return lambda: Panel(key, f"Panel {key}", "F11_IT",
                             figures=[single(f"{key}-chart", key, "Records", [("A", n, None)])])

    monkeypatch.setattr(view, "_works_on", lambda: works_on)
    monkeypatch.setattr(view, "PANELS", [*domains.PANELS, *((ITProject, builder(k, n)) for k, n in panels)])


def test_a_panel_of_a_function_the_user_does_not_work_on_and_has_nothing_of_is_not_shown(app, as_role, monkeypatch):
    _panels(monkeypatch, lambda group: group != "F11_IT", ("empty", 0), ("counted", 2))
    page = _home(as_role("clerk", "en"))
    assert 'id="panel-empty"' not in page            # not his function, nothing of it for him
    assert 'id="panel-counted" data-group="F11_IT"' in page   # not his function, but records of it are his
    assert "Panels of functions you do not work on are hidden." in page
    assert "与您工作无关的业务板块已隐藏。" in _home(as_role("clerk", "zh"))


def test_a_panel_of_a_function_the_user_works_on_is_shown_even_empty(app, as_role, monkeypatch):
    _panels(monkeypatch, lambda group: True, ("empty", 0))
    page = _home(as_role("clerk", "en"))
    assert 'id="panel-empty" data-group="F11_IT"' in page
    assert 'id="dash-hidden-note"' not in page


def test_without_ownership_a_panel_with_no_data_for_the_user_is_hidden(app, as_role, monkeypatch):
    _panels(monkeypatch, None, ("empty", 0), ("counted", 2))
    page = _home(as_role("clerk", "en"))
    assert 'id="panel-empty"' not in page and 'id="panel-counted"' in page
    assert "Panels without data for you are hidden." in page
    assert "没有数据的板块已隐藏。" in _home(as_role("clerk", "zh"))
    for total in re.findall(r'class="dash-figure" id="fig-status-[\w-]+" data-total="(\d+)"', page):
        assert int(total) > 0


def test_a_clerk_is_shown_empty_panels_only_of_the_functions_his_unit_runs(app, as_role):
    from app.registry.ownership import groups_owned_by

    page = _home(as_role("clerk", "en"))
    with app.app_context():
        owned = groups_owned_by(db.session, app.appbuilder.sm.find_user(username="clerk").department_id)
    cards = re.findall(r'data-group="(\w+)">.*?class="dash-figure" id="fig-[\w-]+" data-total="(\d+)"', page,
                       flags=re.S)
    assert cards
    for group, total in cards:
        assert int(total) > 0 or group in owned, group


def test_each_panel_names_its_function(app, as_role):
    from app.menu import BY_KEY

    page = _home(as_role("leader", "en"))
    groups = re.findall(r'class="dash-card dash-(?:panel|status-card)"[^>]*data-group="([\w]+)"', page)
    assert groups and all(g in BY_KEY for g in groups)
    assert re.search(r'id="panel-hotline" data-group="F10_Hotline"', page)


def test_a_role_sees_only_the_figures_of_what_it_may_read(app):
    with app.app_context():
        sm = app.appbuilder.sm
        role = sm.find_role("DashSupervisionReader") or sm.add_role("DashSupervisionReader")
        sm.add_permission_role(role, sm.find_permission_view_menu("can_read", "SupervisionItem"))
        if sm.find_user("dashreader") is None:
            sm.add_user("dashreader", "Dash", "Reader", "dashreader@test.xm.gov.cn", [role], PASSWORD)
        # an item given to no unit yet, which a reader without a unit sees (the card shows
        # figures he has; run alone, the test's database holds no other item)
        make(db.session, SupervisionItem, lead_department=None)
        db.session.commit()
    client = login(app.test_client(), "dashreader", lang="en")
    page = _home(client)
    assert 'id="fig-status-supervision_item"' in page
    assert 'id="panel-hotline"' not in page and 'id="panel-proposals"' not in page
    assert 'id="panel-incidents"' not in page


# --- records by status --------------------------------------------------------------------------------
def test_status_counts_lead_to_exactly_the_records_counted(app, as_role):
    tag = _tag()
    _add(app, SupervisionItem, status="SUBMITTED", title=f"待办结{tag}", opened_at=dt.date(2099, 1, 1))
    _add(app, SupervisionItem, status="SUBMITTED", title=f"已删除{tag}", is_deleted=True)
    client = as_role("leader", "en")
    figure = _figure(_home(client), "status-supervision_item")
    with app.app_context():
        live = dict(db.session.query(SupervisionItem.status, db.func.count())
                    .filter(SupervisionItem.is_deleted.is_(False)).group_by(SupervisionItem.status).all())
    assert {n for n, _url in figure.values()} and sum(n for n, _url in figure.values()) == sum(live.values())
    count, url = figure["Submitted for closing"]
    assert count == live["SUBMITTED"]
    assert _record_count(client, url) == count
    listed = client.get(url).get_data(as_text=True)
    assert f"待办结{tag}" in listed and f"已删除{tag}" not in listed
    zh = _figure(_home(as_role("leader", "zh")), "status-supervision_item")
    assert zh["已报结"][0] == count


# --- overdue ------------------------------------------------------------------------------------------
def _top_unit_total(figure: str) -> int:
    """The overdue count of the unit at the top of the figure (0 when it is empty)."""
    rows = re.findall(r"<span data-data>[^<]*</span></td>(.*?)</tr>", figure, flags=re.S)
    totals = [sum(int(n.replace(",", "")) for n in re.findall(r'class="dash-num">([\d,]+)</a>', row)) for row in rows]
    return max(totals, default=0)


def test_an_overdue_item_appears_under_its_unit_and_the_link_lists_it(app, as_role):
    """The figure shows the units with the most overdue records; other tests' units may fill
    it, so this unit gets one overdue item more than the top unit has."""
    tag = _tag()
    client = as_role("leader", "en")
    count = _top_unit_total(_block(_home(client), "fig-overdue-by-unit")) + 1
    with app.app_context():
        unit = make(db.session, Department, name_zh=f"超期测试局{tag}", name_en=f"Overdue Test Bureau {tag}")
        items = [make(db.session, SupervisionItem, status="IN_PROGRESS", title=f"超期事项{tag}-{i}",
                      lead_department=unit, opened_at=today_cn() - dt.timedelta(days=30),
                      due_date=today_cn() - dt.timedelta(days=3)) for i in range(count)]
        make(db.session, SupervisionItem, status="CLOSED", title=f"已办结{tag}", lead_department=unit,
             opened_at=today_cn() - dt.timedelta(days=30), due_date=today_cn() - dt.timedelta(days=3))
        db.session.commit()
        pks = [item.id for item in items]
    page = _home(client)
    overdue = _block(page, "fig-overdue-by-unit")
    row = re.search(rf"<span data-data>Overdue Test Bureau {tag}</span></td>(.*?)</tr>", overdue, flags=re.S)
    assert row is not None
    links = re.findall(r'<a href="([^"]+)" class="dash-num">([\d,]+)</a>', row.group(1))
    assert [n for _u, n in links] == [str(count)]
    listed = client.get(_unescape(links[0][0]))
    assert listed.status_code == 200
    text = listed.get_data(as_text=True)
    assert f"超期事项{tag}-" in text and f"已办结{tag}" not in text
    # the list pages 20 rows at a time: the first page links to the unit's overdue items only
    assert any(f"/supervisionitemview/show/{pk}\"" in text for pk in pks)
    zh = _home(as_role("leader", "zh"))
    assert f"超期测试局{tag}" in _block(zh, "fig-overdue-by-unit")


# --- proposals, hotline, incidents ---------------------------------------------------------------------
def test_proposal_figures_count_replies_by_category_and_evaluations_by_verdict(app, as_role):
    client = as_role("leader", "en")
    before = _home(client)
    answers, rate = _figure(before, "proposal-answers"), _rate(before, "proposal-satisfaction-rate")
    for category in ("A", "A", "B"):
        _add(app, ProposalReply, answer_category=category)
    for result in ("MANYI", "JIBEN", "BUMANYI", "WEIPINGJIA"):
        _add(app, ProposalEvaluation, result=result)
    after = _home(client)
    now = _figure(after, "proposal-answers")
    a_label = next(name for name in now if name.startswith("A"))
    b_label = next(name for name in now if name.startswith("B"))
    assert now[a_label][0] - answers.get(a_label, (0, None))[0] == 2
    assert now[b_label][0] - answers.get(b_label, (0, None))[0] == 1
    assert _record_count(client, now[a_label][1]) == now[a_label][0]
    numerator, denominator = _rate(after, "proposal-satisfaction-rate")
    assert (numerator - rate[0], denominator - rate[1]) == (2, 3)
    satisfied_url, evaluated_url = _rate_links(after, "proposal-satisfaction-rate")
    assert _record_count(client, satisfied_url) == numerator
    assert _record_count(client, evaluated_url) == denominator


def test_hotline_rates_on_a_known_set(app, as_role):
    client = as_role("leader", "en")
    before = _home(client)
    on_time, satisfaction = _rate(before, "hotline-on-time"), _rate(before, "hotline-satisfaction-rate")
    due = dt.datetime(2026, 3, 10, 18, 0)
    known = [  # (status, replied_at, satisfaction)
        ("REPLIED", due - dt.timedelta(hours=1), "MANYI"),       # on time
        ("VISITED", due + dt.timedelta(hours=1), "BUMANYI"),     # late
        ("CLOSED", None, "JIBEN"),                               # answered, no reply time: not late
        ("HANDLING", None, None),                                # not answered yet
        ("REPLIED", due, "WEIPINGJIA"),                          # exactly on time; no verdict
    ]
    for status, replied_at, verdict in known:
        _add(app, HotlineCase, status=status, due_at=due, replied_at=replied_at, satisfaction=verdict,
             received_at=due - dt.timedelta(days=3))
    after = _home(client)
    numerator, denominator = _rate(after, "hotline-on-time")
    assert (numerator - on_time[0], denominator - on_time[1]) == (3, 4)
    s_num, s_den = _rate(after, "hotline-satisfaction-rate")
    assert (s_num - satisfaction[0], s_den - satisfaction[1]) == (2, 3)
    # the page agrees with the cases' own judgement, over every case in the database
    with app.app_context():
        answered = [c for c in db.session.query(HotlineCase).filter_by(is_deleted=False)
                    if c.status in ANSWERED_STATES]
        assert denominator == len(answered)
        assert numerator == len([c for c in answered if not c.overdue()])
    answered_url = _rate_links(after, "hotline-on-time")[-1]
    assert _record_count(client, answered_url) == denominator
    satisfied_url, evaluated_url = _rate_links(after, "hotline-satisfaction-rate")
    assert (_record_count(client, satisfied_url), _record_count(client, evaluated_url)) == (s_num, s_den)
    assert re.search(r'id="rate-hotline-on-time".*?<div class="dash-rate-value">[\d.]+<span class="dash-pct">%',
                     after, flags=re.S)


def test_incident_reporting_timeliness_counts_as_each_incident_judges_itself(app, as_role):
    from views.duty import timeliness_counts

    client = as_role("leader", "en")
    before = _rate(_home(client), "incident-timeliness")
    start = now_cn() - dt.timedelta(days=2)
    minutes = dt.timedelta(minutes=1)
    known = [  # level IV: phone within 60 minutes, in writing within 120 (default limits)
        (start, start + 60 * minutes, start + 120 * minutes),      # exactly on the limits: on time
        (start, start + 61 * minutes, start + 90 * minutes),       # phoned late
        (start, start + 10 * minutes, None),                       # written report missing, limit passed
        (now_cn() - 5 * minutes, None, None),                      # nothing due yet
    ]
    for received, phone, written in known:
        _add(app, Incident, category="ZIRAN", level="IV", received_at=received, phone_reported_at=phone,
             written_reported_at=written)
    numerator, denominator = _rate(_home(client), "incident-timeliness")
    assert (numerator - before[0], denominator - before[1]) == (1, 3)
    with app.test_request_context():
        from flask import g
        g.user = app.appbuilder.sm.find_user(username="leader")   # counts run as the leader (all units)
        now = now_cn()
        ok, late, total = timeliness_counts(entity_for(Incident), now=now)
        # the incidents the leader's panel counts: other tests leave some in units or lists he does not see
        from app.dashboard.queries import base_query

        judged = [i.timeliness(now) for i in base_query(entity_for(Incident))]
    assert (ok, late, total) == (judged.count("OK"), judged.count("LATE"), len(judged))
