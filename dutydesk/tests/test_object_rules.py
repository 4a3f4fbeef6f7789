"""Issue #28 item 2: who may act on an object is decided by predicates in the app's permissions.py, which the view
(to show a control) and the service (to allow the action) both call; no inline test of a person's role elsewhere.

Read from the source (ast, no database), in every module of every app of ours (a new app is covered when it is
installed) except tests, migrations and the permissions modules themselves. A person's role test is a comparison
(`==`, `!=`, `in`, `not in`, `is`) or a `match` whose one side is a role read off an object (`profile.role`,
`request.profile.role`, `role_of(user)`) and whose other side names people's roles: `Role.LEAD`, a role's value
(`"lead"`), a set of them (`(Role.SUPERVISOR, Role.MANAGER)`) or a name bound to one (`DUTY_STAFF`, `LEADERS` ...,
found wherever they are defined) or a table of them (`ACTIONS[action]`). A duty role (`a.role == ROLE_SHADOW`,
`for role in (ROLE_PRIMARY, ROLE_BACKUP)`) is an assignment's, not a person's, and is not one.
"""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

from dutydesk.models import Role

BASE_DIR = Path(settings.BASE_DIR)
PERSON_ROLES = {role.value for role in Role}


def app_packages() -> list[str]:
    """The top-level packages of our installed apps (dutydesk, workcalendar, roster, leave ...): those whose folder
    is in this repository (a virtualenv inside the checkout holds installed apps too, not at the top)."""
    return sorted({config.name.split(".")[0] for config in apps.get_app_configs() if _ours(config.path)})


def _ours(path: str) -> bool:
    return Path(path).is_relative_to(BASE_DIR) and "site-packages" not in Path(path).parts


def checked_files() -> list[Path]:
    files = []
    for package in app_packages():
        for path in sorted((BASE_DIR / package).rglob("*.py")):
            parts = set(path.relative_to(BASE_DIR).parts)
            if {"tests", "migrations"} & parts or path.name == "permissions.py":
                continue
            files.append(path)
    return files


def _is_role_enum(node: ast.AST) -> bool:
    """`Role` or `models.Role` (the people's roles' TextChoices)."""
    return (isinstance(node, ast.Name) and node.id == "Role") or (
        isinstance(node, ast.Attribute) and node.attr == "Role"
    )


class RoleNames:
    """Names that stand for people's roles, learnt from module-level assignments anywhere in our code:
    `groups` (DUTY_STAFF = frozenset({Role.AGENT, Role.LEAD}), EVERYONE = frozenset(Role), FINALISERS = LEADERS | ...)
    and `tables` (ACTIONS = {"home.view": EVERYONE}: ACTIONS[action] is a group)."""

    def __init__(self, trees: list[ast.Module]):
        self.groups: set[str] = set()
        self.tables: set[str] = set()
        assignments: list[tuple[list[str], ast.expr]] = []
        for tree in trees:
            for node in tree.body:
                if isinstance(node, ast.Assign):
                    assignments.append(([t.id for t in node.targets if isinstance(t, ast.Name)], node.value))
                elif isinstance(node, ast.AnnAssign) and node.value is not None and isinstance(node.target, ast.Name):
                    assignments.append(([node.target.id], node.value))
        changed = True
        while changed:  # a group may be built of groups defined elsewhere
            changed = False
            for targets, value in assignments:
                if isinstance(value, ast.Dict):
                    if any(v is not None and self.names_roles(v) for v in value.values):
                        fresh = set(targets) - self.tables
                        self.tables |= fresh
                        changed |= bool(fresh)
                    continue
                if self.names_roles(value):
                    fresh = set(targets) - self.groups
                    self.groups |= fresh
                    changed |= bool(fresh)

    def names_roles(self, node: ast.AST) -> bool:
        """Does this expression stand for a person's role or a set of them?"""
        if isinstance(node, ast.Constant):
            return isinstance(node.value, str) and node.value in PERSON_ROLES
        if isinstance(node, ast.Attribute):
            return _is_role_enum(node.value) or node.attr in self.groups
        if isinstance(node, ast.Name):
            return node.id in self.groups
        if isinstance(node, ast.Subscript):
            table = node.value
            return (isinstance(table, ast.Name) and table.id in self.tables) or (
                isinstance(table, ast.Attribute) and table.attr in self.tables
            )
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            return any(self.names_roles(element) for element in node.elts)
        if isinstance(node, ast.BinOp):  # LEADERS | {Role.MANAGER}
            return self.names_roles(node.left) or self.names_roles(node.right)
        if isinstance(node, ast.Call):  # frozenset({...}), frozenset(Role)
            return any(_is_role_enum(arg) or self.names_roles(arg) for arg in node.args)
        return False


def _reads_a_role(node: ast.AST) -> bool:
    """A role read off an object: `x.role`, `role_of(...)`."""
    if isinstance(node, ast.Attribute):
        return node.attr == "role"
    if isinstance(node, ast.Call):
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        return name == "role_of"
    return False


def role_tests(tree: ast.Module, names: RoleNames) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for left, right in zip(operands, operands[1:], strict=False):
                if (_reads_a_role(left) and names.names_roles(right)) or (
                    _reads_a_role(right) and names.names_roles(left)
                ):
                    found.append((node.lineno, ast.unparse(node)))
                    break
        elif isinstance(node, ast.Match) and _reads_a_role(node.subject):
            patterns = [case.pattern for case in node.cases]
            values = [
                p.value
                for pattern in patterns
                for p in ast.walk(pattern)
                if isinstance(p, ast.MatchValue | ast.MatchSingleton) and hasattr(p, "value")
            ]
            if any(isinstance(v, ast.AST) and names.names_roles(v) for v in values):
                found.append((node.lineno, f"match {ast.unparse(node.subject)}"))
    return found


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def every_module_tree() -> list[ast.Module]:
    """Where role groups are defined: every module of our apps, permissions modules included."""
    return [
        parse(path)
        for package in app_packages()
        for path in (BASE_DIR / package).rglob("*.py")
        if not {"tests", "migrations"} & set(path.relative_to(BASE_DIR).parts)
    ]


