"""Every add form of the registry, filled in as people fill it in — generated, one test per
entity (the id is the entity's name).

Who adds: a Clerk of the division that runs the entity's function (function ownership; the
demo's division logins), else the demo's `clerk`, the Admin where no Clerk may add (the
configuration tables, units). In Chinese or in English: one language per function of the
office, alternating down the registry, so the set covers both. The user opens /<view>/add;
the fields the form marks required (a red * on the label, or the `required` attribute) that
come empty are filled through their widgets — typed into text boxes, text areas and date /
date-time boxes (`2026-12-04`, `2026-12-04 09:30`, key by key, then Tab out of the box),
chosen in select2 drop-downs by clicking, typing into the search box and Enter, a required
checkbox ticked; a required field that comes with a value (a default) is left as it is. Save,
then the record page must show every value (date-times with their minutes).

Where an entity's rules ask for more than its required fields (a dispute comes after the
departments consulted each other, a request for instructions has a due date, ...) or refuse a
combination (a person already on the shift), the first save is refused: the reason must be
on the page in the user's language and everything entered still in the form; the user then
gives what the reason asks for (`EXTRA`) and saves again.

A failing entity leaves a screenshot of the page in `screenshots/add-forms/`.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin

import pytest

import views  # noqa: F401  (registers every entity)
from app.registry.introspect import column_of, kind_of, relationship_of
from app.registry.spec import REGISTRY
from models.base import today_cn
from tests.browser import support
from tests.browser.conftest import DIVISION_LOGINS, USERS
from tests.browser.support import detail, pick, type_into

expect = pytest.importorskip("playwright.sync_api").expect

DATE, DATETIME = "2026-12-04", "2026-12-04 09:30"
TODAY = today_cn()


def in_days(days: int) -> str:
    """A date `days` from today, as typed (what a rule compares with today)."""
    return f"{TODAY + dt.timedelta(days=days):%Y-%m-%d}"


@dataclass(frozen=True)
class Code:
    """The option of a drop-down whose code is `value` (its text is in the page's language)."""
    value: str


@dataclass(frozen=True)
class Choose:
    """The first option of a drop-down of records whose record `fits` — what a user picks
    after reading a refusal (a Party member, not a Youth League member). `fits(record,
    chosen)`: `chosen` holds the ids chosen in the form's other drop-downs."""
    fits: Callable[[object, dict], bool]


#: Tick the checkbox.
TICK = "tick"


def _reception_has_room(reception, _chosen) -> bool:
    from models.services import GUEST_LIST_FINAL_STATES

    guests = [m for m in reception.members if not m.is_deleted]
    return reception.status not in GUEST_LIST_FINAL_STATES and (reception.headcount or 0) > len(guests)


def _item_not_yet_due(item, _chosen) -> bool:
    return item.due_date is None or TODAY <= item.due_date < TODAY + dt.timedelta(days=180)


def _member_without_this_months_dues(member, _chosen) -> bool:
    return not any(p.month == TODAY.replace(day=1) and not p.is_deleted for p in member.dues)


def _without_the_person(shift, chosen) -> bool:
    return not any(o.personnel_id == int(chosen["personnel"]) and not o.is_deleted for o in shift.officers)


def _full_member_without_a_seat(person, _chosen) -> bool:
    from app.extensions import db
    from models.party import FULL_MEMBER, PartyBranchCommittee

    return person.political_status == FULL_MEMBER and not db.session.query(PartyBranchCommittee).filter_by(
        personnel_id=person.id, is_deleted=False).count()


def _party_member_not_registered(person, _chosen) -> bool:
    from app.extensions import db
    from models.party import PARTY_STATUSES, PartyMember

    return person.political_status in PARTY_STATUSES and not db.session.query(PartyMember).filter_by(
        personnel_id=person.id, is_deleted=False).count()


def _not_a_meetings_booking(request, _chosen) -> bool:
    """A logistics request of its own: a meeting's room booking is moved with the meeting."""
    from models.meetings import meeting_of_request

    return meeting_of_request(request) is None


#: Values a field's format or meaning asks for, by entity and field (a text, a Code, a
#: Choose, TICK), typed the first time.
VALUES: dict[str, dict[str, object]] = {
    "GazetteIssue": {"issue_no": lambda uid: str(int(uid, 16) % 900 + 100)},     # a number not yet used
    "DuesPayment": {"month": f"{TODAY:%Y-%m}-01"},               # this month: its first day
}

#: What an entity's rules ask for beyond its required fields: filled after the first save was
#: refused, as a user does after reading the reason (None: the field's usual value).
EXTRA: dict[str, dict[str, object]] = {
    "Dispute": {"prior_consultation": TICK},
    "DistrictRequest": {"due_date": in_days(14)},
    "Telegram": {"title": None, "transmitted_at": None},
    "DocumentRecipient": {"department": None},
    "LeaderInstruction": {"handler_department": None, "due_date": in_days(14)},
    "DocumentHandler": {"role": Code("XIEBAN")},
    "ProposalAssignment": {"role": Code("XIEBAN")},
    "DutyShift": {"duty_date": in_days(27)},                     # the roster runs to today
    "DutyOfficer": {"shift": Choose(_without_the_person)},       # the one person his unit offers
    "PartyBranchCommittee": {"personnel": Choose(_full_member_without_a_seat)},
    "PartyMember": {"personnel": Choose(_party_member_not_registered)},
    "PartyActivityAttendance": {"attended": TICK},
    "DuesPayment": {"member": Choose(_member_without_this_months_dues)},
    "GuestMember": {"reception": Choose(_reception_has_room)},
    "ExtensionRequest": {"item": Choose(_item_not_yet_due), "requested_due": in_days(200)},
    "RoomBooking": {"request": Choose(_not_a_meetings_booking)},
    "TelegramSLA": {"hours": "4"},                               # hours or working days: the rule says which
    "LogisticsRequest": {"applicant": None},                     # who asks (a meeting's own booking names none)
}


def _next_months_shift(app) -> None:
    """The roster of the month to come, its shifts registered before their officers (the
    demo's roster ends today, every shift with the one person the duty clerk may choose)."""
    from app.extensions import db
    from models.duty import DutyShift

    with app.app_context():
        day = TODAY + dt.timedelta(days=26)
        if not db.session.query(DutyShift).filter_by(duty_date=day, shift_type="NIGHT").count():
            db.session.add(DutyShift(duty_date=day, shift_type="NIGHT", created_by="duty"))
            db.session.commit()


#: What must be there before the form is opened (as a user would have made it first).
PREPARE = {"DutyOfficer": _next_months_shift}

#: Where a field's value follows from another one of the same form.
LATER = {("LogisticsRequest", "end_at"): "2026-12-04 17:30"}

ENTITIES = [e for e in REGISTRY.values() if not e.read_only]
_GROUPS = list(dict.fromkeys(e.group for e in ENTITIES if not e.admin_only))
_TABLES = [e.name for e in ENTITIES if e.admin_only]


def _languages() -> dict[str, str]:
    """The language of each entity's test: one per function of the office (its users keep to
    one), the larger functions first each to the language with fewer entities so far, so that
    the set is half zh, half en; the configuration tables alternate."""
    size = {g: sum(1 for e in ENTITIES if e.group == g and not e.admin_only) for g in _GROUPS}
    count, of_group = {"zh": 0, "en": 0}, {}
    for group in sorted(_GROUPS, key=lambda g: (-size[g], _GROUPS.index(g))):
        lang = min(count, key=lambda k: (count[k], k != "zh"))
        of_group[group], count[lang] = lang, count[lang] + size[group]
    return {e.name: ("zh", "en")[_TABLES.index(e.name) % 2] if e.admin_only else of_group[e.group]
            for e in ENTITIES}


LANG = _languages()
#: One function after the other, the configuration tables last (each user signs in once).
ORDERED = sorted(ENTITIES, key=lambda e: (e.admin_only, _GROUPS.index(e.group) if not e.admin_only else 0))
SAVE = {"zh": "保存", "en": "Save"}
ADDED = {"zh": "记录已添加", "en": "Added Row"}
YES = {"zh": "是", "en": "Yes"}
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z']+){2,}")          # three English words in a row


def speaks(lang: str, message: str) -> bool:
    """Whether `message` reads in `lang` (an English one may name a Chinese unit or person)."""
    if lang == "zh":
        return bool(CJK.search(message)) and not ENGLISH.search(message)
    return bool(ENGLISH.search(message))


def adder(app, entity) -> str:
    """Who adds the entity's records: a Clerk of a division that runs its function (function
    ownership: he sees the records it links to), where the run has such a login; else the demo's
    `clerk`; the Admin where no Clerk may add (configuration tables, units)."""
    from sqlalchemy import select

    from app.extensions import db
    from models.ownership import FunctionOwner

    def may_add(user) -> bool:
        return user is not None and any(
            pv.permission.name == "can_add" and pv.view_menu.name == entity.name
            for role in user.roles if role.name == "Clerk" for pv in role.permissions)

    with app.app_context():
        owners = set(db.session.scalars(select(FunctionOwner.department_id).where(
            FunctionOwner.function == entity.group, FunctionOwner.is_deleted.is_(False))))
        users = {login: app.appbuilder.sm.find_user(username=login) for login in [*USERS, *DIVISION_LOGINS]}
        for login, user in users.items():
            if may_add(user) and user.department_id in owners:
                return login
        return "clerk" if may_add(users["clerk"]) else "admin"


#: A field as the test sees it: name, id, widget, label, whether the page marks it required,
#: and whether it comes with a value (a default the user leaves as it is).
FIELD_JS = """el => {
  const label = el.id ? document.querySelector(`label[for="${el.id}"]`) : null;
  const preset = el.tagName === "SELECT" ? !!el.querySelector("option[selected]")
                                         : el.type !== "checkbox" && el.defaultValue !== "";
  return {name: el.name, id: el.id, tag: el.tagName.toLowerCase(), type: el.type, preset: preset,
          required: el.required || !!(label && label.querySelector("strong")),
          label: label ? label.textContent.replace("*", "").trim() : ""};
}"""
FIELDS_JS = f"""form => [...form.querySelectorAll("input, select, textarea")]
  .filter(el => el.name && el.type !== "hidden" && el.type !== "submit").map({FIELD_JS})"""

def view_path(app, entity) -> str:
    from app.screens.views import EntityView

    view = next(v for v in app.appbuilder.baseviews if isinstance(v, EntityView) and v.entity is entity)
    return view.route_base


def text_value(entity, name: str, label: str, lang: str, uid: str) -> str:
    """What a user types into a field of this kind: words in the page's language, the test's
    uid in it (unique columns), cut to the column's length."""
    kind = kind_of(entity.model, name)
    if (entity.name, name) in LATER:
        return LATER[(entity.name, name)]
    if kind == "date":
        return DATE
    if kind == "datetime":
        return DATETIME
    if kind == "int":
        return "2026" if name.startswith("year") else str(zlib.crc32(f"{uid}{name}".encode()) % 90 + 10)
    if kind == "number":
        return "12.5"
    if kind == "text":
        return (f"{label}：浏览器测试填写的内容（{uid}）" if lang == "zh"
                else f"{label}: written by the browser test ({uid})")
    text = f"测试{uid}{label}" if lang == "zh" else f"Test {uid} {label}"
    column = column_of(entity.model, name)
    length = getattr(getattr(column, "type", None), "length", None)
    return text[:length] if length else text


class Form:
    """The add form on the page, and what the test put into it."""

    def __init__(self, page, app, entity, lang: str, uid: str):
        self.page, self.app, self.entity, self.lang, self.uid = page, app, entity, lang, uid
        self.form = page.locator("form:has(#csrf_token)", has=page.locator("button[type=submit]")).last
        self.entered: dict[str, tuple[str, str, str]] = {}          # name: (label, widget, value)

    def fields(self) -> list[dict]:
        return self.form.evaluate(FIELDS_JS)

    def field(self, name: str) -> dict:
        return self.form.locator(f"[name='{name}']").evaluate(FIELD_JS)

    def option(self, field: dict, value) -> str:
        """The text of the option a user chooses in the drop-down `field`."""
        box = self.form.locator(f"select[name='{field['name']}']")
        if isinstance(value, str):
            return value
        if isinstance(value, Code):
            return box.locator(f"option[value='{value.value}']").inner_text().strip()
        if isinstance(value, Choose):
            from app.extensions import db

            target = relationship_of(self.entity.model, field["name"]).mapper.class_
            offered = self.offered(box, every=True)
            chosen = self.form.evaluate(
                "f => Object.fromEntries([...f.querySelectorAll('select')].map(s => [s.name, s.value]))")
            with self.app.app_context():
                text = next((text for pk, text in offered
                             if value.fits(db.session.get(target, int(pk)), chosen)), None)
            assert text, f"the drop-down {field['label']!r} offers no record that fits"
            return text
        offered = [text for _pk, text in self.offered(box)]
        text = next((t for t in offered if sum(t in u for u in offered) == 1), offered[0] if offered else None)
        assert text, f"the drop-down {field['label']!r} ({field['name']}) offers nothing to choose"
        return text

    def offered(self, box, every: bool = False) -> list[tuple[str, str]]:
        """[(id, text)] a drop-down offers before anything is typed: its options, or — a
        search-as-you-type field (app/screens/pickers.py) — the first page it is sent (`every`:
        all its pages, as a user scrolls looking for one that fits)."""
        url = box.get_attribute("data-picker-url")
        if url is None:
            return box.evaluate("s => [...s.options].filter(o => o.value && o.value !== '__None')"
                                ".map(o => [o.value, o.text.trim()])")
        rows, page = [], 1
        while True:
            answer = self.page.request.get(urljoin(self.page.url, url) + f"&q=&page={page}")
            assert answer.ok, answer.text()[:300]
            rows += [(row["id"], row["text"]) for row in answer.json()["results"]]
            if not (every and answer.json()["pagination"]["more"]):
                return rows
            page += 1

    def fill(self, field: dict, value=None) -> None:
        """Put `value` (None: the usual one for the field) into `field` through its widget."""
        name, box = field["name"], self.form.locator(f"[name='{field['name']}']")
        if callable(value):
            value = value(self.uid)
        if field["tag"] == "select":
            text = self.option(field, value)
            pick(self.page, field["id"], text)
            self.entered[name] = (field["label"], "select", text)
        elif field["type"] == "checkbox":
            box.check()
            self.entered[name] = (field["label"], "checkbox", YES[self.lang])
        else:
            text = value or text_value(self.entity, name, field["label"], self.lang, self.uid)
            type_into(box, text)
            self.entered[name] = (field["label"], "text", text)

    def leave(self, field: dict) -> None:
        """A required field that comes filled in (a default): the user leaves it as it is."""
        box = self.form.locator(f"[name='{field['name']}']")
        value = box.locator("option:checked").inner_text().strip() if field["tag"] == "select" else box.input_value()
        self.entered[field["name"]] = (field["label"], field["tag"], value)

    def save(self) -> None:
        self.form.get_by_role("button", name=SAVE[self.lang]).click()
        self.page.wait_for_load_state("domcontentloaded")

    def field_errors(self) -> list[str]:
        return [t.strip() for t in self.page.locator("form .alert-danger").all_inner_texts()]

    def refusals(self) -> list[str]:
        return [t.replace("×", "").strip() for t in self.page.locator(".alert-danger:not(form .alert-danger)")
                .all_inner_texts()]

    def lost(self) -> list[str]:
        """What a refused form no longer holds of what was entered."""
        lost = []
        for name, (label, widget, value) in self.entered.items():
            box = self.form.locator(f"[name='{name}']")
            if widget == "select":
                now = box.locator("option:checked").inner_text().strip()
            elif widget == "checkbox":
                now = YES[self.lang] if box.is_checked() else "—"
            else:
                now = box.input_value()
            if now != value:
                lost.append(f"{label}: entered {value!r}, the form now holds {now!r}")
        return lost


def same(expected: str, cells: list[str]) -> bool:
    for cell in cells:
        if cell == expected:
            return True
        with contextlib.suppress(ValueError):
            if float(cell.replace(",", "")) == float(expected):
                return True
    return False


@contextlib.contextmanager
def screenshot_on_failure(page, folder, name: str):
    try:
        yield
    except BaseException:
        folder.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(Exception):
            page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
        raise


def newest_id(app, entity, after: int) -> int | None:
    from sqlalchemy import func

    from app.extensions import db

    with app.app_context():
        return db.session.query(func.max(entity.model.id)).filter(entity.model.id > after).scalar()


class Forms:
    """One signed-in page per user for all the forms of the module (a browser context per form
    would cost a second each), watched as every page is (conftest.Browse)."""

    def __init__(self, browse):
        self.browse, self.pages = browse, {}

    def page(self, user: str, lang: str, path: str):
        """`user`'s page, on `path`, in `lang` (another test may have switched his language)."""
        if user not in self.pages:
            self.pages[user] = self.browse.page(user, lang, path)
        page = self.pages[user]
        if not page.url.startswith(self.browse.url(path)):
            page.goto(self.browse.url(path))
        if support.current_language(page) != lang:
            support.switch_language(page, lang)
        return page


@pytest.fixture(scope="module")
def forms(browser, live_server, _signed_in):
    from tests.browser.conftest import Browse

    shutil.rmtree(support.SCREENSHOTS / "add-forms", ignore_errors=True)      # the failures of this run only
    browse = Browse(browser, live_server, _signed_in)
    yield Forms(browse)
    browse.close()


@pytest.mark.parametrize("name", [e.name for e in ORDERED])
def test_add_form_as_people_fill_it(forms, app, screenshots, name):
    """Each test answers for what its own steps made the pages log (the module's pages are
    not the `browse` fixture's, which conftest checks)."""
    browse = forms.browse
    browse.watcher.problems.clear()
    entity = next(e for e in ENTITIES if e.name == name)
    lang, uid = LANG[name], uuid.uuid4().hex[:6]
    route = view_path(app, entity)
    if name in PREPARE:
        PREPARE[name](app)
    page = forms.page(adder(app, entity), lang, f"{route}/add")
    before = newest_id(app, entity, 0) or 0
    form = Form(page, app, entity, lang, uid)
    with screenshot_on_failure(page, screenshots / "add-forms", f"{name}-{lang}"):
        required = [f for f in form.fields() if f["required"]]
        assert required, "the form marks no field required"
        for field in required:
            value = VALUES.get(name, {}).get(field["name"])
            if field["preset"] and value is None:
                form.leave(field)
            else:
                form.fill(field, value)
        form.save()
        assert not form.field_errors(), f"the form refused what was entered: {form.field_errors()}"

        refused = form.refusals()
        if refused:
            assert name in EXTRA, f"refused: {refused}"
            assert all(speaks(lang, m) for m in refused), f"not in {lang}: {refused}"
            assert not form.lost(), f"the refused form lost what was entered: {form.lost()}"
            for field_name, value in EXTRA[name].items():
                form.fill(form.field(field_name), value)
            form.save()
            assert not form.field_errors(), f"the form refused what was entered: {form.field_errors()}"
            assert not form.refusals(), f"refused again: {form.refusals()}"
        expect(page.locator(".alert-success").first).to_contain_text(ADDED[lang])

        pk = newest_id(app, entity, before)
        assert pk, "saved, says the page, but there is no new record"
        page.goto(browse.url(f"{route}/show/{pk}"))
        missing = []
        from app.masking import mask_value, sensitive_columns

        secret = sensitive_columns(entity.model)     # shown masked to a user without the right (§9)
        for name, (label, _widget, value) in form.entered.items():
            cells = [t.strip() for t in detail(page, label).all_inner_texts()]
            if name in secret and cells == [str(mask_value(value, secret[name]))]:
                continue
            if not same(value, cells):
                missing.append(f"{label}: entered {value!r}, the record page shows {cells or 'no such row'}")
        assert not missing, missing
    assert not browse.watcher.problems, "The pages of this test misbehaved:\n" + browse.watcher.report()
