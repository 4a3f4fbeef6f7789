"""Issue #28 item 3: test data is built one way, by the `testdata` package. A roster is published only through it
(`testdata.publish`, `testdata.publish_draft`: roster.services.put_in_force numbers, stamps and records the version)
or through the roster's real services; no test module or benchmark again writes its own publishing builder.

Read from the source (ast, no database), in every test module, conftest.py and benchmark. Found:
- a function named like a publishing builder (`publish`, `_publish`, `make_published...`, `publish_version...`);
- a call of the roster's private publication step (`services._publish`, `_put_in_force`);
- a version made by hand as published (`RosterVersion.objects.create(..., published_at=..)`, `number=` too, or
  `roster.versions.create(...)` so), or a roster's version in force set by hand (`roster.published_version = ...`,
  `.update(published_version=...)`).
A draft made by hand (no number, not published) is a draft: the grid and the generator make those too.

Leave and swaps are filed and decided through leave.services (testdata.file_leave, approved_leave, rejected_leave,
proposed_swap, recorded_swap). Found: a leave or swap request written by hand in a decided state
(`LeaveRequest.objects.create(..., state=..)` other than a waiting state, or `decided_at=`; `SwapRequest(...)` so;
`LeaveRequest.objects.filter(...).update(state=...)`). The one documented exception is testdata.recorded_history;
a migration test's historical model (`LeaveRequest = old.get_model(...)`) is the past schema, which no service
knows, and is left alone.

And the shared builders are written once: a test module, conftest or benchmark that defines a function named like
one testdata exports (`def shift_type`, `def duty_shift`, `def on_duty`, `def weekends` ...) writes it again.
"""

import ast
import inspect
import re
from pathlib import Path

from django.conf import settings

import testdata

BASE_DIR = Path(settings.BASE_DIR)
BUILDER_NAME = re.compile(r"^_*(publish|make_published\w*|publish_version\w*|published_version)$")
PRIVATE_STEPS = {"_publish", "_put_in_force"}
PUBLISHED_FIELDS = {"published_at", "number", "published_by"}
REQUEST_MODELS = {"LeaveRequest", "SwapRequest"}
WAITING_STATES = {"awaiting_lead", "awaiting_supervisor", "awaiting_colleague"}  # LeaveState / SwapState
SHARED_BUILDERS = frozenset(name for name in testdata.__all__ if inspect.isfunction(getattr(testdata, name)))


def checked_files() -> list[Path]:
    """Test modules of every app (their helpers and factories too), every conftest.py, the benchmarks."""
    files = set(BASE_DIR.glob("conftest.py")) | set(BASE_DIR.glob("benchmarks/*.py"))
    for path in BASE_DIR.rglob("*.py"):
        relative = path.relative_to(BASE_DIR)
        if relative.parts[0].startswith(".") or relative.parts[0] in {"testdata", "var", "node_modules"}:
            continue
        if "tests" in relative.parts or path.name == "conftest.py":
            files.add(path)
    return sorted(files)


def _makes_versions(func: ast.expr) -> bool:
    """`RosterVersion.objects.create`, `RosterVersion.objects.bulk_create`, `<roster>.versions.create`, `RosterVersion`."""
    if isinstance(func, ast.Name):
        return func.id == "RosterVersion"
    if not (isinstance(func, ast.Attribute) and func.attr in {"create", "bulk_create", "get_or_create"}):
        return False
    manager = func.value
    if isinstance(manager, ast.Attribute) and manager.attr == "versions":
        return True
    return (
        isinstance(manager, ast.Attribute)
        and manager.attr == "objects"
        and isinstance(manager.value, ast.Name)
        and manager.value.id == "RosterVersion"
    )


def _root(expr: ast.expr) -> str:
    """The name a chain of attributes and calls starts from: `LeaveRequest` of `LeaveRequest.objects.filter(..).update`."""
    while isinstance(expr, ast.Attribute | ast.Call):
        expr = expr.value if isinstance(expr, ast.Attribute) else expr.func
    return expr.id if isinstance(expr, ast.Name) else ""


def _waiting(value: ast.expr) -> bool:
    """A state value that is a waiting one, written as a string or as `LeaveState.AWAITING_LEAD`."""
    if isinstance(value, ast.Constant):
        return value.value in WAITING_STATES
    return isinstance(value, ast.Attribute) and value.attr.lower() in WAITING_STATES


def _decided_by_hand(node: ast.Call) -> bool:
    """A leave or swap request created (or updated) by hand in a decided state."""
    func = node.func
    writes = (isinstance(func, ast.Name) and func.id in REQUEST_MODELS) or (
        isinstance(func, ast.Attribute)
        and func.attr in {"create", "bulk_create", "get_or_create", "update_or_create", "update"}
        and _root(func) in REQUEST_MODELS
    )
    if not writes:
        return False
    keywords = {k.arg: k.value for k in node.keywords if k.arg}
    return "decided_at" in keywords or ("state" in keywords and not _waiting(keywords["state"]))


