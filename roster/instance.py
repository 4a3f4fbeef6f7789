"""Plain data for roster generation: one month's agents, duty days and shifts, and the roster made from them.

Nothing here knows about Django. The Django side builds an `Instance` (or its JSON, see docs/solver-format.md),
hands it to `roster.solver.solve`, and stores the `Assignment`s it gets back. `roster.rules` checks any roster,
generated or edited by hand, against the same data.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import Any

# A field named `date` shadows the type inside its class: annotations there say _Date.
_Date = date

ROLE_MEMBER = "member"
ROLE_PRIMARY = "primary"
ROLE_BACKUP = "backup"
ROLE_SHADOW = "shadow"
ROLES = (ROLE_MEMBER, ROLE_PRIMARY, ROLE_BACKUP, ROLE_SHADOW)
# R-ROSTER-6: a shadow is at work but does not count toward headcount.
COUNTED_ROLES = frozenset({ROLE_MEMBER, ROLE_PRIMARY, ROLE_BACKUP})

STATUSES = ("optimal", "feasible", "infeasible")

# Working-time law (R-LAW-1, -2, -4), roster.law. A team's working-time system:
SYSTEM_STANDARD = "standard"  # 标准工时: a rest day every week (R-LAW-1), extended hours capped monthly (R-LAW-2)
SYSTEM_COMPREHENSIVE = "comprehensive"  # 综合计算工时: the cap over the settlement period, no weekly rest-day rule
SYSTEM_FLEXIBLE = "flexible"  # 不定时: neither (protected people's rules still hold, R-LAW-4)
SYSTEMS = (SYSTEM_STANDARD, SYSTEM_COMPREHENSIVE, SYSTEM_FLEXIBLE)
# What a date is for the team: a regular working day (its working week, 调休上班 days added, holidays and the days
# off of a holiday break removed), a rest day, or a statutory holiday.
WORKDAY, REST_DAY, HOLIDAY = "workday", "rest_day", "holiday"
DAY_KINDS = (WORKDAY, REST_DAY, HOLIDAY)
# R-LAW-4: from the 7th month of pregnancy, nursing a baby under one year. Nothing else is stored.
PREGNANCY, NURSING = "pregnancy", "nursing"
PROTECTION_KINDS = (PREGNANCY, NURSING)

_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class InstanceError(ValueError):
    """The JSON does not describe a valid instance; the message is one line, fit for a user or a log."""


# --- the data -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class History:
    """Counts over the previous 3 months, so balance holds across months (R-ROSTER-4)."""

    duty: int = 0
    night: int = 0
    holiday: int = 0


@dataclass(frozen=True)
class Protection:
    """A protection period of R-LAW-4 (first and last day, both included): no night shift, no extended hours."""

    start: date
    end: date
    kind: str = PREGNANCY

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class OtherShift:
    """A duty shift the agent holds in another month's roster in force that the working-time law counts with this
    month: in a week that runs into this month (R-LAW-1), or in the same settlement period (R-LAW-2)."""

    date: date
    start: time
    end: time  # time(0, 0): midnight at the end of the day
    night: bool = False

    def interval(self, day: _Date | None = None) -> tuple[datetime, datetime]:
        return _interval(day or self.date, self.start, self.end)


@dataclass(frozen=True)
class Wishes:
    """What a person asked for the month in the wish window (issue 26), all soft: wished days off (预排休) and
    shift kinds preferred or avoided. `priority` grows with the wished days off refused last month, so whoever
    was refused then comes first now."""

    days_off: frozenset[date] = frozenset()
    prefer_shifts: frozenset[str] = frozenset()
    avoid_shifts: frozenset[str] = frozenset()
    priority: int = 1


@dataclass(frozen=True)
class Agent:
    id: int
    name: str
    skills: frozenset[str] = frozenset()
    qualified: bool = True
    unavailable: frozenset[date] = frozenset()
    leave: frozenset[date] = frozenset()
    preferred: frozenset[date] = frozenset()
    prefer_off: frozenset[date] = frozenset()
    history: History = History()
    # R-ROSTER-3 across months: nights in a row at the end of the previous roster.
    trailing_nights: int = 0
    # R-ROSTER-6: shadow shifts a new hire still wants; 0 for a qualified agent.
    shadow_shifts_needed: int = 0
    # R-LAW-4: protection periods touching the month.
    protections: tuple[Protection, ...] = ()
    # R-LAW-1, -2: shifts of other months' rosters in force the law counts with this month.
    other_shifts: tuple[OtherShift, ...] = ()
    # R-LAW-2: the agent's rest-day duty is compensated with comp time (调休), not paid; a team may leave such hours
    # out of the extended-hours cap (WorkingTime.count_comp_time).
    comp_time: bool = False
    wishes: Wishes = Wishes()

    def is_free(self, day: date) -> bool:
        # R-ROSTER-8: never on approved leave, nor on a date the agent declared unavailable.
        return day not in self.leave and day not in self.unavailable


@dataclass(frozen=True)
class Shift:
    key: str
    name: str
    start: time
    end: time  # time(0, 0) means midnight at the end of the day ("24:00")
    night: bool = False
    headcount: int = 1
    skills: frozenset[str] = frozenset()

    def interval(self, day: date) -> tuple[datetime, datetime]:
        """The shift's start and end on `day`; an end at or before the start is on the next day."""
        return _interval(day, self.start, self.end)


