"""The app/ packages import one another in one direction only (docs/architecture.md, Layers).

grimp reads every import, also those inside functions: a lazy import is still a cycle.
"""
from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest

grimp = pytest.importorskip("grimp")

ROOT = Path(__file__).resolve().parent.parent

#: Feature packages: they plug into the core; the core never imports them.
FEATURES = ["app.dashboard", "app.console", "app.importer", "app.ledgers", "app.excel", "app.history",
            "app.screens", "app.home", "app.downloads", "app.paper", "app.paper_forms"]
#: The core: the declaration and what reads it, the workflow engine, the audit trail.
CORE = ["app.registry", "app.workflow", "app.audit"]


@pytest.fixture(scope="module")
def graph():
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return grimp.build_graph("app", "models", "views", cache_dir=None)


def _parts(graph) -> list[str]:
    """app's subpackages and top-level modules."""
    return sorted({".".join(m.split(".")[:2]) for m in graph.modules if m.startswith("app.")})


def _chain(graph, importer: str, imported: str) -> str:
    chains = graph.find_shortest_chains(importer=importer, imported=imported, as_packages=True)
    return " -> ".join(min(chains, key=len)) if chains else ""


def test_no_cycle_between_app_packages(graph):
    found = []
    for a, b in itertools.combinations(_parts(graph), 2):
        there, back = _chain(graph, a, b), _chain(graph, b, a)
        if there and back:
            found.append(f"{a} <-> {b}:\n    {there}\n    {back}")
    assert not found, "import cycles between app packages:\n" + "\n".join(found)


@pytest.mark.parametrize("core", CORE)
def test_core_imports_no_feature(graph, core):
    found = [chain for feature in FEATURES if (chain := _chain(graph, core, feature))]
    assert not found, f"{core} imports feature packages:\n" + "\n".join(found)


def test_models_import_no_dashboard_or_console(graph):
    models = sorted(m for m in graph.modules if m == "models" or m.startswith("models."))
    found = [chain for feature in ("app.dashboard", "app.console", "app.screens") for m in models
             if m.count(".") <= 1 and (chain := _chain(graph, m, feature))]
    assert not found, "models import screens, the dashboard or the console:\n" + "\n".join(sorted(set(found)))


def test_dashboard_names_no_domain_model(graph):
    domain = {m for m in graph.modules if m.startswith("models.")} - {
        "models.base", "models.lookups", "models.org", "models.ownership", "models.audit", "models.workflow",
        "models.calendar", "models.sla", "models.numbering", "models.settings", "models.custom_fields",
        "models.attachments"}
    found = [f"{m} -> {d}" for m in graph.modules if m.startswith(("app.dashboard", "app.console"))
             for d in graph.find_modules_directly_imported_by(m) if d in domain]
    assert not found, "the dashboard and console import domain models:\n" + "\n".join(sorted(found))


def test_the_menu_order_of_a_group_declared_in_several_modules_is_written_down():
    """Such a group names its entries' order (app/menu.py `Group.entries`): sorting the
    imports of views/ must not move a menu entry."""
    import views  # noqa: F401  (fills the registry)
    from app.menu import GROUPS
    from app.registry.spec import REGISTRY

    for group in GROUPS:
        modules = {e.model.__module__ for e in REGISTRY.values() if e.group == group.key and e.menu}
        if len(modules) > 1:
            named = {e.name for e in REGISTRY.values() if e.group == group.key and e.menu}
            assert named <= set(group.entries), f"{group.key}: give the order of {sorted(named - set(group.entries))}"
