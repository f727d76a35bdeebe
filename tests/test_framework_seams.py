"""A framework upgrade fails here, in one place (issue 17): the versions app/seams.py was
read against, the signatures of what it overrides and patches, and that nothing outside it
overrides a Flask-AppBuilder, flask-admin or WTForms private method or patches their objects.
"""
from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import re
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from app import seams

ROOT = Path(__file__).resolve().parent.parent
FRAMEWORKS = ("flask_appbuilder", "flask_admin", "wtforms", "flask_wtf")
SEAMS_FILE = ROOT / "app" / "seams.py"


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==(\S+)", line.strip())
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


@pytest.mark.parametrize("package", sorted(seams.CHECKED_WITH))
def test_the_installed_framework_is_the_one_the_seams_were_read_against(package):
    assert _pins()[package.lower()] == seams.CHECKED_WITH[package], "requirements.txt and app/seams.py disagree"
    assert version(package) == seams.CHECKED_WITH[package], "installed version differs from requirements.txt"


def _plain(signature: inspect.Signature) -> str:
    """The signature without annotations: names, kinds and defaults are what an override
    and its callers depend on."""
    return str(signature.replace(
        parameters=[p.replace(annotation=inspect.Parameter.empty) for p in signature.parameters.values()],
        return_annotation=inspect.Signature.empty))


def _framework_own(owner, name):
    return seams.ORIGINALS.get((owner, name), getattr(owner, name, None))


@pytest.mark.parametrize("owner, name, signature", seams.SEAMS,
                         ids=[f"{getattr(o, '__name__', o)}.{n}" for o, n, _s in seams.SEAMS])
def test_the_framework_still_has_each_seam_with_the_recorded_signature(owner, name, signature):
    found = _framework_own(owner, name)
    assert found is not None, f"{owner.__name__} has no {name} any more"
    if signature is not None:
        assert _plain(inspect.signature(found)) == signature


def test_the_table_lists_every_override_the_seam_mixins_make():
    recorded = {name for _owner, name, _signature in seams.SEAMS}
    for mixin in (seams.CrudViewSeams, seams.DataInterfaceSeams, seams.ModelApiSeams, seams.SecuritySeams,
                  seams.FieldTextSeams, seams.ChoiceListSeams):
        overrides = {name for name in vars(mixin) if name.startswith("_") and not name.startswith("__")}
        assert overrides and overrides <= recorded, mixin.__name__


# --- the scan of the source --------------------------------------------------------------------
def _is_framework(cls) -> bool:
    return str(getattr(cls, "__module__", "")).split(".")[0] in FRAMEWORKS


def _all_classes() -> dict[tuple[str, str], list[type]]:
    """Every live class by (module, qualified name): generated ones and those defined in a
    function included (there may be several of one name)."""
    index: dict[tuple[str, str], list[type]] = {}
    stack, seen = [object], set()
    while stack:
        cls = stack.pop()
        for sub in type.__subclasses__(cls):
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
                index.setdefault((sub.__module__, sub.__qualname__), []).append(sub)
    return index


def _framework_bases_below(classes: list[type]) -> set[type]:
    """The framework classes in the MRO of these classes or of any class deriving from
    them: a mixin overrides what the class it is mixed into inherits."""
    found, stack, seen = set(), list(classes), set()
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        found.update(base for base in cls.__mro__ if _is_framework(base))
        stack.extend(type.__subclasses__(cls))
    return found


def _classes_and_methods(tree: ast.Module):
    """(qualified name, method names) of every class in the file, as Python names them."""
    def walk(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                qualname = f"{prefix}{child.name}"
                methods = [f.name for f in child.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))]
                yield qualname, methods
                yield from walk(child, qualname + ".")
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                yield from walk(child, f"{prefix}{child.name}.<locals>.")
            else:
                yield from walk(child, prefix)
    yield from walk(tree, "")


def _module_name(path: Path) -> str:
    """The module a file is loaded as: its dotted name under the project, else (a file
    outside it) loaded now under a name of its own."""
    try:
        return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    except ValueError:
        name = f"_seams_probe_{path.stem}"
        spec = importlib.util.spec_from_file_location(name, path)
        module = sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return name


def overrides_outside_seams(files) -> list[str]:
    """`module:Class._name` of every method defined outside app/seams.py that overrides a
    private method of a framework class the class is (or is mixed into) a subclass of."""
    found = []
    loaded = [(path, _module_name(path)) for path in files if path != SEAMS_FILE]
    for _path, module in loaded:
        importlib.import_module(module)
    classes = _all_classes()
    for path, module in loaded:
        for qualname, methods in _classes_and_methods(ast.parse(path.read_text(encoding="utf-8"))):
            private = [m for m in methods if m.startswith("_") and not m.startswith("__")]
            if not private:
                continue
            bases = _framework_bases_below(classes.get((module, qualname), []))
            found += [f"{module}:{qualname}.{name}" for name in private if any(name in vars(b) for b in bases)]
    return found


def _framework_names(tree: ast.Module) -> set[str]:
    """The names a file binds to framework modules or their objects."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in FRAMEWORKS:
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names
                         if alias.name.split(".")[0] in FRAMEWORKS)
    return names


def _root_name(node) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def patches_outside_seams(files) -> list[str]:
    """`file:line` of every assignment to an attribute of a framework object (`Role.__str__
    = ...`, `setattr(urltools, ...)`) and every read of FAB's private filter maps outside
    app/seams.py."""
    found = []
    for path in files:
        if path == SEAMS_FILE:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        framework = _framework_names(tree)
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in (
                    "setattr", "delattr") and node.args:
                targets = [ast.Attribute(value=node.args[0], attr="?")]
            patched = any(isinstance(t, ast.Attribute) and _root_name(t) in framework for t in targets)
            private_read = isinstance(node, ast.Attribute) and node.attr in seams.FILTERS_ATTRIBUTES
            if patched or private_read:
                found.append(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{node.lineno}")
    return found


def _project_files() -> list[Path]:
    return sorted(p for folder in ("app", "models", "views") for p in (ROOT / folder).rglob("*.py"))


def test_no_framework_private_method_is_overridden_outside_the_seams(app):
    assert overrides_outside_seams(_project_files()) == []


def test_no_framework_object_is_patched_outside_the_seams():
    assert patches_outside_seams(_project_files()) == []


PLANTED = '''
from flask_appbuilder import ModelView
from flask_appbuilder.security.sqla.models import Role


class Screens:
    def _get_list_widget(self, filters, **kwargs):
        return {}

    def _helper(self):
        return None


class PlantedView(Screens, ModelView):
    def _edit(self, pk):
        return None


def install():
    Role.__repr__ = lambda self: "role"
'''


def test_the_scan_finds_an_override_or_patch_added_anywhere_else(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text(PLANTED, encoding="utf-8")
    module = "_seams_probe_planted"
    try:
        assert overrides_outside_seams([planted]) == [f"{module}:Screens._get_list_widget",
                                                      f"{module}:PlantedView._edit"]
    finally:
        sys.modules.pop(module, None)
    assert patches_outside_seams([planted]) == [f"{planted}:20"]
