"""People rules as pure functions on plain values (no ORM): reading an HR file row by row, the new hire's path to
qualification (R-ROSTER-6), training reminders and rewards (R-TRAIN-1, R-APP-5), support numbers (R-TRAIN-2).

Every import goes through `check_file`: it decides, for each row, whether it is new, changed, unchanged or bad
(with every reason), before anything is written. Messages are translated at the boundary (`gettext_lazy` here,
rendered by the view or the command).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from dutydesk.months import next_month

# --- the file's columns --------------------------------------------------------------------------------------

# field -> the headers HR exports use for it, Chinese and English (compared without case, spaces, _ or -).
HEADERS: dict[str, tuple[str, ...]] = {
    "employee_number": (
        "工号",
        "员工编号",
        "员工工号",
        "编号",
        "employee number",
        "employee no",
        "employee id",
        "staff number",
        "staff no",
    ),
    "name": ("姓名", "名字", "员工姓名", "name", "full name"),
    "team": ("团队", "小组", "班组", "所属团队", "部门小组", "team", "group"),
    "role": ("角色", "岗位", "职务", "role", "position"),
    "skills": ("技能", "技能标签", "skills", "skill"),
    "hire_date": ("入职日期", "入职时间", "hire date", "hired on", "start date"),
    "qualification": ("上岗资格", "资格", "资格状态", "qualification"),
    "phone": ("手机", "手机号", "手机号码", "电话", "联系电话", "phone", "mobile", "phone number"),
    "email": ("邮箱", "电子邮箱", "电子邮件", "email", "e-mail", "mail"),
    "wecom_id": ("企业微信", "企业微信账号", "企业微信id", "wecom", "wecom id", "wecom user id"),
    "dingtalk_id": ("钉钉", "钉钉账号", "钉钉id", "dingtalk", "dingtalk id", "dingtalk user id"),
    "feishu_id": ("飞书", "飞书账号", "飞书id", "feishu", "lark", "feishu id", "feishu user id"),
    "left_on": ("离职日期", "离职时间", "left on", "leaving date", "end date"),
}
# The order of an export: the same columns an import reads.
COLUMNS = tuple(HEADERS)
REQUIRED = ("employee_number", "name")
TEXT_LIMITS = {"employee_number": 32, "name": 40, "wecom_id": 64, "dingtalk_id": 64, "feishu_id": 64}

ROLE_WORDS = {
    "agent": ("客服", "值班人员", "坐席", "客服专员", "agent"),
    "lead": ("值班组长", "组长", "班长", "lead", "team lead"),
}
NEW_HIRE_WORDS = ("新人", "新员工", "跟岗", "见习", "new hire", "new", "trainee")
QUALIFIED_WORDS = ("已上岗", "已独立上岗", "独立上岗", "合格", "正式", "已考核", "qualified")

_SKILL_SPLIT = re.compile(r"[、,，;；/|\s]+")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)


def _key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", text).casefold()


_HEADER_INDEX = {_key(alias): name for name, aliases in HEADERS.items() for alias in aliases}


def map_headers(cells: list[str]) -> tuple[dict[str, int], list[str]]:
    """({field: column index}, problems) for a header row. A column named twice or a required one missing is a
    problem; columns we do not know are left alone (HR files carry more than we need)."""
    columns: dict[str, int] = {}
    problems: list[str] = []
    for index, cell in enumerate(cells):
        name = _HEADER_INDEX.get(_key(cell))
        if name is None:
            continue
        if name in columns:
            problems.append(_("The column %(header)s appears twice.") % {"header": cell})
        columns[name] = index
    for name in REQUIRED:
        if name not in columns:
            problems.append(_("The file has no column %(header)s.") % {"header": HEADERS[name][0]})
    return columns, problems


# --- one row ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A person as a file row or the database says: plain values, compared field by field."""

    employee_number: str
    name: str
    team: str  # team slug
    role: str
    skills: frozenset[str] = frozenset()  # skill codes
    hire_date: date | None = None
    phone: str = ""
    email: str = ""
    wecom_id: str = ""
    dingtalk_id: str = ""
    feishu_id: str = ""
    left_on: date | None = None
    # R-ROSTER-6: True works alone, False is a new hire, None the file does not say (no column, or an empty cell):
    # such a new person is a new hire unless the importer marks them qualified on the preview (`qualified_on_import`).
    qualified: bool | None = None


