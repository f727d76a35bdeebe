"""The Django admin peer of `make bench` (bench/admin_peer.py), its parts that need no Django:
the request plan, the interleaving, the percentile and ratio figures, the table rows, the
form a save sends back and the driver's database settings. Django itself lives in the bench's
own virtualenv, never in the app's; these tests keep the instrument from rotting without it."""
from __future__ import annotations

import pytest

from bench.admin_peer import (
    DJANGO,
    DJANGO_CAPPED,
    PAGE,
    VIEWS_BEFORE,
    Call,
    Measure,
    Sample,
    Setup,
    cpu_ratio,
    interleaved,
    p50,
    p95,
    peer_env,
    plan,
    records_needed,
    rows_of,
)
from bench.peer_forms import form_fields
from bench.table import cells

REPEAT = 4


def setup(rows: int = 100_000, clerk_rows: int = 25_000, capped: bool = False, records: int | None = None) -> Setup:
    count = 2 * records_needed(REPEAT) if records is None else records
    return Setup(rows, unit_id=7, clerk_rows=clerk_rows, record_ids=list(range(1000, 1000 + count)),
                 capped=capped, repeat=REPEAT)


def by_name(measures: list[Measure], role: str) -> dict[str, Measure]:
    return {m.name: m for m in measures if m.role == role and m.peer == DJANGO}


def test_every_request_of_the_issue_is_measured_for_both_roles_with_the_same_number_of_samples():
    measures = plan(setup())
    expected = {"list first page", f"list page {PAGE}", "filtered list (unit + name)", "record page, first view",
                f"record page after {VIEWS_BEFORE} views", "edit form", "save"}
    for role in ("admin", "clerk"):
        assert set(by_name(measures, role)) == expected
    assert all(len(m.samples) == REPEAT for m in measures)
    assert all(p.role == d.role == m.role for m in measures for p, d in m.samples + m.warmup)


def test_both_sides_ask_for_the_same_list_page_and_filter():
    admin = by_name(plan(setup()), "admin")
    project, django = admin[f"list page {PAGE}"].samples[0]
    assert project.url == f"/personnelview/list/?page_PersonnelView={PAGE - 1}"     # FAB counts pages from 0
    assert django.url == f"/admin/peer/personnel/?p={PAGE}"
    project, django = admin["filtered list (unit + name)"].samples[0]
    assert "_flt_0_department=7" in project.url and "_flt_0_name=王" in project.url
    assert "department__id__exact=7" in django.url and "q=王" in django.url


def test_a_user_who_sees_fewer_rows_is_measured_on_his_last_page_and_the_label_says_so():
    clerk = by_name(plan(setup(rows=10_000, clerk_rows=250)), "clerk")
    assert "list page 13 (the last)" in clerk
    project, django = clerk["list page 13 (the last)"].samples[0]
    assert project.url.endswith("page_PersonnelView=12") and django.url.endswith("p=13")


def test_record_pages_use_distinct_records_per_role_and_side_and_the_fresh_view_is_a_first_view():
    measures = plan(setup())
    ids_of = {role: set() for role in ("admin", "clerk")}
    for m in measures:
        for project, _ in m.samples + m.warmup:
            if "/show/" in project.url or "/edit/" in project.url:
                ids_of[m.role].add(int(project.url.rsplit("/", 1)[1]))
    assert not ids_of["admin"] & ids_of["clerk"]
    fresh = by_name(measures, "admin")["record page, first view"]
    urls = [p.url for p, _ in fresh.samples + fresh.warmup]
    assert len(set(urls)) == len(urls) == REPEAT + 1
    viewed = by_name(measures, "admin")[f"record page after {VIEWS_BEFORE} views"]
    assert len(viewed.warmup) == VIEWS_BEFORE and len({p.url for p, _ in viewed.warmup + viewed.samples}) == 1


def test_each_save_sends_a_new_name_to_its_own_record_on_each_side():
    save = by_name(plan(setup()), "clerk")["save"]
    pairs = save.warmup + save.samples
    assert all(p.op == d.op == "save" for p, d in pairs)
    assert len({p.value for p, _ in pairs}) == len(pairs)
    assert (pairs[0][0].form_id, pairs[0][1].form_id) == ("model_form", "personnel_form")
    assert save.target == 1.3