def inline_role_tests() -> list[str]:
    names = RoleNames(every_module_tree())
    return [
        f"{path.relative_to(BASE_DIR)}:{line}: {text}"
        for path in checked_files()
        for line, text in role_tests(parse(path), names)
    ]


SAMPLE_PERMISSIONS = """
from dutydesk.models import Role
DUTY_STAFF = frozenset({Role.AGENT, Role.LEAD})
EVERYONE = frozenset(Role)
FINALISERS = DUTY_STAFF | {Role.MANAGER}
ACTIONS = {"home.view": EVERYONE}
COUNTED_ROLES = ("primary", "backup", "member")
ROLE_SHADOW = "shadow"
"""


def _found(source: str) -> list[str]:
    names = RoleNames([ast.parse(SAMPLE_PERMISSIONS)])
    return [text for _line, text in role_tests(ast.parse(source), names)]


def test_the_finder_sees_a_persons_role_test_in_every_shape():
    assert _found("if profile.role in (Role.AGENT, Role.LEAD): pass")
    assert _found("if recorded_by.role not in (Role.LEAD, Role.SUPERVISOR): pass")
    assert _found("ok = actor.role == Role.LEAD and x")
    assert _found("ok = request.profile.role != 'manager'")
    assert _found("ok = Role.MANAGER == request.user.profile.role")
    assert _found("ok = profile.role in DUTY_STAFF")
    assert _found("ok = profile.role in FINALISERS")
    assert _found("ok = role_of(request.user) in ACTIONS[item.action]")
    assert _found("ok = profile.role in {Role.SUPERVISOR} | {Role.MANAGER}")
    assert _found("match profile.role:\n    case Role.LEAD:\n        pass")


def test_the_finder_leaves_duty_roles_and_loops_alone():
    # roster/rules.py counts each duty role of a shift: a loop over duty roles, no person's role.
    assert not _found("n = {role: len(x) for role in (ROLE_PRIMARY, ROLE_BACKUP, ROLE_MEMBER)}")
    assert not _found("if a.role in COUNTED_ROLES: pass")
    assert not _found("if a.role == ROLE_SHADOW or a.role != 'member': pass")
    assert not _found("labels = {Role.LEAD: 'x'}; people = Profile.objects.filter(role=Role.LEAD)")
    assert not _found("if profile.team_id == team.id: pass")


def test_every_app_is_checked():
    packages = app_packages()
    assert {"dutydesk", "workcalendar", "roster", "leave", "logbook", "forecast", "appraisal", "people"} <= set(
        packages
    )
    checked = {path.relative_to(BASE_DIR).parts[0] for path in checked_files()}
    assert checked == set(packages)
    # The role groups the checks rely on are found where they are defined.
    names = RoleNames(every_module_tree())
    assert {"DUTY_STAFF", "LEADERS", "SUPERVISORS", "OVERSEERS", "EVERYONE"} <= names.groups
    assert "ACTIONS" in names.tables


def test_apps_decide_object_rules_in_their_permissions_module_only():
    found = inline_role_tests()
    assert found == [], "ask (or add) a predicate of the app's permissions.py instead:\n" + "\n".join(found)


# Templates too: a link or a control is shown by the filters that ask the same table (`request.user|may:"x.y"`,
# `user_role|granted:"x.y"`), never by a person's role compared with a role's value. An assignment's duty role
# (`a.role != "member"`) is not a person's.
TEMPLATE_ROLE_TEST = re.compile(
    r"\{%\s*(?:if|elif)\b[^%]*role\s*(?:==|!=)\s*[\"'](?:" + "|".join(sorted(PERSON_ROLES)) + r")[\"']"
    r"|\{%\s*(?:if|elif)\b[^%]*[\"'](?:" + "|".join(sorted(PERSON_ROLES)) + r")[\"']\s*(?:==|!=)\s*[\w.]*role\b"
)


def template_files() -> list[Path]:
    folders = [BASE_DIR / "templates", *(BASE_DIR / package for package in app_packages())]
    return sorted(path for folder in folders for path in folder.rglob("*.html"))


def test_the_template_finder_sees_a_persons_role_and_not_a_duty_role():
    assert TEMPLATE_ROLE_TEST.search('{% if request.profile.role == "agent" or x %}')
    assert TEMPLATE_ROLE_TEST.search("{% elif user_role != 'manager' %}")
    assert TEMPLATE_ROLE_TEST.search('{% if "lead" == profile.role %}')
    assert not TEMPLATE_ROLE_TEST.search('{% if a.role != "member" %}')
    assert not TEMPLATE_ROLE_TEST.search('{% if user_role|granted:"roster.edit" %}')


def test_templates_show_controls_by_the_table_not_by_a_role():
    found = [
        f"{path.relative_to(BASE_DIR)}:{number}: {line.strip()[:120]}"
        for path in template_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if TEMPLATE_ROLE_TEST.search(line)
    ]
    assert found == [], 'use request.user|may:"action" or user_role|granted:"action":\n' + "\n".join(found)
