"""The layers, checked from the source (ast, no database): the shared layer imports no domain app, the roster knows
no leave (it imports only the shared layer), the apps import each other one way, and no app's modules import each
other in a circle.

Every import counts, also one inside a function: a lazy import hides a circle from Python, not from a reader.
Tests and migrations are left out (tests may use every app's factories; migrations name apps by string).
"""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)


def _module_name(path: Path) -> str:
    parts = path.relative_to(BASE_DIR).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def our_modules() -> dict[str, Path]:
    """Every module of our apps except tests and migrations: {dotted name: file}."""
    modules = {}
    for package in {name.split(".")[0] for name in local_apps()}:
        for path in (BASE_DIR / package).rglob("*.py"):
            if {"tests", "migrations"} & set(path.relative_to(BASE_DIR).parts):
                continue
            modules[_module_name(path)] = path
    return modules


def local_apps() -> list[str]:
    """Our Django apps (INSTALLED_APPS that live in this repository), longest name first."""
    names = [config.name for config in apps.get_app_configs() if Path(config.path).is_relative_to(BASE_DIR)]
    return sorted(names, key=len, reverse=True)


def app_of(module: str) -> str:
    return next(name for name in local_apps() if module == name or module.startswith(name + "."))


def imported_names(module: str, path: Path) -> set[str]:
    """The dotted names a module imports anywhere in its body, relative imports resolved."""
    is_package = path.name == "__init__.py"
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, base] if base else package)
            # `from roster import queries` imports the module roster.queries; `from roster.models import X` a name.
            names |= {f"{base}.{alias.name}" for alias in node.names} | {base}
    return names


def import_graph() -> dict[str, set[str]]:
    """{module: modules of ours it imports}, each import resolved to the longest module name it names."""
    modules = our_modules()
    graph = {}
    for module, path in modules.items():
        targets = set()
        for name in imported_names(module, path):
            while name not in modules and "." in name:
                name = name.rsplit(".", 1)[0]
            if name in modules and name != module:
                targets.add(name)
        graph[module] = targets
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_shared_layer_imports_no_domain_app():
    domain = {name.split(".")[0] for name in local_apps()} - {"dutydesk"}
    graph = import_graph()
    offending = {
        module: sorted(target for target in targets if target.split(".")[0] in domain)
        for module, targets in graph.items()
        if module.split(".")[0] == "dutydesk"
    }
    assert domain >= {"roster", "logbook", "appraisal"}
    assert {module: targets for module, targets in offending.items() if targets} == {}


def foreign_imports(graph: dict[str, set[str]], app: str, allowed: set[str]) -> dict[str, list[str]]:
    """{module of `app`: the modules it imports from apps outside `allowed`}, modules with none left out."""
    found = {
        module: sorted(target for target in targets if target.split(".")[0] not in allowed | {app})
        for module, targets in graph.items()
        if module.split(".")[0] == app
    }
    return {module: targets for module, targets in found.items() if targets}


def test_roster_knows_no_leave():
    # Issue 28: leave and swaps are an app of their own; the roster learns approved leave through roster.absences,
    # which the leave app fills in its ready(). So roster/ imports only the shared layer and the company holiday
    # calendar below it (issue 21) ...
    assert foreign_imports(import_graph(), "roster", {"dutydesk", "workcalendar"}) == {}
    # ... and holds no leave or swap module, model or template.
    # (Migrations are history: the ones that once created these models stay.)
    words = {"leave", "leaves", "swap", "swaps", "request", "requests"}
    held = [
        str(path.relative_to(BASE_DIR))
        for path in (BASE_DIR / "roster").rglob("*")
        if "migrations" not in path.parts and words & set(path.stem.split("_"))
    ]
    assert held == []
    models = [model.__name__ for model in apps.get_app_config("roster").get_models()]
    assert [name for name in models if name.startswith(("Leave", "Swap", "Request", "Emergency"))] == []
    assert apps.get_app_config("leave").path == str(BASE_DIR / "leave")


def test_apps_import_each_other_one_way():
    # Ground dutydesk/ <- roster <- leave <- logbook <- appraisal <- people, compensation: no circle between apps.
    between_apps: dict[str, set[str]] = {}
    for module, targets in import_graph().items():
        app = module.split(".")[0]
        between_apps.setdefault(app, set()).update(t.split(".")[0] for t in targets if t.split(".")[0] != app)
    assert circles(between_apps) == []
    assert "roster" in between_apps["leave"]


def test_leave_modules_import_one_way():
    # Inside the leave app: models <- rules <- queries <- coverage <- services <- views (DEVELOPERS.md); the roster's
    # reads (roster.queries) sit below coverage, and nothing below imports what is above it.
    order = ["leave.models", "leave.rules", "leave.queries", "leave.coverage", "leave.services", "leave.views"]
    graph = import_graph()
    upward = {
        module: sorted(target for target in graph[module] if target in order[i + 1 :]) for i, module in enumerate(order)
    }
    assert {module: targets for module, targets in upward.items() if targets} == {}


def test_foreign_import_finder_sees_an_app_reaching_up():
    graph = {
        "roster.queries": {"roster.models", "dutydesk.months", "leave.queries"},
        "leave.queries": {"roster.models"},
    }
    assert foreign_imports(graph, "roster", {"dutydesk"}) == {"roster.queries": ["leave.queries"]}
    assert foreign_imports(graph, "leave", {"dutydesk", "roster"}) == {}
    assert circles({"roster": {"leave", "dutydesk"}, "leave": {"roster"}, "dutydesk": set()}) == [["leave", "roster"]]