# What an import compares and may change; qualification is read from the file for new people only: after that
# the qualification check decides (R-ROSTER-6), so importing the same HR file again never undoes a pass.
COMPARED = (
    "name",
    "team",
    "role",
    "skills",
    "hire_date",
    "phone",
    "email",
    "wecom_id",
    "dingtalk_id",
    "feishu_id",
    "left_on",
)


@dataclass(frozen=True)
class Lookups:
    teams: dict[str, str]  # name or slug (as _key) -> slug, of the teams the importer may change
    skills: dict[str, str]  # display name or code (as _key) -> code
    default_team: str | None  # slug for rows without a team
    existing: dict[str, Person]  # employee number -> the person now (in the importer's teams)
    elsewhere: frozenset[str] = frozenset()  # employee numbers of people in teams the importer may not change
    taken_usernames: frozenset[str] = frozenset()  # login names used by accounts without that employee number
    busy: frozenset[str] = frozenset()  # employee numbers of people holding shifts from today in their team's rosters


@dataclass
class Row:
    line: int
    person: Person | None = None
    errors: list[str] = field(default_factory=list)
    status: str = ""  # new / changed / unchanged / bad
    changes: list[str] = field(default_factory=list)  # fields that change


NEW, CHANGED, UNCHANGED, BAD = "new", "changed", "unchanged", "bad"


@dataclass
class Preview:
    rows: list[Row]
    problems: list[str]  # about the whole file (headers)

    @property
    def bad(self) -> list[Row]:
        return [r for r in self.rows if r.status == BAD]

    @property
    def is_clean(self) -> bool:
        return not self.problems and not self.bad and bool(self.rows)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def has_changes(self) -> bool:
        return any(r.status in (NEW, CHANGED) for r in self.rows)


def check_file(table: list[tuple[int, list[str]]], lookups: Lookups) -> Preview:
    """Every row of an HR file (header first) checked against the teams, skills and people there are now."""
    if not table:
        return Preview([], [_("The file is empty.")])
    columns, problems = map_headers(table[0][1])
    if problems:
        return Preview([], problems)
    rows = [_read_row(line, cells, columns, lookups) for line, cells in table[1:]]
    if not rows:
        return Preview([], [_("The file has a header but no people.")])
    first_line: dict[str, int] = {}
    for row in rows:
        if row.person is None:
            continue
        number = row.person.employee_number
        if number in first_line:
            row.errors.append(
                _("Employee number %(number)s is also in row %(line)d.")
                % {"number": number, "line": first_line[number]}
            )
        else:
            first_line[number] = row.line
    for row in rows:
        _classify(row, lookups)
    return Preview(rows, [])


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _read_row(line: int, cells: list[str], columns: dict[str, int], lookups: Lookups) -> Row:
    row = Row(line=line)
    value = {name: _cell(cells, columns, name) for name in COLUMNS}
    errors = row.errors
    number = value["employee_number"]
    if not number:
        errors.append(_("The employee number is missing."))
    elif not re.fullmatch(r"[A-Za-z0-9_.\-]+", number):
        errors.append(
            _("Employee number %(number)s may only have letters, digits, dots, dashes and underscores.")
            % {"number": number}
        )
    if not value["name"]:
        errors.append(_("The name is missing."))
    for name, limit in TEXT_LIMITS.items():
        if len(value[name]) > limit:
            errors.append(
                _("%(value)s is longer than %(count)d characters.") % {"value": value[name][:20] + "…", "count": limit}
            )
    team = lookups.default_team
    if value["team"]:
        team = lookups.teams.get(_key(value["team"]))
        if team is None:
            errors.append(_("Unknown team %(team)s.") % {"team": value["team"]})
    elif team is None:
        errors.append(_("The team is missing."))
    role = parse_role(value["role"])
    if role is None:
        errors.append(_("Unknown role %(role)s: write 客服 or 值班组长.") % {"role": value["role"]})
    skills = set()
    for word in split_skills(value["skills"]):
        code = lookups.skills.get(_key(word))
        if code is None:
            errors.append(_("Unknown skill %(skill)s.") % {"skill": word})
        else:
            skills.add(code)
    qualified = parse_qualification(value["qualification"])
    if qualified is None and value["qualification"]:
        errors.append(_("Unknown qualification %(value)s: write 新人 or 已上岗.") % {"value": value["qualification"]})
    dates = {}
    for name in ("hire_date", "left_on"):
        dates[name] = parse_date(value[name]) if value[name] else None
        if value[name] and dates[name] is None:
            errors.append(_("%(value)s is not a date (write 2026-03-01).") % {"value": value[name]})
    phone = normalise_phone(value["phone"]) if value["phone"] else ""
    if phone is None:
        errors.append(_("%(value)s is not a phone number.") % {"value": value["phone"]})
    email = value["email"].lower()
    if email and not is_email(email):
        errors.append(_("%(value)s is not an e-mail address.") % {"value": value["email"]})
    if dates["hire_date"] and dates["left_on"] and dates["left_on"] < dates["hire_date"]:
        errors.append(_("The leaving date is before the hire date."))
    if errors:
        return row
    row.person = Person(
        employee_number=number,
        name=value["name"],
        team=team,
        role=role,
        skills=frozenset(skills),
        hire_date=dates["hire_date"],
        phone=phone,
        email=email,
        wecom_id=value["wecom_id"],
        dingtalk_id=value["dingtalk_id"],
        feishu_id=value["feishu_id"],
        left_on=dates["left_on"],
        qualified=qualified,
    )
    return row