def _historical_models(tree: ast.Module) -> set[str]:
    """Names bound to a migration state's model (`X = apps.get_model("app", "X")`)."""
    return {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute)
        and node.value.func.attr == "get_model"
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def own_builders(tree: ast.Module) -> list[tuple[int, str]]:
    found = []
    historical = _historical_models(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and BUILDER_NAME.match(node.name):
            found.append((node.lineno, f"def {node.name}: use testdata.publish"))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in SHARED_BUILDERS:
            found.append((node.lineno, f"def {node.name}: testdata.{node.name} is the shared one"))
        elif isinstance(node, ast.Call) and _decided_by_hand(node) and _root(node.func) not in historical:
            found.append((node.lineno, f"{ast.unparse(node.func)}(..decided..): use testdata.approved_leave & co."))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            keywords = {k.arg for k in node.keywords if k.arg}
            if name in PRIVATE_STEPS:
                found.append((node.lineno, f"{ast.unparse(func)}(...): use testdata.publish_draft"))
            elif _makes_versions(func) and keywords & PUBLISHED_FIELDS:
                found.append((node.lineno, f"{ast.unparse(func)}(..published..): use testdata.publish"))
            elif name == "update" and "published_version" in keywords:
                found.append((node.lineno, "update(published_version=...): use testdata.publish"))
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Attribute) and t.attr == "published_version" for t in targets):
                found.append((node.lineno, "x.published_version = ...: use testdata.publish"))
    return found


def _found(source: str) -> list[str]:
    return [text for _line, text in own_builders(ast.parse(source))]


def test_the_finder_sees_every_shape_of_a_publishing_builder():
    assert _found("def publish(team, holdings, *, by=None): pass")
    assert _found("def _publish(team, month, holdings): pass")
    assert _found("def make_published_roster(team): pass")
    assert _found("services._publish(roster, draft, actor=a, kind='publication', reason='')")
    assert _found("v = RosterVersion.objects.create(roster=r, number=1, created_by=u, published_at=now)")
    assert _found("v = roster.versions.create(created_by=u, number=1)")
    assert _found("roster.published_version = v")
    assert _found("Roster.objects.filter(pk=1).update(published_version=v)")


def test_the_finder_leaves_drafts_and_the_one_way_alone():
    assert not _found("draft = RosterVersion.objects.create(roster=roster, created_by=actor)")
    assert not _found("publish(team, [(agent, shift)], by=supervisor)")
    assert not _found("testdata.publish_draft(roster, by=agent)")
    assert not _found("services.publish_roster(roster, actor=s, expected_revision=None)")
    assert not _found("def publish_plan(team, month, plan, actor): publish(team, [], month=month)")


def test_the_finder_sees_a_request_decided_by_hand():
    assert _found("LeaveRequest.objects.create(team=t, profile=p, kind='annual', reason='x', state='approved')")
    assert _found("LeaveRequest.objects.create(team=t, profile=p, state=state, decided_at=now)")
    assert _found("SwapRequest.objects.create(team=t, profile=p, colleague=c, state=SwapState.APPROVED)")
    assert _found("LeaveRequest(team=t, profile=p, state=LeaveState.REJECTED)")
    assert _found("LeaveRequest.objects.filter(pk=leave.pk).update(state='withdrawn')")


def test_the_finder_leaves_waiting_requests_and_the_services_alone():
    assert not _found("LeaveRequest.objects.create(team=t, profile=p, kind='sick', reason='x')")
    assert not _found("LeaveRequest.objects.create(team=t, profile=p, state=LeaveState.AWAITING_LEAD)")
    assert not _found("services.approve_leave_as_supervisor(leave, actor=s, substitutes={})")
    assert not _found("approved_leave(agent, [shift], lead=lead, supervisor=supervisor)")
    assert not _found("Roster.objects.filter(pk=1).update(state='approved')")
    assert not _found(
        "LeaveRequest = old.get_model('roster', 'LeaveRequest')\nLeaveRequest.objects.create(state='approved')"
    )


def test_the_finder_sees_a_shared_builder_written_again():
    assert SHARED_BUILDERS >= {"shift_type", "duty_shift", "on_duty", "weekends", "profile_of", "leave_setup"}
    assert _found("def shift_type(team, key='day'):\n    return ShiftType.objects.get_or_create(team=team)[0]")
    assert _found("def fixture():\n    def duty_shift(team, day): pass")
    assert _found("async def on_duty(team, people, days): pass")
    assert not _found("def shift(team, day, key): pass")
    assert not _found("from testdata import duty_shift, shift_type")


def test_checked_files_are_the_tests_and_benchmarks():
    names = {str(path.relative_to(BASE_DIR)) for path in checked_files()}
    assert {"conftest.py", "benchmarks/bench_leave.py", "market/tests/factories.py"} <= names
    assert "dutydesk/notifications/tests/factories.py" in names
    assert not any(name.startswith("testdata/") for name in names)


def test_no_test_module_or_benchmark_publishes_a_roster_its_own_way():
    found = [
        f"{path.relative_to(BASE_DIR)}:{line}: {text}"
        for path in checked_files()
        for line, text in own_builders(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    ]
    assert found == [], "build test data with the testdata package:\n" + "\n".join(found)
