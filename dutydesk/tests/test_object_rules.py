"""Issue #28 item 2: who may act on an object is decided by predicates in the app's permissions.py, which the view
(to show a control) and the service (to allow the action) both call; no inline `role in (...)` elsewhere.

Apps are moved one at a time: DONE lists those that hold no such check outside permissions.py (and their tests).
The four apps named by issue #28 and logbook are done. roster (not named there) still decides its home section and
the generation page by inline role checks (roster/home.py, roster/views/pages.py)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DONE = ["logbook", "appraisal", "compensation", "people", "leave"]
INLINE_ROLE_CHECK = re.compile(r"\brole\s+(?:not\s+)?in\s*\(|\brole\s*[!=]=\s*Role\.")


def inline_role_checks(app: str) -> list[str]:
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts or path.name == "permissions.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE_ROLE_CHECK.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_the_pattern_finds_what_it_is_for():
    assert INLINE_ROLE_CHECK.search("if profile.role in (Role.AGENT, Role.LEAD):")
    assert INLINE_ROLE_CHECK.search("if recorded_by.role not in (Role.LEAD, Role.SUPERVISOR):")
    assert INLINE_ROLE_CHECK.search("if actor.role == Role.LEAD and x:")
    assert not INLINE_ROLE_CHECK.search("if profile.role in DUTY_STAFF:")


def test_done_apps_decide_object_rules_in_their_permissions_module_only():
    found = [line for app in DONE for line in inline_role_checks(app)]
    assert found == [], "move these into the app's permissions.py:\n" + "\n".join(found)