def _classify(row: Row, lookups: Lookups) -> None:
    person = row.person
    if person is not None and not row.errors:
        number = person.employee_number
        if number in lookups.elsewhere:
            row.errors.append(
                _("Employee number %(number)s belongs to a person of a team you do not manage.") % {"number": number}
            )
        elif number not in lookups.existing and number.lower() in lookups.taken_usernames:
            row.errors.append(_("The login name %(number)s is already used by another account.") % {"number": number})
    if row.errors:
        row.status = BAD
        return
    now = lookups.existing.get(person.employee_number)
    if now is None:
        row.status = NEW
        return
    if now.role not in ROLE_WORDS:
        row.errors.append(
            _("Employee number %(number)s is a supervisor's or manager's account; it is not changed by an import.")
            % {"number": person.employee_number}
        )
        row.status = BAD
        return
    # A leaving date is set or moved by a file, never cleared by an empty cell (HR files often drop the column).
    wanted = person if person.left_on else _with(person, left_on=now.left_on)
    row.changes = [name for name in COMPARED if getattr(wanted, name) != getattr(now, name)]
    row.person = wanted
    if "team" in row.changes and person.employee_number in lookups.busy:
        row.errors.append(
            _(
                "%(name)s holds shifts from today on in the current team's roster; revise it before "
                "moving them to another team."
            )
            % {"name": now.name}
        )
        row.status = BAD
        return
    row.status = CHANGED if row.changes else UNCHANGED


def _with(person: Person, **values) -> Person:
    return replace(person, **values)


def employee_numbers(table: list[tuple[int, list[str]]]) -> set[str]:
    """The employee numbers a file names (to read those people before checking it), or none if its header is bad."""
    if not table:
        return set()
    columns, _problems = map_headers(table[0][1])
    if "employee_number" not in columns:
        return set()
    return {number for _line, cells in table[1:] if (number := _cell(cells, columns, "employee_number"))}


def parse_role(text: str) -> str | None:
    if not text:
        return "agent"
    key = _key(text)
    return next((role for role, words in ROLE_WORDS.items() if key in {_key(w) for w in words}), None)


def parse_qualification(text: str) -> bool | None:
    """True qualified, False new hire, None not said (an empty cell) or unknown (the caller tells them apart).
    An empty cell no longer means qualified: someone hired last month would be rostered alone (R-ROSTER-6)."""
    key = _key(text)
    if not key:
        return None
    if key in {_key(w) for w in QUALIFIED_WORDS}:
        return True
    if key in {_key(w) for w in NEW_HIRE_WORDS}:
        return False
    return None


def qualified_on_import(person: Person, *, marked: bool) -> bool:
    """R-ROSTER-6: a new person works alone only if the file says so, or the importer marked them on the preview
    ("these people already work alone"); otherwise they start as a new hire, shadowing first."""
    return person.qualified if person.qualified is not None else marked