# The house order (STYLE.md, "Where new parts go"): an app imports only apps on a lower floor. Apps on one floor
# know nothing of each other. A new app takes its floor here.
FLOORS = {
    "dutydesk": 0,
    # The audit trail (issue 22): every app's services record into it, notices' settings too, so it knows none.
    "dutydesk.audit": 1,
    # Sign-in (issue 23): records into the audit trail; notifications send personal messages through its clients.
    "dutydesk.sso": 2,
    "dutydesk.notifications": 3,
    # The company holiday calendar (issue 21): just above the ground, so that the roster and compensation read it.
    "workcalendar": 4,
    "roster": 5,
    "leave": 6,
    # The shift marketplace (issue 24): asks the roster's rules and queries who may take a shift, changes the roster
    # through roster.services.revise_published, reuses leave's shift labels and tells people through the outbox; it
    # stands beside leave, not in roster/ (issue 28), and nothing below it may know it.
    "market": 7,
    "logbook": 7,
    # Demand from history (issue 26): reads logbook.queries, changes headcounts through roster.team_services.
    "forecast": 8,
    "appraisal": 8,
    "people": 9,
    "compensation": 9,
    # The public API (issue 25): reads every app through its queries and writes through its services; nothing
    # imports it (webhook events reach it through dutydesk.events, which the apps below emit into).
    "api": 10,
}


def test_every_app_has_its_floor():
    assert sorted({app_of(module) for module in our_modules()} - set(FLOORS)) == []


def test_apps_import_only_lower_floors():
    graph = import_graph()
    upward = sorted(
        (module, target)
        for module, targets in graph.items()
        for target in targets
        if app_of(module) != app_of(target) and FLOORS[app_of(target)] >= FLOORS[app_of(module)]
    )
    assert upward == []


def test_no_import_circle_between_modules_of_one_app():
    graph = import_graph()
    within_app = {module: {t for t in targets if app_of(t) == app_of(module)} for module, targets in graph.items()}
    assert circles(within_app) == []


def test_circle_finder_sees_a_lazy_import_and_a_longer_ring(tmp_path):
    # The checks above pass only if the finder can fail: a ring of three, one edge a lazy import in a function.
    ring = {"a.services": {"a.sending"}, "a.sending": {"a.tasks"}, "a.tasks": {"a.services"}, "a.rules": set()}
    assert circles(ring) == [["a.sending", "a.services", "a.tasks"]]
    source = tmp_path / "services.py"
    source.write_text(
        "from a import rules\n\ndef queue():\n    from a.tasks import task_send\n    from . import sending\n"
    )
    assert imported_names("a.services", source) >= {"a.rules", "a.tasks.task_send", "a.sending"}


def test_no_module_of_an_app_is_named_like_a_top_level_package():
    # `make makemessages` runs manage.py inside each app's folder, and Celery's Django fix-up puts the working folder
    # first on sys.path: compensation/leave.py was then imported as the leave app (AppRegistryNotReady).
    top_level = {name.split(".")[0] for name in local_apps()}
    shadows = sorted(
        module
        for module, path in our_modules().items()
        if path.parent.name != BASE_DIR.name and path.stem in top_level and path.stem != module.split(".")[0]
    )
    assert shadows == []


def test_only_the_calendar_asks_the_holidays_package():
    # R-CAL-1: one source of "is this a holiday". The package is read by workcalendar.package alone (its migration
    # seeds from it too); every other module asks workcalendar.
    askers = sorted(
        module
        for module, path in our_modules().items()
        if {"holidays"} & {name.split(".")[0] for name in imported_names(module, path)}
    )
    assert askers == ["workcalendar.package"]


# Test data (issue 28 item 3): one package, `testdata/` at the top, above every floor. It may import every app (it
# publishes through roster.services, approves through leave.services ...), but no app's tests' modules, so that every
# app's tests and the benchmarks can import it without a circle; and no app's own code imports it: test data never
# becomes a path of the product.
TEST_DATA = "testdata"


def _testdata_modules() -> dict[str, Path]:
    return {_module_name(path): path for path in (BASE_DIR / TEST_DATA).rglob("*.py")}


def test_test_data_sits_above_every_app():
    packages = {name.split(".")[0] for name in local_apps()}
    assert TEST_DATA not in packages and TEST_DATA not in FLOORS  # not an app, no floor: above them all
    below = {
        module: sorted(name for name in imported_names(module, path) if ".tests" in name or name.endswith(".tests"))
        for module, path in _testdata_modules().items()
    }
    assert {module: names for module, names in below.items() if names} == {}
    reaching = sorted(
        module
        for module, path in our_modules().items()
        if TEST_DATA in {name.split(".")[0] for name in imported_names(module, path)}
    )
    assert reaching == []


def test_test_data_is_imported_by_the_apps_tests_and_the_benchmarks():
    # It is the one way: the shared fixtures (conftest.py) and the benchmarks build with it too.
    users = {
        path.relative_to(BASE_DIR).parts[0]
        for path in [
            *BASE_DIR.glob("*/tests/*.py"),
            *BASE_DIR.glob("*/*/tests/*.py"),
            *BASE_DIR.glob("benchmarks/*.py"),
        ]
        if TEST_DATA in {name.split(".")[0] for name in imported_names(_module_name(path), path)}
    }
    assert {"roster", "leave", "logbook", "appraisal", "people", "compensation", "benchmarks"} <= users
    assert TEST_DATA in {name.split(".")[0] for name in imported_names("conftest", BASE_DIR / "conftest.py")}
