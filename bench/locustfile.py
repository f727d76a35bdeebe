"""The simulated users of the load test (bench/load.py starts this with locust).

Each locust user takes the next login of the plan (LOAD_PLAN, written by bench/load.py),
logs in through the login form (CSRF on, as in production) and then loops, with a think
time of LOAD_WAIT seconds (default "1,3"), over a weighted mix of:

- list: a list page of one of his entities, mostly the first pages;
- filter: the list with one or two filters in the query string, as the search form builds
  them (`_flt_<op>_<column>=value`, the values offered by the form), sometimes a second page;
- show: a record page of a record in his scope;
- edit (Clerks): GET the edit form, send back every field as a browser would (csrf_token and
  row_version included) with the remark changed to a unique marker; a save counts only when
  answered by the redirect and the next page shows the success message, and is then written
  to LOAD_OUT/saves-<pid>.tsv (one file per locust process) for the check in the database;
- export (Managers): a filtered list, then its "Export to Excel" link; the answer must be
  an xlsx.

Every request is also written to LOAD_OUT/requests-<pid>.csv (kind, entity, ms, ok), from
which bench/load.py computes the percentiles per kind.
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import itertools
import json
import os
import random
import re
import time
from html.parser import HTMLParser
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
OUT = Path(os.environ.get("LOAD_OUT", "."))
RUN_ID = os.environ.get("LOAD_RUN_ID", "run")
TIMEOUT = float(os.environ.get("LOAD_TIMEOUT", "60"))
WAIT = [float(x) for x in os.environ.get("LOAD_WAIT", "1,3").split(",")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: What a Clerk and a Manager do, with weights.
MIX = {
    "Clerk": {"list": 30, "filter": 20, "show": 30, "edit": 20},
    "Manager": {"list": 30, "filter": 25, "show": 35, "export": 10},
}

#: Filters per entity, as the search form offers them: (column, operation index, values).
#: "choice": one of the values the form's drop-down offers; "date": a date in the last year.
#: Operation indexes are FAB's order for the column type: text 2 contains, 3 equal to;
#: relation 0 equal to; date 1 greater than; the deadline filters 4 past due, 5 due within N days.
FILTERS = {
    "HotlineCase": [("appeal_type", 3, "choice"), ("status", 3, "choice"), ("urgency", 3, "choice"),
                    ("district", 0, "choice"), ("content", 2, ["小区", "噪音", "停车", "物业", "路灯", "学校"]),
                    ("street", 2, ["街道", "镇"]), ("received_at", 1, "datetime"), ("due_at", 4, [""]),
                    ("due_at", 5, ["3", "7"])],
    "Document": [("direction", 3, "choice"), ("urgency", 3, "choice"), ("doc_type", 3, "choice"),
                 ("title", 2, ["关于", "通知", "厦门", "工作", "方案"]), ("received_at", 1, "datetime"),
                 ("due_date", 4, [""]), ("secrecy_level", 3, "choice")],
    "SupervisionItem": [("status", 3, "choice"), ("priority", 3, "choice"), ("source_type", 3, "choice"),
                        ("title", 2, ["关于", "推进", "工作", "建设"]), ("opened_at", 1, "date"),
                        ("due_date", 4, [""]), ("due_date", 5, ["7", "30"])],
    "MeetingDecision": [("content", 2, ["推进", "研究", "落实", "工作"]), ("responsible_leader", 2, ["市长"]),
                        ("due_date", 4, [""]), ("due_date", 5, ["7", "30"]), ("lead_department", 0, "choice")],
}

_logins = itertools.count()
_seq = itertools.count(1)
_saves = None
_requests_file = None
_requests = None


def _out(kind: str):
    OUT.mkdir(parents=True, exist_ok=True)
    return open(OUT / f"{kind}-{os.getpid()}.{'tsv' if kind == 'saves' else 'csv'}", "a", newline="",
                encoding="utf-8")


@events.request.add_listener
def _log_request(request_type, name, response_time, response_length, exception, **_kw):
    global _requests, _requests_file
    if _requests is None:
        _requests_file = _out("requests")
        _requests = csv.writer(_requests_file)
    kind, _, entity = name.partition(": ")
    _requests.writerow([kind, entity, f"{response_time:.1f}", int(exception is None), response_length or 0,
                        "" if exception is None else str(exception)[:200], f"{time.time():.3f}"])


def record_save(entity: str, pk: int, username: str, seq: int, marker: str) -> None:
    global _saves
    if _saves is None:
        _saves = _out("saves")
    _saves.write(f"{entity}\t{pk}\t{username}\t{seq}\t{marker}\t{time.time():.3f}\n")
    _saves.flush()


@events.quitting.add_listener
def _close(**_kw):
    for handle in (_saves, _requests_file):
        if handle is not None:
            handle.close()


# --- forms ---------------------------------------------------------------------------------------
class FormFields(HTMLParser):
    """The fields a browser would submit from the form with id `form_id`: inputs (checked
    boxes only), the selected options of selects (the first one when none is), textareas
    (without the newline that follows the opening tag, as browsers drop it)."""

    def __init__(self, form_id: str = "model_form"):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
            return
        if not self.inside:
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if not a.get("name") or "disabled" in a or kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value") or "on"))
            else:
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select" and a.get("name") and "disabled" not in a:
            self._select = {"name": a["name"], "multiple": "multiple" in a, "options": [], "selected": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "text": "", "selected": "selected" in a}
        elif tag == "textarea" and a.get("name") and "disabled" not in a:
            self._textarea = {"name": a["name"], "text": ""}

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "option" and self._option is not None:
            self._end_option()
        elif tag == "select" and self._select is not None:
            if self._option is not None:
                self._end_option()
            sel = self._select
            chosen = sel["selected"] or ([] if sel["multiple"] or not sel["options"] else [sel["options"][0]])
            self.fields += [(sel["name"], value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            for newline in ("\r\n", "\n"):
                if text.startswith(newline):
                    text = text[len(newline):]
                    break
            self.fields.append((self._textarea["name"], text))
            self._textarea = None

    def _end_option(self):
        option = self._option
        value = option["value"] if option["value"] is not None else option["text"].strip()
        self._select["options"].append(value)
        if option["selected"]:
            self._select["selected"].append(value)
        self._option = None


def form_fields(page: str, form_id: str = "model_form") -> list[tuple[str, str]]:
    parser = FormFields(form_id)
    parser.feed(page)
    return parser.fields


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
FILTER_WIDGETS = re.compile(r"new AdminFilters\(\s*'#filter_form',\s*\{.*?\},\s*(\{.*?\}),\s*\{", re.S)
OPTION = re.compile(r'<option[^>]*value="([^"]*)"')
EXPORT_LINK = re.compile(r'class="btn btn-sm btn-success office-export"\s+href="([^"]+)"')
ALERT = re.compile(r'<div class="alert alert-(\w+)">')
REFUSAL = re.compile(r'<div class="alert alert-(?:danger|warning)">(.*?)</div>', re.S)


def csrf_token(page: str) -> str | None:
    match = CSRF.search(page)
    return (match.group(1) or match.group(2)) if match else None


# --- the user ------------------------------------------------------------------------------------
class OfficeUser(HttpUser):
    wait_time = between(*WAIT)

    def on_start(self):
        index = next(_logins)
        self.me = PLAN["users"][index % len(PLAN["users"])]
        self.name = self.me["username"]
        self.work = [w for w in self.me["work"] if w["visible"]] or self.me["work"]
        self.choices: dict[str, dict[str, list[str]]] = {}      # entity -> column -> drop-down values
        self.pages: dict[str, int] = {}                          # entity -> last page index
        self.edits: dict[str, list[int]] = {w["entity"]: list(w["edit"]) for w in self.work}
        self.logged_in = False
        self.login()

    # -- helpers
    def entity(self) -> tuple[dict, dict]:
        work = random.choice(self.work)
        return work, PLAN["entities"][work["entity"]]

    def get(self, kind: str, entity: str, url: str, **kw):
        return self.client.get(url, name=f"{kind}: {entity}", timeout=TIMEOUT, catch_response=True, **kw)

    def page_ok(self, response, kind: str) -> bool:
        """200, and a page of the app rather than the login form (a lost session)."""
        if response.status_code != 200:
            response.failure(f"{kind}: HTTP {response.status_code}")
            return False
        if "/login" in response.url:
            response.failure(f"{kind}: sent to the login page")
            self.logged_in = False
            return False
        return True

    def login(self) -> None:
        with self.client.get("/login/", name="login: form", timeout=TIMEOUT, catch_response=True) as r:
            token = csrf_token(r.text) if r.status_code == 200 else None
            if not token:
                r.failure(f"login form: HTTP {r.status_code}, no csrf_token")
                return
        data = {"username": self.name, "password": PLAN["password"], "csrf_token": token}
        with self.client.post("/login/", data=data, name="login: submit", timeout=TIMEOUT, allow_redirects=False,
                              catch_response=True) as r:
            if r.status_code == 302 and "/login" not in r.headers.get("Location", ""):
                self.logged_in = True
            else:
                r.failure(f"login refused: HTTP {r.status_code} {r.headers.get('Location', '')}")

    def remember_list(self, entity_name: str, view: str, page: str) -> None:
        if entity_name not in self.pages:
            pages = [int(n) for n in re.findall(rf"page_{view}=(\d+)", page)]
            self.pages[entity_name] = max(pages, default=0)
        if entity_name not in self.choices:
            match = FILTER_WIDGETS.search(page)
            widgets = json.loads(match.group(1)) if match else {}
            self.choices[entity_name] = {col: [v for v in OPTION.findall(w) if v not in ("", "__None")]
                                         for col, w in widgets.items()}

    def page_number(self, entity_name: str) -> int:
        last = self.pages.get(entity_name, 0)
        if last == 0 or random.random() < 0.5:
            return 0
        return random.choice([1, 1, 2, 3, random.randint(0, last)])

    def filter_query(self, entity_name: str) -> str:
        specs = FILTERS[entity_name]
        options = self.choices.get(entity_name, {})
        parts = []
        for column, op, values in random.sample(specs, k=random.choice([1, 1, 2])):
            if values == "choice":
                offered = options.get(column) or []
                if not offered:
                    continue
                value = random.choice(offered)
            elif values in ("date", "datetime"):
                day = dt.date.today() - dt.timedelta(days=random.randint(7, 365))
                value = day.isoformat() + (" 00:00:00" if values == "datetime" else "")
            else:
                value = random.choice(values)
            parts.append((f"_flt_{op}_{column}", value))
        from urllib.parse import urlencode
        return urlencode(parts)

    # -- the loop
    @task
    def act(self):
        if not self.logged_in:
            self.login()
            return
        mix = MIX[self.me["role"]]
        kinds = [k for k in mix if k != "edit" or any(self.edits.values())]
        kind = random.choices(kinds, weights=[mix[k] for k in kinds])[0]
        getattr(self, f"do_{kind}")()

    def do_list(self):
        work, ent = self.entity()
        name = work["entity"]
        page = self.page_number(name)
        url = f"{ent['base']}/list/" + (f"?page_{ent['view']}={page}" if page else "")
        with self.get("list", name, url) as r:
            if self.page_ok(r, "list"):
                self.remember_list(name, ent["view"], r.text)

    def do_filter(self, then_export: bool = False):
        work, ent = self.entity()
        name = work["entity"]
        if name not in self.choices:          # the search form's drop-downs come with the list page
            with self.get("list", name, f"{ent['base']}/list/") as r:
                if not self.page_ok(r, "list"):
                    return
                self.remember_list(name, ent["view"], r.text)
        query = self.filter_query(name)
        if not then_export and random.random() < 0.2:
            query += ("&" if query else "") + f"page_{ent['view']}=1"
        with self.get("filter", name, f"{ent['base']}/list/?{query}") as r:
            if not self.page_ok(r, "filter"):
                return
            page = r.text
        if then_export:
            match = EXPORT_LINK.search(page)
            if not match:
                with self.get("export", name, f"{ent['base']}/export/?{query}") as r:
                    r.failure("export: no Export to Excel link on the list")
                return
            link = html.unescape(match.group(1))
            with self.get("export", name, link) as r:
                if not self.page_ok(r, "export"):
                    return
                if not r.headers.get("Content-Type", "").startswith(XLSX) or not r.content.startswith(b"PK"):
                    r.failure(f"export: not an xlsx ({r.headers.get('Content-Type')})")

    def do_export(self):
        self.do_filter(then_export=True)

    def do_show(self):
        work, ent = self.entity()
        if not work["show"]:
            return self.do_list()
        pk = random.choice(work["show"])
        with self.get("show", work["entity"], f"{ent['base']}/show/{pk}") as r:
            self.page_ok(r, "show")

    def do_edit(self):
        candidates = [w for w in self.work if self.edits.get(w["entity"])]
        work = random.choice(candidates)
        name, ent = work["entity"], PLAN["entities"][work["entity"]]
        pk = random.choice(self.edits[name])
        url = f"{ent['base']}/edit/{pk}"
        with self.get("edit form", name, url) as r:
            if not self.page_ok(r, "edit form"):
                return
            fields = form_fields(r.text)
            if not any(k == "csrf_token" for k, _v in fields) or not any(k == ent["field"] for k, _v in fields):
                r.failure("edit form: no csrf_token or no remark field in the form")
                return
        seq = next(_seq)
        marker = f"LOAD {RUN_ID} {self.name} #{seq:06d}"
        data = [(k, marker if k == ent["field"] else v) for k, v in fields]
        with self.client.post(url, data=data, name=f"edit save: {name}", timeout=TIMEOUT, allow_redirects=False,
                              catch_response=True) as r:
            # Saved: FAB redirects to the page before the form (its page history: a list, a
            # record page, even another record's edit form); a refusal shows the form again.
            location = r.headers.get("Location", "")
            if r.status_code != 302 or "/login" in location:
                problem = "the form came back" if r.status_code == 200 else f"HTTP {r.status_code}"
                reasons = [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("×", " ").split())[:160]
                           for text in REFUSAL.findall(r.text)] if r.status_code == 200 else []
                r.failure(f"edit save: {problem}: " + " | ".join(sorted(set(reasons))))
                return
        record_save(name, pk, self.name, seq, marker)
        with self.get("after save", name, location) as r:
            if not self.page_ok(r, "after save"):
                return
            alerts = ALERT.findall(r.text)
            if "success" not in alerts or {"danger", "warning"} & set(alerts):
                r.failure(f"after save: no success message ({alerts})")
