"""The anatomy of DESIGN §2, enforced: every app has the same shape, layers point down, no import circles.

A new contributor copies the shape they find, so the shape is checked here rather than only described
(docs/architecture.md). Each check is a function over a source tree that returns the violations it
found; the tests run them on ``carebridge/`` and, to show that they can fail, on a small tree built in
a temporary folder with a module in the wrong place.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]  # the carebridge package

# Apps from the ground up: an app may import only apps of a lower rank (DESIGN §2). ``lib`` is below
# everything and imports no app; the project modules (settings, celery, env, urls) are not apps.
LAYERS: dict[str, int] = {
    "lib": 0,
    "core": 1,
    "desk": 2,  # only the migration history of the app that became complaints and frontdesk
    "patients": 3,
    "knowledge": 4,
    "complaints": 5,
    "frontdesk": 6,
    "surveys": 7,
    "followup": 8,
    "insights": 9,
    "checkup": 10,
    "critical": 11,
    "interop": 12,
    "performance": 13,
    "reports": 14,
}
PROJECT_MODULES = frozenset({"settings", "celery", "env", "urls", "wsgi", "asgi"})

APP_FILES = frozenset(
    {
        "__init__.py",
        "apps.py",
        "admin.py",
        "choices.py",
        "filters.py",
        "roles.py",
        "tasks.py",
        "urls.py",
        "exports.py",
        "hooks.py",
    }
)
APP_PACKAGES = frozenset(
    {
        "models",
        "services",
        "selectors",
        "forms",
        "views",
        "api",
        "domain",
        "demo",
        "tests",
        "migrations",
        "management",
        "templates",
        "templatetags",
        "static",
        "locale",
        "data",  # files the app ships (region codes, lexicons), no Python
    }
)
# core is the platform's framework layer: besides the anatomy it holds the infrastructure every app uses.
CORE_FILES = frozenset(
    {
        "auth_backends.py",
        "broker.py",
        "context_processors.py",
        "db.py",
        "deadlines.py",
        "excel.py",
        "http.py",
        "logging.py",
        "masking.py",
        "messaging.py",
        "middleware.py",
        "navigation.py",
        "pagination.py",
        "panels.py",
        "prepared.py",
        "scope.py",
        "timeline.py",
        "types.py",
        "validators.py",
    }
)
# An app kept only so that existing databases migrate (its models moved to other apps).
MIGRATION_ONLY_ENTRIES = frozenset({"__init__.py", "apps.py", "migrations"})
API_ENTRIES = frozenset({"__init__.py", "urls.py", "serializers", "views"})
# The REST framework's project-wide pieces (settings.REST_FRAMEWORK names them) live in core's api.
CORE_API_FILES = frozenset(
    {
        "authentication.py",
        "exceptions.py",
        "filters.py",
        "pagination.py",
        "parsers.py",
        "permissions.py",
        "renderers.py",
        "schema.py",
    }
)
TEST_FILES = frozenset({"__init__.py", "conftest.py", "factories.py"})
TEST_PACKAGES = frozenset(
    {"services", "selectors", "views", "api", "domain", "demo", "tasks", "support", "stats", "analyze"}
)
MAX_LINES = 650  # "~600 lines": past it a module becomes a package by sub-domain


def _entries(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name != "__pycache__" and not p.name.startswith(".")}


def _is_migration_only(app: Path) -> bool:
    return _entries(app) <= MIGRATION_ONLY_ENTRIES and (app / "migrations").is_dir()


def apps_in(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "apps.py").exists())


def misplaced(root: Path) -> list[str]:
    """Entries of an app, its ``api/`` or its ``tests/`` that the anatomy has no place for."""
    problems: list[str] = []
    for app in apps_in(root):
        if _is_migration_only(app):
            continue
        allowed = APP_FILES | APP_PACKAGES | (CORE_FILES if app.name == "core" else frozenset())
        problems += [f"{app.name}/{name}" for name in sorted(_entries(app) - allowed)]
        for name in sorted(_entries(app) & APP_PACKAGES - {"templates", "static", "locale", "migrations"}):
            if (app / name).is_file():
                problems.append(f"{app.name}/{name} (must be a package)")
        api = app / "api"
        if api.is_dir():
            allowed_api = API_ENTRIES | (CORE_API_FILES if app.name == "core" else frozenset())
            problems += [f"{app.name}/api/{name}" for name in sorted(_entries(api) - allowed_api)]
        tests = app / "tests"
        if tests.is_dir():
            for name in sorted(_entries(tests)):
                path = tests / name
                if (path.is_file() and name not in TEST_FILES) or (
                    path.is_dir() and name not in TEST_PACKAGES
                ):
                    problems.append(f"{app.name}/tests/{name}")
    return problems


def _python_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*.py")):
        if "migrations" not in path.parts and "__pycache__" not in path.parts:
            yield path


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path, package: str) -> set[tuple[str, ...]]:
    """What ``path`` imports from ``package`` anywhere (functions included), except under
    ``if TYPE_CHECKING``: one tuple of candidates per name, the most specific first (``from a.b import
    c`` is ``a.b.c`` when ``c`` is a module, else ``a.b``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            skipped.update(id(child) for child in ast.walk(node))
    found: set[tuple[str, ...]] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update((alias.name,) for alias in node.names if alias.name.startswith(package + "."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(package + "."):
            found.update((f"{node.module}.{alias.name}", node.module) for alias in node.names)
    return found


def _resolve(name: str, modules: set[str]) -> str | None:
    """The longest known module that ``name`` is or is inside of."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph(root: Path, *, include_tests: bool = False) -> dict[str, set[str]]:
    package = root.name
    files = {
        _module_name(root, path): path
        for path in _python_files(root)
        if include_tests or "tests" not in path.relative_to(root).parts
    }
    known = set(files)
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        targets = {
            candidates[0] if candidates[0] in known else _resolve(candidates[-1], known)
            for candidates in imports_of(path, package)
        }
        graph[name] = {t for t in targets if t and t != name and not _is_package_of(t, name)}
    return graph


def _is_package_of(candidate: str, module: str) -> bool:
    return module.startswith(candidate + ".")


def app_of(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else ""


def upward_imports(root: Path) -> list[str]:
    """Imports from an app to an app above it (or from lib/core to any domain app)."""
    problems = []
    for module, targets in import_graph(root).items():
        source = app_of(module)
        if source in PROJECT_MODULES or source not in LAYERS:
            continue
        for target in sorted(targets):
            destination = app_of(target)
            if destination in PROJECT_MODULES:
                if source == "lib":
                    problems.append(f"{module} → {target}")
                continue
            if destination not in LAYERS:
                problems.append(f"{module} → {target} (app {destination!r} has no layer in LAYERS)")
            elif LAYERS[destination] > LAYERS[source]:
                problems.append(f"{module} → {target}")
    return problems


def import_circles(root: Path) -> list[list[str]]:
    """Strongly connected groups of modules (Tarjan): each group of two or more is a circle."""
    graph = import_graph(root)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return circles


def code_in_package_inits(root: Path) -> list[str]:
    """Package ``__init__`` files holding more than a docstring (only ``models/__init__`` re-exports)."""
    problems = []
    for path in _python_files(root):
        # The project package's own ``__init__`` starts Celery with Django, as Celery documents.
        if path.name != "__init__.py" or path.parent.name == "models" or path.parent == root:
            continue
        body = ast.parse(path.read_text(encoding="utf-8")).body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]
        if body:
            problems.append(str(path.relative_to(root.parent)))
    return problems


def oversized(root: Path) -> list[str]:
    problems = []
    for path in _python_files(root):
        parts = path.relative_to(root).parts
        if "tests" in parts or "demo" in parts:
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            problems.append(f"{path.relative_to(root.parent)}: {lines} lines")
    return problems


# ``str.isdigit`` says yes to "¹" and "①", which ``int()`` refuses: checks go through ``lib.text.is_digits``.
# Free-text comment masking keeps it on purpose (a phone typed in full-width digits is still a phone).
LOOSE_DIGITS_ALLOWED = {"lib/text.py", "insights/domain/analysis/comments.py"}


def loose_digit_checks(root: Path) -> list[str]:
    """Calls of ``.isdigit()`` in product code outside the helper and the comment masker."""
    problems = []
    for path in _python_files(root):
        relative = path.relative_to(root)
        if "tests" in relative.parts or relative.as_posix() in LOOSE_DIGITS_ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "isdigit":
                problems.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    return problems


# A date or datetime picker renders its value in the active language's first input format unless told
# otherwise (2026/12/05 in zh-hans), which the browser drops: the pickers are ``core.forms.base``'s.
PICKER_TYPES = {"date", "datetime-local"}
PICKERS_ALLOWED = {"core/forms/base.py"}


def hand_made_pickers(root: Path) -> list[str]:
    """Widgets given ``{"type": "date"}`` or ``{"type": "datetime-local"}`` outside ``core.forms.base``."""
    problems = []
    for path in _python_files(root):
        relative = path.relative_to(root)
        if "tests" in relative.parts or relative.as_posix() in PICKERS_ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if (
                        isinstance(key, ast.Constant)
                        and key.value == "type"
                        and isinstance(value, ast.Constant)
                        and value.value in PICKER_TYPES
                    ):
                        problems.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    return problems


# --- the project --------------------------------------------------------------------------------------


def test_every_app_has_the_same_anatomy():
    assert misplaced(ROOT) == []


def test_every_installed_app_has_a_layer():
    apps = [name.split(".")[1] for name in settings.INSTALLED_APPS if name.startswith("carebridge.")]
    assert [app for app in apps if app not in LAYERS] == []


def test_layers_point_down():
    assert upward_imports(ROOT) == []


def test_there_are_no_import_circles():
    assert import_circles(ROOT) == []


def test_package_inits_hold_no_code_except_the_models_re_exports():
    assert code_in_package_inits(ROOT) == []


def test_modules_stay_small():
    assert oversized(ROOT) == []


def test_number_checks_use_the_ascii_digit_helper():
    assert loose_digit_checks(ROOT) == []


def test_date_pickers_are_the_core_widgets():
    assert hand_made_pickers(ROOT) == []


# --- the checks can fail -------------------------------------------------------------------------------


def _write(root: Path, relative: str, text: str = "") -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def tree(tmp_path):
    """A two-app project (core below surveys) in the anatomy."""
    root = tmp_path / "carebridge"
    for app in ("core", "surveys"):
        for name in ("__init__.py", "apps.py", "choices.py", "models/__init__.py", "services/__init__.py"):
            _write(root, f"{app}/{name}")
        _write(root, f"{app}/tests/__init__.py")
        _write(root, f"{app}/tests/services/__init__.py")
        _write(root, f"{app}/api/__init__.py")
        _write(root, f"{app}/api/urls.py")
    _write(root, "__init__.py")
    _write(root, "surveys/services/waves.py", "from carebridge.core.choices import X\n")
    return root


def test_a_clean_tree_passes_every_check(tree):
    assert misplaced(tree) == []
    assert upward_imports(tree) == []
    assert import_circles(tree) == []
    assert code_in_package_inits(tree) == []


def test_a_module_outside_the_anatomy_is_found(tree):
    _write(tree, "surveys/views_waves.py")
    _write(tree, "surveys/api/waves.py")
    _write(tree, "surveys/tests/test_waves.py")
    assert misplaced(tree) == [
        "surveys/views_waves.py",
        "surveys/api/waves.py",
        "surveys/tests/test_waves.py",
    ]


def test_a_lower_app_importing_a_higher_one_is_found(tree):
    _write(
        tree, "core/services/home.py", "def home():\n    from carebridge.surveys.services.waves import f\n"
    )
    assert upward_imports(tree) == ["carebridge.core.services.home → carebridge.surveys.services.waves"]


def test_an_import_circle_is_found_even_through_a_local_import(tree):
    _write(tree, "surveys/services/plans.py", "from carebridge.surveys.services.waves import y\n")
    _write(
        tree, "surveys/services/waves.py", "def f():\n    from carebridge.surveys.services.plans import z\n"
    )
    assert import_circles(tree) == [
        ["carebridge.surveys.services.plans", "carebridge.surveys.services.waves"]
    ]


def test_an_import_only_for_type_checking_is_not_a_circle(tree):
    _write(tree, "surveys/services/plans.py", "from carebridge.surveys.services.waves import y\n")
    _write(
        tree,
        "surveys/services/waves.py",
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from carebridge.surveys.services.plans import z\n",
    )
    assert import_circles(tree) == []


def test_a_re_exporting_package_init_is_found(tree):
    _write(
        tree,
        "surveys/services/__init__.py",
        '"""Waves."""\nfrom carebridge.surveys.services.waves import X\n',
    )
    assert code_in_package_inits(tree) == ["carebridge/surveys/services/__init__.py"]


def test_a_loose_digit_check_is_found(tree):
    assert loose_digit_checks(tree) == []
    _write(
        tree,
        "surveys/services/pages.py",
        "def page(value):\n    return int(value) if value.isdigit() else 1\n",
    )
    assert loose_digit_checks(tree) == ["carebridge/surveys/services/pages.py:2"]


def test_a_hand_made_date_picker_is_found(tree):
    assert hand_made_pickers(tree) == []
    _write(
        tree,
        "surveys/services/pages.py",
        'from django import forms\nWHEN = forms.DateInput(attrs={"type": "date"})\n',
    )
    assert hand_made_pickers(tree) == ["carebridge/surveys/services/pages.py:2"]