def _interval(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    begins = datetime.combine(day, start)
    ends = datetime.combine(day, end)
    if ends <= begins:
        ends += timedelta(days=1)
    return begins, ends


@dataclass(frozen=True)
class DutyDay:
    date: date
    holiday: bool = False
    promotion: bool = False
    shifts: tuple[Shift, ...] = ()

    def shift(self, key: str) -> Shift | None:
        return self._shifts_by_key.get(key)

    @cached_property
    def _shifts_by_key(self) -> dict[str, Shift]:
        # The rules ask a day for a shift by key tens of thousands of times a check; the first of a key wins.
        return {s.key: s for s in reversed(self.shifts)}


@dataclass(frozen=True)
class Settings:
    max_consecutive_nights: int = 3  # R-ROSTER-3
    max_shifts_per_day: int = 1  # R-ROSTER-8
    time_limit_s: float = 10.0
    seed: int = 0
    workers: int = 2
    # How much a wish counts in generation (the team's setting, 0-10); never against coverage or this month's
    # spreads (solver_model.weights_for orders the goals).
    wish_weight: int = 3


@dataclass(frozen=True)
class WorkingTime:
    """The team's working-time rules for the month (R-LAW-1, -2), as plain values decided where the instance is
    built (roster.queries.month_data asks the calendar once, there).

    `days`: the kind (WORKDAY, REST_DAY, HOLIDAY) of every date the rules look at: each week (Monday to Sunday)
    that touches the month, and the dates of the agents' other shifts. `cap_hours`: most rest-day and holiday duty
    hours a month (R-LAW-2; under comprehensive hours, `cap_hours` x `period_months` over the settlement period
    `period_start`..`period_end`, which contains the month). `count_comp_time` False: rest-day hours compensated
    with comp time stay out of the cap.
    """

    system: str = SYSTEM_STANDARD
    days: tuple[tuple[date, str], ...] = ()
    cap_hours: int = 36
    period_start: date | None = None  # None: the month itself
    period_end: date | None = None
    period_months: int = 1
    count_comp_time: bool = True

    @cached_property
    def kinds(self) -> dict[date, str]:
        return dict(self.days)

    def kind(self, day: date) -> str:
        """The kind of `day`; a date the instance does not name is a working day Monday to Friday, else a rest day."""
        found = self.kinds.get(day)
        if found is not None:
            return found
        return WORKDAY if day.weekday() < 5 else REST_DAY


@dataclass(frozen=True)
class Instance:
    month: str  # "YYYY-MM"
    agents: tuple[Agent, ...]
    days: tuple[DutyDay, ...]  # sorted by date: R-ROSTER-3 counts consecutive duty days in this order
    settings: Settings = Settings()
    # (skill code, display name) pairs: messages name skills as people know them ("VIP专线", not "vip").
    skill_names: tuple[tuple[str, str], ...] = ()
    # R-LAW-1, -2, -4; None: the working-time law is not checked (an instance written before it existed).
    working_time: WorkingTime | None = None

    @cached_property
    def agents_by_id(self) -> dict[int, Agent]:
        return {a.id: a for a in self.agents}

    def skill_label(self, code: str) -> str:
        """The display name of a skill code (the code itself when the instance does not name it)."""
        return dict(self.skill_names).get(code, code)

    @cached_property
    def days_by_date(self) -> dict[date, DutyDay]:
        return {d.date: d for d in self.days}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Instance:
        return _instance_from_json(data)

    def to_json(self) -> dict[str, Any]:
        data = {
            "month": self.month,
            "settings": {
                "max_consecutive_nights": self.settings.max_consecutive_nights,
                "max_shifts_per_day": self.settings.max_shifts_per_day,
                "time_limit_s": self.settings.time_limit_s,
                "seed": self.settings.seed,
                "workers": self.settings.workers,
                "wish_weight": self.settings.wish_weight,
            },
            "agents": [_agent_to_json(a) for a in self.agents],
            "days": [_day_to_json(d) for d in self.days],
        }
        if self.skill_names:
            data["skill_names"] = dict(self.skill_names)
        if self.working_time is not None:
            data["working_time"] = _working_time_to_json(self.working_time)
        return data


@dataclass(frozen=True)
class Assignment:
    agent: int
    date: date
    shift: str
    role: str = ROLE_MEMBER

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Assignment:
        _check_keys(data, "assignment", required={"agent", "date", "shift"}, optional={"role"})
        role = _str(data.get("role", ROLE_MEMBER), "assignment.role")
        return cls(
            agent=_int(data["agent"], "assignment.agent"),
            date=_date(data["date"], "assignment.date"),
            shift=_str(data["shift"], "assignment.shift"),
            role=role,
        )

    def to_json(self) -> dict[str, Any]:
        return {"agent": self.agent, "date": self.date.isoformat(), "shift": self.shift, "role": self.role}


@dataclass(frozen=True)
class Violation:
    """One broken rule. `message` is English; `code` + `params` carry what a translation needs."""

    rule: str
    code: str
    message: str
    date: date | None = None
    shift: str | None = None
    agent: int | None = None
    params: dict[str, Any] = field(default_factory=dict)  # JSON-ready values only (no dates, no sets)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Violation:
        _check_keys(
            data, "violation", required={"rule", "code", "message"}, optional={"date", "shift", "agent", "params"}
        )
        return cls(
            rule=data["rule"],
            code=data["code"],
            message=data["message"],
            date=_date(data["date"], "violation.date") if data.get("date") is not None else None,
            shift=data.get("shift"),
            agent=data.get("agent"),
            params=dict(data.get("params") or {}),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "code": self.code,
            "message": self.message,
            "date": self.date.isoformat() if self.date else None,
            "shift": self.shift,
            "agent": self.agent,
            "params": self.params,
        }


@dataclass(frozen=True)
class Result:
    status: str  # one of STATUSES; "infeasible" iff violations is non-empty; "feasible" = not proven best
    assignments: list[Assignment]
    score: dict[str, Any]
    violations: list[Violation]
    wall_time_s: float
    # "search": CP-SAT's best roster; "greedy": the greedy start, because the search found nothing better in time.
    source: str = "search"
    first_complete_s: float | None = None  # when a roster covering every shift was first known (None: never)
    # Why a spread of 1 is out of reach (roster.spread_limits.Limit as JSON), when some spread is 2 or more.
    limits: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        _check_keys(
            data,
            "result",
            required={"status", "assignments", "score", "violations", "wall_time_s"},
            optional={"source", "first_complete_s", "limits"},
        )
        return cls(
            status=data["status"],
            assignments=assignments_from_json(data["assignments"]),
            score=dict(data["score"]),
            violations=[Violation.from_json(v) for v in data["violations"]],
            wall_time_s=float(data["wall_time_s"]),
            source=data.get("source", "search"),
            first_complete_s=data.get("first_complete_s"),
            limits=list(data.get("limits") or []),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "source": self.source,
            "wall_time_s": round(self.wall_time_s, 3),
            "first_complete_s": self.first_complete_s,
            "score": self.score,
            "limits": self.limits,
            "violations": [v.to_json() for v in self.violations],
            "assignments": assignments_to_json(self.assignments),
        }


def assignments_from_json(data: list[dict[str, Any]]) -> list[Assignment]:
    if not isinstance(data, list):
        raise InstanceError("assignments: expected a list")
    return [Assignment.from_json(item) for item in data]


def assignments_to_json(assignments: list[Assignment]) -> list[dict[str, Any]]:
    return [a.to_json() for a in assignments]


# --- JSON reading: strict, so a typo in a key fails loudly instead of silently dropping a rule -------------------


def _instance_from_json(data: dict[str, Any]) -> Instance:
    _check_keys(
        data, "instance", required={"month", "agents", "days"}, optional={"settings", "skill_names", "working_time"}
    )
    month = _str(data["month"], "month")
    if not _MONTH_RE.match(month):
        raise InstanceError(f"month: expected YYYY-MM, got {month!r}")
    settings = _settings_from_json(data.get("settings") or {})
    agents = tuple(_agent_from_json(a, i) for i, a in enumerate(_list(data["agents"], "agents")))
    days = tuple(sorted((_day_from_json(d, i) for i, d in enumerate(_list(data["days"], "days"))), key=_by_date))
    _check_unique([a.id for a in agents], "agents: duplicate id")
    _check_unique([d.date for d in days], "days: duplicate date")
    for day in days:
        if day.date.strftime("%Y-%m") != month:
            raise InstanceError(f"days: {day.date.isoformat()} is not in month {month}")
    names = data.get("skill_names") or {}
    if not isinstance(names, dict):
        raise InstanceError("skill_names: expected an object")
    skill_names = tuple(
        sorted((_str(code, "skill_names"), _str(name, f"skill_names.{code}")) for code, name in names.items())
    )
    working_time = None
    if data.get("working_time") is not None:
        working_time = _working_time_from_json(data["working_time"])
    return Instance(
        month=month, agents=agents, days=days, settings=settings, skill_names=skill_names, working_time=working_time
    )


def _working_time_from_json(data: dict[str, Any]) -> WorkingTime:
    _check_keys(
        data,
        "working_time",
        optional={"system", "days", "cap_hours", "period_start", "period_end", "period_months", "count_comp_time"},
    )
    system = _str(data.get("system", SYSTEM_STANDARD), "working_time.system")
    if system not in SYSTEMS:
        raise InstanceError(f"working_time.system: one of {', '.join(SYSTEMS)}, got {system!r}")
    days = data.get("days") or {}
    if not isinstance(days, dict):
        raise InstanceError("working_time.days: expected an object of date: kind")
    kinds = []
    for key, kind in days.items():
        if kind not in DAY_KINDS:
            raise InstanceError(f"working_time.days.{key}: one of {', '.join(DAY_KINDS)}, got {kind!r}")
        kinds.append((_date(key, "working_time.days"), kind))
    start, end = data.get("period_start"), data.get("period_end")
    working_time = WorkingTime(
        system=system,
        days=tuple(sorted(kinds)),
        cap_hours=_int(data.get("cap_hours", 36), "working_time.cap_hours"),
        period_start=_date(start, "working_time.period_start") if start is not None else None,
        period_end=_date(end, "working_time.period_end") if end is not None else None,
        period_months=_int(data.get("period_months", 1), "working_time.period_months"),
        count_comp_time=_bool(data.get("count_comp_time", True), "working_time.count_comp_time"),
    )
    if working_time.cap_hours < 0 or working_time.period_months < 1:
        raise InstanceError("working_time: cap_hours must be >= 0 and period_months >= 1")
    first, last = working_time.period_start, working_time.period_end
    if (first is None) != (last is None) or (first is not None and last is not None and last < first):
        raise InstanceError("working_time: period_start and period_end come together, the end not before the start")
    return working_time


def _working_time_to_json(working_time: WorkingTime) -> dict[str, Any]:
    data: dict[str, Any] = {
        "system": working_time.system,
        "days": {day.isoformat(): kind for day, kind in working_time.days},
        "cap_hours": working_time.cap_hours,
        "period_months": working_time.period_months,
        "count_comp_time": working_time.count_comp_time,
    }
    if working_time.period_start is not None and working_time.period_end is not None:
        data["period_start"] = working_time.period_start.isoformat()
        data["period_end"] = working_time.period_end.isoformat()
    return data


def _by_date(day: DutyDay) -> date:
    return day.date


def _settings_from_json(data: dict[str, Any]) -> Settings:
    defaults = Settings()
    _check_keys(data, "settings", optional=set(Settings.__dataclass_fields__))

    def value(key: str, read: Callable[[Any, str], Any]) -> Any:
        return read(data.get(key, getattr(defaults, key)), f"settings.{key}")

    settings = Settings(
        max_consecutive_nights=value("max_consecutive_nights", _int),
        max_shifts_per_day=value("max_shifts_per_day", _int),
        time_limit_s=value("time_limit_s", _number),
        seed=value("seed", _int),
        workers=value("workers", _int),
        wish_weight=value("wish_weight", _int),
    )
    if settings.max_consecutive_nights < 0 or settings.max_shifts_per_day < 1:
        raise InstanceError("settings: max_consecutive_nights must be >= 0 and max_shifts_per_day >= 1")
    if settings.time_limit_s <= 0 or settings.workers < 1:
        raise InstanceError("settings: time_limit_s must be > 0 and workers >= 1")
    if not 0 <= settings.wish_weight <= 10:
        raise InstanceError("settings: wish_weight must be from 0 to 10")
    return settings


def _agent_from_json(data: dict[str, Any], index: int) -> Agent:
    where = f"agents[{index}]"
    _check_keys(
        data,
        where,
        required={"id", "name"},
        optional={
            "skills",
            "qualified",
            "unavailable",
            "leave",
            "preferred",
            "prefer_off",
            "history",
            "trailing_nights",
            "shadow_shifts_needed",
            "protections",
            "other_shifts",
            "comp_time",
            "wishes",
        },
    )
    history = data.get("history") or {}
    _check_keys(history, f"{where}.history", optional={"duty", "night", "holiday"})
    agent = Agent(
        id=_int(data["id"], f"{where}.id"),
        name=_str(data["name"], f"{where}.name"),
        skills=_skills(data.get("skills", []), f"{where}.skills"),
        qualified=_bool(data.get("qualified", True), f"{where}.qualified"),
        unavailable=_dates(data.get("unavailable", []), f"{where}.unavailable"),
        leave=_dates(data.get("leave", []), f"{where}.leave"),
        preferred=_dates(data.get("preferred", []), f"{where}.preferred"),
        prefer_off=_dates(data.get("prefer_off", []), f"{where}.prefer_off"),
        history=History(
            duty=_int(history.get("duty", 0), f"{where}.history.duty"),
            night=_int(history.get("night", 0), f"{where}.history.night"),
            holiday=_int(history.get("holiday", 0), f"{where}.history.holiday"),
        ),
        trailing_nights=_int(data.get("trailing_nights", 0), f"{where}.trailing_nights"),
        shadow_shifts_needed=_int(data.get("shadow_shifts_needed", 0), f"{where}.shadow_shifts_needed"),
        protections=tuple(
            _protection_from_json(p, f"{where}.protections[{i}]")
            for i, p in enumerate(_list(data.get("protections", []), f"{where}.protections"))
        ),
        other_shifts=tuple(
            _other_shift_from_json(s, f"{where}.other_shifts[{i}]")
            for i, s in enumerate(_list(data.get("other_shifts", []), f"{where}.other_shifts"))
        ),
        comp_time=_bool(data.get("comp_time", False), f"{where}.comp_time"),
        wishes=_wishes_from_json(data.get("wishes") or {}, f"{where}.wishes"),
    )
    if agent.trailing_nights < 0 or agent.shadow_shifts_needed < 0:
        raise InstanceError(f"{where}: trailing_nights and shadow_shifts_needed must be >= 0")
    return agent


def _protection_from_json(data: dict[str, Any], where: str) -> Protection:
    _check_keys(data, where, required={"start", "end", "kind"})
    protection = Protection(
        start=_date(data["start"], f"{where}.start"),
        end=_date(data["end"], f"{where}.end"),
        kind=_str(data["kind"], f"{where}.kind"),
    )
    if protection.kind not in PROTECTION_KINDS:
        raise InstanceError(f"{where}.kind: one of {', '.join(PROTECTION_KINDS)}, got {protection.kind!r}")
    if protection.end < protection.start:
        raise InstanceError(f"{where}: the end is before the start")
    return protection


def _other_shift_from_json(data: dict[str, Any], where: str) -> OtherShift:
    _check_keys(data, where, required={"date", "start", "end"}, optional={"night"})
    return OtherShift(
        date=_date(data["date"], f"{where}.date"),
        start=_time(data["start"], f"{where}.start", allow_24=False),
        end=_time(data["end"], f"{where}.end", allow_24=True),
        night=_bool(data.get("night", False), f"{where}.night"),
    )


def _wishes_from_json(data: dict[str, Any], where: str) -> Wishes:
    _check_keys(data, where, optional={"days_off", "prefer_shifts", "avoid_shifts", "priority"})
    wishes = Wishes(
        days_off=_dates(data.get("days_off", []), f"{where}.days_off"),
        prefer_shifts=_skills(data.get("prefer_shifts", []), f"{where}.prefer_shifts"),
        avoid_shifts=_skills(data.get("avoid_shifts", []), f"{where}.avoid_shifts"),
        priority=_int(data.get("priority", 1), f"{where}.priority"),
    )
    if wishes.priority < 1:
        raise InstanceError(f"{where}.priority: must be >= 1")
    return wishes


def _day_from_json(data: dict[str, Any], index: int) -> DutyDay:
    where = f"days[{index}]"
    _check_keys(data, where, required={"date", "shifts"}, optional={"holiday", "promotion"})
    shifts = tuple(_shift_from_json(s, f"{where}.shifts[{i}]") for i, s in enumerate(_list(data["shifts"], where)))
    _check_unique([s.key for s in shifts], f"{where}.shifts: duplicate key")
    return DutyDay(
        date=_date(data["date"], f"{where}.date"),
        holiday=_bool(data.get("holiday", False), f"{where}.holiday"),
        promotion=_bool(data.get("promotion", False), f"{where}.promotion"),
        shifts=shifts,
    )


def _shift_from_json(data: dict[str, Any], where: str) -> Shift:
    _check_keys(data, where, required={"key", "name", "start", "end"}, optional={"night", "headcount", "skills"})
    shift = Shift(
        key=_str(data["key"], f"{where}.key"),
        name=_str(data["name"], f"{where}.name"),
        start=_time(data["start"], f"{where}.start", allow_24=False),
        end=_time(data["end"], f"{where}.end", allow_24=True),
        night=_bool(data.get("night", False), f"{where}.night"),
        headcount=_int(data.get("headcount", 1), f"{where}.headcount"),
        skills=_skills(data.get("skills", []), f"{where}.skills"),
    )
    if shift.headcount < 0:
        raise InstanceError(f"{where}.headcount: must be >= 0")
    if shift.start == shift.end:
        raise InstanceError(f"{where}: start and end are equal")
    return shift


def _agent_to_json(agent: Agent) -> dict[str, Any]:
    data = {
        "id": agent.id,
        "name": agent.name,
        "skills": sorted(agent.skills),
        "qualified": agent.qualified,
        "unavailable": _iso_list(agent.unavailable),
        "leave": _iso_list(agent.leave),
        "preferred": _iso_list(agent.preferred),
        "prefer_off": _iso_list(agent.prefer_off),
        "history": {"duty": agent.history.duty, "night": agent.history.night, "holiday": agent.history.holiday},
        "trailing_nights": agent.trailing_nights,
        "shadow_shifts_needed": agent.shadow_shifts_needed,
        "protections": [
            {"start": p.start.isoformat(), "end": p.end.isoformat(), "kind": p.kind} for p in agent.protections
        ],
        "other_shifts": [
            {"date": s.date.isoformat(), "start": _hhmm(s.start), "end": _hhmm(s.end, end=True), "night": s.night}
            for s in agent.other_shifts
        ],
        "comp_time": agent.comp_time,
    }
    if agent.wishes != Wishes():
        data["wishes"] = {
            "days_off": _iso_list(agent.wishes.days_off),
            "prefer_shifts": sorted(agent.wishes.prefer_shifts),
            "avoid_shifts": sorted(agent.wishes.avoid_shifts),
            "priority": agent.wishes.priority,
        }
    return data


def _hhmm(value: time, *, end: bool = False) -> str:
    # Midnight as an end is written "24:00", the way the policy writes it (18:00-24:00).
    return "24:00" if end and value == time(0, 0) else value.strftime("%H:%M")


def _day_to_json(day: DutyDay) -> dict[str, Any]:
    return {
        "date": day.date.isoformat(),
        "holiday": day.holiday,
        "promotion": day.promotion,
        "shifts": [
            {
                "key": s.key,
                "name": s.name,
                "start": s.start.strftime("%H:%M"),
                # Midnight as an end is written "24:00", the way the policy writes it (18:00-24:00).
                "end": "24:00" if s.end == time(0, 0) else s.end.strftime("%H:%M"),
                "night": s.night,
                "headcount": s.headcount,
                "skills": sorted(s.skills),
            }
            for s in day.shifts
        ],
    }


def _iso_list(dates: frozenset[date]) -> list[str]:
    return [d.isoformat() for d in sorted(dates)]


def _check_keys(
    data: Any,
    where: str,
    *,
    required: frozenset[str] | set[str] = frozenset(),
    optional: frozenset[str] | set[str] = frozenset(),
) -> None:
    if not isinstance(data, dict):
        raise InstanceError(f"{where}: expected an object")
    missing = sorted(required - data.keys())
    if missing:
        raise InstanceError(f"{where}: missing key {missing[0]!r}")
    unknown = sorted(data.keys() - required - optional)
    if unknown:
        raise InstanceError(f"{where}: unknown key {unknown[0]!r}")


def _check_unique(values: list[Any], message: str) -> None:
    seen = set()
    for value in values:
        if value in seen:
            raise InstanceError(f"{message} {value}")
        seen.add(value)


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise InstanceError(f"{where}: expected a list")
    return value


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise InstanceError(f"{where}: expected a non-empty string")
    return value


def _int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InstanceError(f"{where}: expected an integer")
    return value


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InstanceError(f"{where}: expected a number")
    return float(value)


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise InstanceError(f"{where}: expected true or false")
    return value


def _date(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(_str(value, where))
    except ValueError:
        raise InstanceError(f"{where}: expected a date YYYY-MM-DD, got {value!r}") from None


def _dates(value: Any, where: str) -> frozenset[date]:
    return frozenset(_date(v, f"{where}[{i}]") for i, v in enumerate(_list(value, where)))


def _skills(value: Any, where: str) -> frozenset[str]:
    return frozenset(_str(v, f"{where}[{i}]") for i, v in enumerate(_list(value, where)))


def _time(value: Any, where: str, *, allow_24: bool) -> time:
    text = _str(value, where)
    if allow_24 and text == "24:00":
        return time(0, 0)
    if not _TIME_RE.match(text):
        raise InstanceError(f"{where}: expected HH:MM, got {text!r}")
    return time(int(text[:2]), int(text[3:]))