def test_the_capped_count_variant_is_measured_only_when_asked_and_only_for_lists():
    assert not [m for m in plan(setup()) if m.peer == DJANGO_CAPPED]
    capped = [m for m in plan(setup(rows=1_000_000, clerk_rows=25_000, capped=True)) if m.peer == DJANGO_CAPPED]
    assert len(capped) == 6 and all(m.name.startswith(("list", "filtered")) for m in capped)
    assert all(d.url.startswith("/capped/peer/personnel/") for m in capped for _, d in m.samples)


def test_too_few_records_in_the_clerks_unit_is_said_before_anything_runs():
    with pytest.raises(ValueError, match="BENCH_PEER_REPEAT"):
        plan(setup(records=records_needed(REPEAT)))


def test_percentiles_and_the_cpu_ratio():
    values = [float(v) for v in range(1, 21)]
    assert p50(values) == 10.5 and p95(values) == 19.0 and p95([1.0, 9.0]) == 9.0
    ours = [Sample(100, cpu, 0) for cpu in (30, 40, 50)]
    theirs = [Sample(50, cpu, 0) for cpu in (15, 20, 99)]
    assert cpu_ratio(ours, theirs) == 2.0
    assert cpu_ratio(ours, [Sample(1, 0, 0)]) is None


def test_requests_alternate_which_side_goes_first():
    order = []

    class Side:
        def __init__(self, name: str) -> None:
            self.name = name

        def call(self, call: Call) -> Sample:
            order.append(self.name)
            return Sample(1, 1, 1)

    pair = (Call("get", "admin", "/p"), Call("get", "admin", "/d"))
    ours, theirs = interleaved([pair] * 4, Side("project"), Side("django"))
    assert order == ["project", "django", "django", "project"] * 2
    assert len(ours) == len(theirs) == 4


def test_table_rows_carry_both_sides_and_the_targets():
    measure = Measure("list first page", "clerk", [], weight=True)
    ours = [Sample(20, 10, 45 * 1024), Sample(30, 12, 45 * 1024)]
    theirs = [Sample(15, 10, 25 * 1024), Sample(25, 10, 25 * 1024)]
    timing, weight = rows_of(measure, "SQLite", 100_000, ours, theirs)
    assert timing.operation == "vs Django admin: list first page (Clerk)"
    assert (timing.ratio, timing.met, timing.target) == (1.1, False, "CPU ≤ 1.0×")
    text = cells(timing)
    assert text[4] == "25.0 / 30.0 ms (CPU 11.0)" and text[7] == "20.0 / 25.0 ms (CPU 10.0)"
    assert (weight.time, weight.baseline_value, weight.met) == (45.0, 25.0, False)
    edit = Measure("edit form", "admin", [], weight=True)
    assert rows_of(edit, "SQLite", 1, ours, theirs)[1].met is None        # the 40 KB target is the list's


def test_the_form_sends_back_what_a_browser_would():
    page = """<form id="lang"><input name="lang" value="en"></form>
    <form id="model_form" method="post">
      <input type="hidden" name="csrf_token" value="t0k"><input name="name" value="王伟">
      <select name="gender"><option value="">-</option><option value="2" selected>女</option></select>
      <select name="status"><option value="ZAIZHI">在职</option><option value="TUIXIU">退休</option></select>
      <input type="checkbox" name="flag"><input type="checkbox" name="kept" checked>
      <textarea name="remark">
挂职&amp;锻炼</textarea><input type="submit" name="save" value="保存">
    </form>"""
    assert form_fields(page, "model_form") == {"csrf_token": "t0k", "name": "王伟", "gender": "2", "status": "ZAIZHI",
                                               "kept": "on", "remark": "挂职&锻炼"}
    with pytest.raises(ValueError):
        form_fields(page, "personnel_form")


def test_the_django_driver_reads_the_projects_database():
    sqlite = peer_env("sqlite:////tmp/bench-x/bench_10000.db", "benchclerk")
    assert sqlite == {"PEER_DB_VENDOR": "sqlite", "PEER_DB_NAME": "/tmp/bench-x/bench_10000.db",
                      "PEER_CLERK": "benchclerk"}
    pg = peer_env("postgresql+psycopg://postgres@127.0.0.1:54329/bench_10000", "benchclerk")
    assert (pg["PEER_DB_VENDOR"], pg["PEER_DB_NAME"], pg["PEER_DB_HOST"], pg["PEER_DB_PORT"]) == \
        ("postgresql", "bench_10000", "127.0.0.1", "54329")