def undecided(preview: Preview) -> list[Row]:
    """The new people whose qualification the file does not give: the importer decides on the preview."""
    return [r for r in preview.rows if r.status == NEW and r.person.qualified is None]


def marking_refusal(preview: Preview, marked: set[str]) -> str | None:
    """Marked people must be new people the file says nothing about (the preview offered only those)."""
    offered = {r.person.employee_number for r in undecided(preview)}
    stray = sorted(marked - offered)
    if stray:
        return _(
            "%(numbers)s cannot be marked as working alone: the file gives their qualification or they are not "
            "new. Check the file again."
        ) % {"numbers": ", ".join(stray)}
    return None


def split_skills(text: str) -> list[str]:
    return [word for word in _SKILL_SPLIT.split(text.strip()) if word]


def parse_date(text: str) -> date | None:
    text = text.strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None


_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_SERVICE = re.compile(r"^[48]00-?\d{3}-?\d{4}$")  # 400 / 800 hotlines


def normalise_phone(text: str) -> str | None:
    """A mainland mobile (13812345678), landline (021-12345678, extension after a dash) or 400/800 number as
    written without spaces and without +86; None if it is none of these."""
    compact = re.sub(r"[\s()（）]+", "", text)
    compact = re.sub(r"^(\+86|0086)-?", "", compact)
    digits_only = compact.replace("-", "")
    if _MOBILE.match(digits_only):
        return digits_only
    if _LANDLINE.match(compact) or _SERVICE.match(compact):
        return compact
    return None


def is_email(text: str) -> bool:
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


# --- new hires (R-ROSTER-6) ------------------------------------------------------------------------------------


def check_is_due(*, shadow_shifts_done: int, required: int) -> bool:
    """R-ROSTER-6: once the team's number of shadow shifts is done, the lead is asked for the check."""
    return shadow_shifts_done >= required


def pass_refusal(*, shadow_shifts_done: int, required: int) -> str | None:
    # R-ROSTER-6: a new hire shadows the team's number of shifts before the check can be passed.
    if shadow_shifts_done < required:
        return _("%(done)d of %(required)d shadow shifts are done; the check can be passed after all of them.") % {
            "done": shadow_shifts_done,
            "required": required,
        }
    return None


def qualified_from(today: date, rostered_months: set[date]) -> date:
    """The first roster month a pass counts in: the next month that has no roster yet (neither a draft nor a
    published version), so that no roster already made changes under the supervisor's feet."""
    month = next_month(today.replace(day=1))
    while month in rostered_months:
        month = next_month(month)
    return month


def draft_month_before(qualified: date, draft_months: list[date], today: date) -> date | None:
    """The month of the current draft a supervisor may let the pass count in (this month or later, before the
    month the pass counts from), or None."""
    this_month = today.replace(day=1)
    earlier = sorted(m for m in draft_months if this_month <= m < qualified)
    return earlier[0] if earlier else None


def shadowing_restarts(check_date: date) -> date:
    """After a failed check, shadow shifts count again from the next day (R-ROSTER-6: more shadowing)."""
    return check_date + timedelta(days=1)


# --- training (R-TRAIN-1) and the reward of R-APP-5 ---------------------------------------------------------------

REMINDER_AHEAD = timedelta(hours=24)


def reminder_due(*, starts_at: datetime, now: datetime, reminded: bool, cancelled: bool) -> bool:
    """The reminder goes once, from 24 hours before the session until it starts."""
    return not reminded and not cancelled and starts_at - REMINDER_AHEAD <= now < starts_at


def attendance_open(*, starts_at: datetime, now: datetime) -> bool:
    """Attendance is recorded from the start of the session on."""
    return now >= starts_at


def reward_refusal(*, excellent_streak: int, reward_after: int) -> str | None:
    # R-APP-5: [X] consecutive excellent months (the team's setting) earn the extra reward.
    if excellent_streak < reward_after:
        return _("%(done)d excellent months in a row; the reward needs %(needed)d.") % {
            "done": excellent_streak,
            "needed": reward_after,
        }
    return None


def attendance_rate(counts: dict[str, int]) -> int | None:
    """Present out of those expected (present + absent), in percent; excused people are not expected."""
    expected = counts.get("present", 0) + counts.get("absent", 0)
    return round(100 * counts.get("present", 0) / expected) if expected else None
