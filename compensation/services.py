"""Every write of duty hours and compensation: the team's policy and exceptions, computing, correcting and
finalising a month's statement, the agent's confirmation or dispute and the lead's resolution, the comp-time
ledger (earnings written by the computation, expiry, appraisal rewards, comp-time leave).

A refused action raises CompensationError with a translated message and changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compensation import permissions as perms
from compensation import queries, rules, texts
from compensation.models import (
    CompensationPolicy,
    CompTimeAccount,
    CompTimeEntry,
    DutyStatement,
    EntryKind,
    PolicyException,
    ResponseKind,
    StatementLine,
    StatementResponse,
    StatementStatus,
)
from dutydesk import events
from dutydesk.audit import rules as refs
from dutydesk.audit.services import record, snapshot
from dutydesk.models import Profile
from dutydesk.months import month_end, month_start
from dutydesk.notifications.models import NoticeKind
from dutydesk.notifications.services import notify
from dutydesk.queries import leads_of

ZERO = rules.ZERO


class CompensationError(Exception):
    """A refused action; the message is translated and shown to the user as it is."""


def _hours(value: Decimal) -> str:
    return f"{value:.2f}"


# --- the team's policy --------------------------------------------------------------------------------------------


def problem_message(problem: rules.PolicyProblem) -> str:
    return {
        rules.PolicyProblem.RATIO_NOT_POSITIVE: _("A comp-time ratio must be more than 0."),
        rules.PolicyProblem.RATIO_TOO_LARGE: _(
            "A comp-time ratio of more than %(max)s is not plausible; check the value."
        )
        % {"max": rules.MAX_RATIO},
        rules.PolicyProblem.REST_DAY_BELOW_LAW: _(
            "Rest-day overtime pay must be at least 2.00 times the wage (Labour Law art. 44)."
        ),
        rules.PolicyProblem.HOLIDAY_BELOW_LAW: _(
            "Statutory-holiday pay must be at least 3.00 times the wage (Labour Law art. 44)."
        ),
        rules.PolicyProblem.EXPIRY_OUT_OF_RANGE: _("Comp time expires after 1 to %(max)d months, or never.")
        % {"max": rules.MAX_EXPIRY_MONTHS},
        rules.PolicyProblem.TREATMENT_UNKNOWN: _("Choose comp time or overtime pay."),
    }[problem]


POLICY_FIELDS = (
    "rest_day_treatment",
    "rest_day_ratio",
    "rest_day_multiplier",
    "holiday_multiplier",
    "holiday_comp_time",
    "holiday_ratio",
    "expiry_months",
    "reward_hours",
)


def update_policy(*, team, actor: Profile, values: dict) -> CompensationPolicy:
    """Save the team's policy. Months already computed keep the policy they were computed with (each statement
    stores its own) until computed again; finalised months never change."""
    values = {name: values[name] for name in POLICY_FIELDS if name in values}
    problems = rules.policy_problems(values)
    if problems:
        raise CompensationError(problem_message(problems[0][1]))
    if values.get("reward_hours") is not None and values["reward_hours"] <= 0:
        raise CompensationError(problem_message(rules.PolicyProblem.RATIO_NOT_POSITIVE))
    with transaction.atomic():
        policy, _created = CompensationPolicy.objects.select_for_update().get_or_create(team=team)
        before = snapshot(policy, POLICY_FIELDS)
        for name, value in values.items():
            setattr(policy, name, value)
        policy.updated_by, policy.updated_at = actor, timezone.now()
        policy.save()
        record("compensation.policy", actor=actor, target=policy, before=before, after=snapshot(policy, POLICY_FIELDS))
    return policy


def set_exception(*, profile: Profile, actor: Profile, values: dict, reason: str) -> PolicyException:
    """One person's departure from the team's policy (empty values: as the team), with the reason."""
    reason = reason.strip()
    if not reason:
        raise CompensationError(_("Say why this person is treated differently."))
    values = {name: values.get(name) for name in rules.EXCEPTION_FIELDS}
    if all(value in (None, "") for value in values.values()):
        raise CompensationError(_("Set at least one value that differs from the team's policy."))
    problems = rules.policy_problems(values)
    if problems:
        raise CompensationError(problem_message(problems[0][1]))
    values["rest_day_treatment"] = values["rest_day_treatment"] or ""
    fields = [*rules.EXCEPTION_FIELDS, "reason"]
    with transaction.atomic():
        old = PolicyException.objects.select_for_update().filter(profile=profile).first()
        before = snapshot(old, fields) if old else None
        exception, _created = PolicyException.objects.update_or_create(
            profile=profile, defaults={**values, "reason": reason, "set_by": actor, "set_at": timezone.now()}
        )
        record(
            "compensation.exception",
            actor=actor,
            target=exception,
            team=profile.team_id,
            label=profile.name,
            before=before,
            after=snapshot(exception, fields),
            reason=reason,
            refs=[refs.person(profile)],
        )
    return exception


@transaction.atomic
def remove_exception(*, profile: Profile, actor: Profile) -> None:
    old = PolicyException.objects.select_for_update().filter(profile=profile).first()
    if old is None:
        return
    record(
        "compensation.exception_remove",
        actor=actor,
        target=old,
        team=profile.team_id,
        label=profile.name,
        before=snapshot(old, [*rules.EXCEPTION_FIELDS, "reason"]),
        refs=[refs.person(profile)],
    )
    old.delete()


# --- the month's statement ----------------------------------------------------------------------------------------


def compute_statement(*, team, month: date, actor: Profile | None = None, now: datetime | None = None) -> DutyStatement:
    """Compute the month's current version in place (the same records give the same figures) and write the comp
    time its ended shifts earned into the ledger. Refused once finalised: a change is a correction with a reason.
    The nightly job passes no actor; a person who computes is a supervisor of the team."""
    if actor is not None and not perms.keeps_statements_of(actor, team):
        raise CompensationError(_("Only a supervisor of the team computes, finalises or corrects its month."))
    month = month_start(month)
    now = now or timezone.now()
    if month > timezone.localdate(now).replace(day=1):
        raise CompensationError(_("This month has not started yet."))
    try:
        return _compute([team], month, actor, now, refuse_finalised=True)[0]
    except IntegrityError:
        # Two first computations at once (the nightly job and a click): the other created version 1; lock it.
        return _compute([team], month, actor, now, refuse_finalised=True)[0]


def compute_open_statements(*, month: date, teams, now: datetime | None = None) -> list[DutyStatement]:
    """The nightly job: every given team's month computed again, finalised months left as they are."""
    now = now or timezone.now()
    teams = list(teams)
    try:
        return _compute(teams, month_start(month), None, now, refuse_finalised=False)
    except IntegrityError:
        return _compute(teams, month_start(month), None, now, refuse_finalised=False)


def correct_statement(
    *, team, month: date, actor: Profile | None, reason: str, now: datetime | None = None
) -> DutyStatement:
    """A new version of a finalised month, computed from today's records; the finalised one is kept, and the
    difference in comp time is written to the ledger as correction lines traced to the new version. `actor` None:
    proposed by the system (a change of the company calendar, R-CAL-2), whose own audit event names who changed it."""
    if actor is not None and not perms.keeps_statements_of(actor, team):
        raise CompensationError(_("Only a supervisor of the team computes, finalises or corrects its month."))
    reason = reason.strip()
    if not reason:
        raise CompensationError(_("Say why the finalised month is corrected."))
    month = month_start(month)
    now = now or timezone.now()
    with transaction.atomic():
        current = DutyStatement.objects.select_for_update().filter(team=team, month=month, is_current=True).first()
        if current is None or not current.is_finalised:
            raise CompensationError(_("Only a finalised month is corrected; an open month is simply computed again."))
        current.is_current = False
        current.save(update_fields=["is_current"])
        statement = DutyStatement.objects.create(
            team=team, month=month, version=current.version + 1, reason=reason, computed_by=actor
        )
        _fill([statement], month, actor, now)
    return statement


def finalise_statement(statement: DutyStatement, *, actor: Profile, today: date | None = None) -> DutyStatement:
    """Freeze the month (the supervisor). Refused before the month is over, when it was last computed before its
    end, and while a dispute waits for the team lead's resolution."""
    if not perms.keeps_statements_of(actor, statement.team_id):
        raise CompensationError(_("Only a supervisor of the team computes, finalises or corrects its month."))
    today = today or timezone.localdate()
    with transaction.atomic():
        statement = DutyStatement.objects.select_for_update().get(pk=statement.pk)
        if not statement.is_current:
            raise CompensationError(_("This version was replaced by a correction."))
        if statement.is_finalised:
            return statement  # somebody else was faster: the month is final either way
        if not rules.month_is_over(statement.month, today):
            raise CompensationError(_("The month is not over yet; it can be finalised from the 1st of next month."))
        if timezone.localdate(statement.computed_at) <= month_end(statement.month):
            raise CompensationError(
                _("The figures were computed before the month ended; compute them again, check them, then finalise.")
            )
        waiting = queries.open_disputes(statement.team, statement.month).count()
        if waiting:
            raise CompensationError(
                _("%(count)d disputes wait for the team lead's resolution; the month cannot be finalised yet.")
                % {"count": waiting}
            )
        statement.status = StatementStatus.FINALISED
        statement.finalised_at = timezone.now()
        statement.finalised_by = actor
        statement.save(update_fields=["status", "finalised_at", "finalised_by"])
        record("compensation.finalise", actor=actor, target=statement, label=_statement_label(statement))
        # The outgoing webhooks' event (issue 25 item 4), in this transaction: payroll may read the month now.
        events.emit(
            events.STATEMENT_FINALISED,
            team_id=statement.team_id,
            data={
                "statement": statement.pk,
                "month": f"{statement.month:%Y-%m}",
                "version": statement.version,
                "finalised_at": statement.finalised_at.isoformat(),
            },
        )
    return statement


def _statement_label(statement: DutyStatement) -> str:
    return f"{statement.month:%Y-%m} #{statement.version}"


def _compute(teams: list, month: date, actor, now, *, refuse_finalised: bool) -> list[DutyStatement]:
    with transaction.atomic():
        current = {
            s.team_id: s
            for s in DutyStatement.objects.select_for_update().filter(team__in=teams, month=month, is_current=True)
        }
        if refuse_finalised and any(s.is_finalised for s in current.values()):
            raise CompensationError(_("This month is finalised; a change needs a correction with a reason."))
        missing = [
            DutyStatement(team=t, month=month, version=1, computed_by=actor) for t in teams if t.pk not in current
        ]
        for statement in DutyStatement.objects.bulk_create(missing):
            current[statement.team_id] = statement
        statements = [current[t.pk] for t in teams if not current[t.pk].is_finalised]
        if statements:
            _fill(statements, month, actor, now)
    return statements


def _fill(statements: list[DutyStatement], month: date, actor, now: datetime) -> None:
    """Compute every person of the statements' teams, write the ledger's earnings, then the lines."""
    inputs = queries.month_inputs([s.team_id for s in statements], month)
    zone = timezone.get_default_timezone()
    people = []  # (statement, person, policy, figures)
    for statement in statements:
        team_inputs = inputs[statement.team_id]
        for person in team_inputs.people:
            policy = rules.effective_policy(team_inputs.policy, person.exception)
            figures = rules.person_month(
                person.shifts,
                policy,
                now=now,
                zone=zone,
                calendar=team_inputs.calendar,
                overrides=team_inputs.overrides,
            )
            people.append((statement, person, policy, figures))
    _write_earnings(statements, people, month, actor)
    ledger = queries.ledger_figures(sorted({p.profile_id for _s, p, _p, _f in people}), month, month_end(month))
    _write_lines(statements, people, ledger)
    for statement in statements:
        statement.policy = inputs[statement.team_id].policy.as_dict()
        statement.computed_at = now
        statement.computed_by = actor
    DutyStatement.objects.bulk_update(statements, ["policy", "computed_at", "computed_by"])
    for statement in statements:
        # Statements: one event per computation, in the history of every person stated.
        record(
            "compensation.compute",
            actor=actor,
            target=statement,
            label=_statement_label(statement),
            reason=statement.reason,
            after={"version": statement.version},
            refs=[refs.person(p.profile_id) for s, p, _p, _f in people if s is statement],
        )
    if rules.month_is_over(month, timezone.localdate(now)):
        for statement in statements:
            _notify_ready(statement, [p.profile_id for s, p, _p, f in people if s is statement and f.shifts])


def _write_earnings(statements, people, month: date, actor) -> None:
    """The ledger's earnings of the month's ended shifts: while a month has never been finalised its earned lines
    follow the figures; after that (or once some of a line expired) a change is a correction line."""
    by_team = {s.team_id: s for s in statements}
    targets = _earning_targets(people)
    booked = _booked_earnings(list(by_team), month)
    team_of_shift = {r.shift.duty_shift_id: s.team_id for s, _p, _pol, f in people for r in f.shifts}
    writes = _LedgerWrites()
    for key in set(targets) | set(booked):
        found = booked.get(key)
        team_id = team_of_shift.get(key[1]) or (found.team_id if found else None)
        statement = by_team.get(team_id)
        if statement is None:
            continue
        target = targets.get(key, _NOTHING_EARNED)
        if _follows_the_figures(statement, found):
            _set_earned_line(writes, key, team_id, target, found, actor)
        else:
            _add_correction(writes, key, team_id, target, found, statement, actor)
    writes.apply()


@dataclass(frozen=True)
class _Target:
    """What one person's ended shift earns now: comp-time hours, on the shift's date, expiring then."""

    hours: Decimal
    on: date | None
    expires_on: date | None


_NOTHING_EARNED = _Target(ZERO, None, None)


@dataclass
class _Booked:
    """What the ledger holds for one person's shift: its earned line, if any, and the sum of all its lines."""

    earned: CompTimeEntry | None = None
    total: Decimal = ZERO
    team_id: int | None = None
    on: date | None = None  # the shift's date


@dataclass
class _LedgerWrites:
    create: list[CompTimeEntry] = field(default_factory=list)
    update: list[CompTimeEntry] = field(default_factory=list)
    delete: list[int] = field(default_factory=list)

    def apply(self) -> None:
        CompTimeEntry.objects.filter(pk__in=self.delete).delete()
        _update_rows(CompTimeEntry, self.update, ["hours", "expires_on"])
        CompTimeEntry.objects.bulk_create(self.create)


def _earning_targets(people) -> dict[tuple[int, int], _Target]:
    """(profile, duty shift) -> what its comp time should be, for every shift whose hours are known."""
    targets: dict[tuple[int, int], _Target] = {}
    for _statement, person, policy, figures in people:
        for result in figures.shifts:
            if result.hours.source != rules.Source.NOT_YET:
                targets[(person.profile_id, result.shift.duty_shift_id)] = _Target(
                    result.pay.comp_time,
                    result.shift.date,
                    rules.expires_on(result.shift.date, policy.expiry_months),
                )
    return targets


def _booked_earnings(team_ids: list[int], month: date) -> dict[tuple[int, int], _Booked]:
    """(profile, duty shift) -> the earned and correction lines the ledger holds for the month's shifts."""
    lines = (
        CompTimeEntry.objects.filter(
            kind__in=[EntryKind.EARNED, EntryKind.CORRECTION],
            duty_shift__team_id__in=team_ids,
            duty_shift__date__range=(month, month_end(month)),
        )
        .annotate(expired=Exists(CompTimeEntry.objects.filter(source=OuterRef("pk"))))
        .select_related("duty_shift")
    )
    booked: dict[tuple[int, int], _Booked] = defaultdict(_Booked)
    for line in lines:
        entry = booked[(line.profile_id, line.duty_shift_id)]
        entry.total += line.hours
        entry.team_id = line.duty_shift.team_id
        entry.on = line.duty_shift.date
        if line.kind == EntryKind.EARNED:
            entry.earned = line
    return dict(booked)


def _follows_the_figures(statement: DutyStatement, found: _Booked | None) -> bool:
    """The earned line is rewritten in place: the month was never finalised (its statement is still version 1) and
    the line is untouched (nothing booked yet, or one earned line with no correction and none of it expired)."""
    if statement.version != 1:
        return False
    if found is None:
        return True
    earned = found.earned
    return earned is not None and not earned.expired and found.total == earned.hours


def _set_earned_line(
    writes: _LedgerWrites, key: tuple[int, int], team_id: int, target: _Target, found: _Booked | None, actor
) -> None:
    """In place: create, delete or change the shift's one earned line so it says what the figures say."""
    profile_id, shift_id = key
    earned = found.earned if found else None
    if earned is None and target.hours > 0:
        writes.create.append(
            CompTimeEntry(
                profile_id=profile_id,
                team_id=team_id,
                kind=EntryKind.EARNED,
                hours=target.hours,
                on=target.on,
                expires_on=target.expires_on,
                duty_shift_id=shift_id,
                created_by=actor,
            )
        )
    elif earned is not None and target.hours <= 0:
        writes.delete.append(earned.pk)
    elif earned is not None and (earned.hours, earned.expires_on) != (target.hours, target.expires_on):
        earned.hours, earned.expires_on = target.hours, target.expires_on
        writes.update.append(earned)


def _add_correction(
    writes: _LedgerWrites,
    key: tuple[int, int],
    team_id: int,
    target: _Target,
    found: _Booked | None,
    statement: DutyStatement,
    actor,
) -> None:
    """After a finalisation (or an expiry): the difference is a line of its own, a correction naming the
    statement and its reason (an earned line when nothing was booked before)."""
    profile_id, shift_id = key
    delta = target.hours - (found.total if found else ZERO)
    if not delta:
        return
    earned = found.earned if found else None
    writes.create.append(
        CompTimeEntry(
            profile_id=profile_id,
            team_id=team_id,
            kind=EntryKind.CORRECTION if found else EntryKind.EARNED,
            hours=delta,
            on=target.on or (found.on if found else None),
            expires_on=target.expires_on or (earned.expires_on if earned else None),
            duty_shift_id=shift_id,
            statement=statement if found else None,
            created_by=actor,
            note=statement.reason[:200] if found else "",
        )
    )


LINE_FIELDS = [
    "shifts",
    "planned_hours",
    "actual_hours",
    "night_hours",
    "workday_hours",
    "rest_day_hours",
    "holiday_hours",
    "overtime_pay_units",
    "comp_opening",
    "comp_earned",
    "comp_granted",
    "comp_used",
    "comp_expired",
    "comp_balance",
    "rest_day_treatment",
    "rest_day_ratio",
    "rest_day_multiplier",
    "holiday_multiplier",
    "holiday_comp_time",
    "has_exception",
    "unrecorded",
    "absences",
    "shift_rows",
]


def _line_values(person, policy: rules.Policy, figures: rules.MonthFigures, ledger: queries.LedgerFigures) -> dict:
    return {
        "shifts": len(figures.shifts),
        "planned_hours": figures.total("planned"),
        "actual_hours": figures.total("workday") + figures.total("rest_day") + figures.total("holiday"),
        "night_hours": figures.total("night"),
        "workday_hours": figures.total("workday"),
        "rest_day_hours": figures.total("rest_day"),
        "holiday_hours": figures.total("holiday"),
        "overtime_pay_units": figures.total("pay_units"),
        "comp_opening": ledger.opening,
        "comp_earned": ledger.earned,
        "comp_granted": ledger.granted,
        "comp_used": ledger.used,
        "comp_expired": ledger.expired,
        "comp_balance": ledger.balance,
        "rest_day_treatment": policy.rest_day_treatment,
        "rest_day_ratio": policy.rest_day_ratio,
        "rest_day_multiplier": policy.rest_day_multiplier,
        "holiday_multiplier": policy.holiday_multiplier,
        "holiday_comp_time": policy.holiday_comp_time,
        "has_exception": person.exception is not None,
        "unrecorded": figures.count(rules.Source.UNRECORDED),
        "absences": figures.count(rules.Source.ABSENT),
        "shift_rows": [r.as_row() for r in figures.shifts],
    }


def _write_lines(statements, people, ledger: dict) -> None:
    existing = {
        (line.statement_id, line.profile_id): line for line in StatementLine.objects.filter(statement__in=statements)
    }
    create, update, changed = [], [], []
    for statement, person, policy, figures in people:
        values = _line_values(person, policy, figures, ledger.get(person.profile_id, queries.LedgerFigures()))
        line = existing.pop((statement.pk, person.profile_id), None)
        if line is None:
            create.append(StatementLine(statement=statement, profile_id=person.profile_id, **values))
            continue
        if not any(_differs(getattr(line, name), value) for name, value in values.items()):
            continue  # the same records give the same figures: nothing to write
        changed.append(line.pk)
        for name, value in values.items():
            setattr(line, name, value)
        update.append(line)
    # A confirmation was of the figures then shown: changed figures are confirmed again. Disputes stay.
    StatementResponse.objects.filter(line_id__in=changed, kind=ResponseKind.CONFIRMED).delete()
    if existing:  # people who are no longer stated (left the team, no shift)
        StatementLine.objects.filter(pk__in=[line.pk for line in existing.values()]).delete()
    StatementLine.objects.bulk_create(create)
    _update_rows(StatementLine, update, LINE_FIELDS)


def _update_rows(model, rows: list, fields: list[str]) -> None:
    """Write `fields` of `rows` in one UPDATE ... FROM (VALUES ...) (PostgreSQL), however many rows. Django's
    bulk_update writes one CASE WHEN per field and row, which grows with the rows squared (seconds for a thousand
    lines) or, in batches, in queries with the people."""
    if not rows:
        return
    columns = [model._meta.get_field(name) for name in fields]
    row_sql = "(" + ", ".join(["%s::bigint"] + [f"%s::{field.db_type(connection)}" for field in columns]) + ")"
    params = []
    for row in rows:
        params.append(row.pk)
        params.extend(field.get_db_prep_save(getattr(row, field.attname), connection) for field in columns)
    names = ", ".join(['"id"'] + [f'"{field.column}"' for field in columns])
    assignments = ", ".join(f'"{field.column}" = v."{field.column}"' for field in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{model._meta.db_table}" AS t SET {assignments} '  # noqa: S608 - names from the model only
            f'FROM (VALUES {", ".join([row_sql] * len(rows))}) AS v({names}) WHERE t."id" = v."id"',
            params,
        )


def _differs(old, new) -> bool:
    if isinstance(new, Decimal):
        return Decimal(old) != new
    return old != new


def _notify_ready(statement: DutyStatement, profile_ids: list[int]) -> None:
    month = statement.month.strftime("%Y-%m")
    notify(
        Profile.objects.filter(id__in=profile_ids),
        kind=NoticeKind.REQUEST_WAITING,
        subject=texts.READY(month=month),
        url=reverse("compensation:mine-month", kwargs={"month": statement.month}),
        dedupe_key=f"statement:{statement.team_id}:{month}:v{statement.version}:ready",
    )


# --- confirm, dispute, resolve --------------------------------------------------------------------------------


def respond_to_statement(line: StatementLine, *, agent: Profile, kind: str, comment: str = "") -> StatementResponse:
    """The person confirms their month or disputes it with a comment; a dispute tells the team's leads."""
    if not perms.may_respond_to(agent, line):
        raise CompensationError(_("Only the person stated can answer for their month."))
    if kind not in ResponseKind.values:
        raise CompensationError(_("Confirm or dispute."))
    comment = comment.strip()
    if kind == ResponseKind.DISPUTED and not comment:
        raise CompensationError(_("Say what you dispute."))
    with transaction.atomic():
        statement = DutyStatement.objects.select_for_update().select_related("team").get(pk=line.statement_id)
        if statement.is_finalised or not statement.is_current:
            raise CompensationError(_("This month is finalised; it can no longer be disputed."))
        if StatementResponse.objects.filter(line=line).exists():
            raise CompensationError(_("You have already answered for this month's duty hours."))
        response = StatementResponse.objects.create(line=line, kind=kind, comment=comment)
        record(
            "compensation.response",
            actor=agent,
            target=response,
            team=statement.team_id,
            label=f"{agent.name} {_statement_label(statement)}",
            after=snapshot(response, ["kind", "comment"]),
            refs=[refs.person(agent)],
        )
        if kind == ResponseKind.DISPUTED:
            notify(
                leads_of(statement.team).exclude(pk=agent.pk),
                kind=NoticeKind.REQUEST_WAITING,
                subject=texts.DISPUTED(name=agent.name, month=statement.month.strftime("%Y-%m")),
                body=comment,
                url=reverse(
                    "compensation:person",
                    kwargs={"team": statement.team.slug, "month": statement.month, "member": agent.pk},
                ),
                dedupe_key=f"statement:dispute:{response.pk}",
            )
    return response


def resolve_dispute(response: StatementResponse, *, actor: Profile, resolution: str) -> StatementResponse:
    """The team lead (or the supervisor) resolves a dispute before the month is finalised; the person is told."""
    resolution = resolution.strip()
    if not resolution:
        raise CompensationError(_("Write how the dispute was resolved."))
    with transaction.atomic():
        response = (
            StatementResponse.objects.select_for_update()
            .select_related("line__statement__team", "line__profile")
            .get(pk=response.pk)
        )
        statement = response.line.statement
        if not perms.may_resolve_dispute(actor, response.line):
            raise CompensationError(_("A team lead of this team resolves the dispute, not the person disputing."))
        if response.kind != ResponseKind.DISPUTED:
            raise CompensationError(_("Only a dispute is resolved."))
        if response.resolved_at is not None:
            raise CompensationError(
                _("This dispute was already resolved by %(name)s.") % {"name": response.resolved_by.name}
            )
        if statement.is_finalised:
            raise CompensationError(_("This month is finalised; it can no longer change."))
        response.resolution, response.resolved_by, response.resolved_at = resolution, actor, timezone.now()
        response.save(update_fields=["resolution", "resolved_by", "resolved_at"])
        record(
            "compensation.resolve",
            actor=actor,
            target=response,
            team=statement.team_id,
            label=f"{response.line.profile.name} {_statement_label(statement)}",
            after={"resolution": resolution},
            refs=[refs.person(response.line.profile_id)],
        )
        notify(
            [response.line.profile],
            kind=NoticeKind.REQUEST_DECIDED,
            subject=texts.RESOLVED(month=statement.month.strftime("%Y-%m")),
            body=resolution,
            url=reverse("compensation:mine-month", kwargs={"month": statement.month}),
            dedupe_key=f"statement:dispute:{response.pk}:resolved",
        )
    return response


# --- the comp-time ledger -------------------------------------------------------------------------------------


def _lock_account(profile_id: int) -> CompTimeAccount:
    """Serialise every spending of one person's comp time (two approvals at once: the second waits here)."""
    CompTimeAccount.objects.bulk_create([CompTimeAccount(profile_id=profile_id)], ignore_conflicts=True)
    return CompTimeAccount.objects.select_for_update().get(profile_id=profile_id)


def _expire_due(profile_id: int, today: date) -> int:
    """Write the expiry lines the person's ledger is due by `today`; call with the account locked."""
    lots, spends, lines = queries.plain_ledger(profile_id)
    state = rules.run_ledger(lots, spends, today=today)
    done = queries.already_expired([line.pk for line in lines.values()])
    rows = []
    for key, hours in state.expired.items():
        line = lines[key]
        if line.pk in done or hours <= 0:
            continue
        lot = next(lot for lot in lots if lot.key == key)
        rows.append(
            CompTimeEntry(
                profile_id=profile_id,
                team_id=line.team_id,
                kind=EntryKind.EXPIRED,
                hours=-hours,
                on=lot.expires_on,
                source=line,
                note=_("Not taken by %(date)s") % {"date": lot.expires_on.isoformat()},
            )
        )
    CompTimeEntry.objects.bulk_create(rows)
    return len(rows)


def expire_comp_time(*, today: date | None = None) -> int:
    """The daily job: comp time not taken by its expiry date expires (what is left of each lot after the soonest-
    expiring were spent first). One transaction per person, so spending elsewhere waits only for that person.
    Safe to run twice: each lot expires at most once (unique in the database)."""
    today = today or timezone.localdate()
    written = 0
    for profile_id in queries.people_with_due_expiry(today):
        with transaction.atomic():
            _lock_account(profile_id)
            written += _expire_due(profile_id, today)
    return written


def available_comp_time(profile: Profile, *, today: date | None = None) -> Decimal:
    """What the person may take today: the ledger replayed to today (expired earnings left out)."""
    lots, spends, _lines = queries.plain_ledger(profile.pk)
    return rules.run_ledger(lots, spends, today=today or timezone.localdate()).balance


def grant_reward(score, *, actor: Profile, hours: Decimal) -> CompTimeEntry:
    """R-APP-5: a manager grants a person's extra reward as comp-time hours, once per reward."""
    from appraisal.models import AgentScore

    if hours is None or hours <= 0 or hours > 80:
        raise CompensationError(_("Grant between 0.5 and 80 hours."))
    with transaction.atomic():
        score = AgentScore.objects.select_related("appraisal__team", "profile").get(pk=score.pk)
        appraisal = score.appraisal
        if not (score.reward_flag and appraisal.is_current and appraisal.is_finalised):
            raise CompensationError(_("Only an extra reward of a finalised appraisal month is granted."))
        _lock_account(score.profile_id)
        today = timezone.localdate()
        policy = queries.policy_of(appraisal.team)
        try:
            with transaction.atomic():
                line = CompTimeEntry.objects.create(
                    profile=score.profile,
                    team=appraisal.team,
                    kind=EntryKind.REWARD,
                    hours=hours,
                    on=today,
                    expires_on=rules.expires_on(today, policy.expiry_months),
                    reward_score=score,
                    created_by=actor,
                    note=_("Extra reward of %(month)s") % {"month": appraisal.month.strftime("%Y-%m")},
                )
        except IntegrityError as error:
            raise CompensationError(_("This reward was already granted as comp time.")) from error
        record(
            "compensation.reward",
            actor=actor,
            target=line,
            team=appraisal.team_id,
            label=score.profile.name,
            after={"hours": hours},
            refs=[refs.person(score.profile_id)],
        )
        notify(
            [score.profile],
            kind=NoticeKind.REQUEST_DECIDED,
            subject=texts.REWARD_GRANTED(hours=_hours(hours)),
            url=reverse("compensation:mine"),
            dedupe_key=f"comptime:reward:{score.pk}",
        )
    return line


# --- comp-time leave (调休), through the leave flow --------------------------------------------------------------


def comp_time_needed(duty_shifts) -> Decimal:
    """The comp time a leave from these duty shifts takes: their planned hours."""
    return sum((rules.hours((s.ends_at - s.starts_at).total_seconds()) for s in duty_shifts), ZERO)


def comp_time_refusal(*, profile: Profile, duty_shifts, today: date | None = None) -> str | None:
    """Why the person cannot take these shifts off as comp time now (not enough balance), or None."""
    needed = comp_time_needed(duty_shifts)
    available = available_comp_time(profile, today=today)
    if needed > available:
        return _("Not enough comp time: this leave needs %(needed)s hours, the balance is %(balance)s hours.") % {
            "needed": _hours(needed),
            "balance": _hours(available),
        }
    return None


def take_comp_time(*, leave, duty_shifts, actor: Profile, today: date | None = None) -> CompTimeEntry:
    """The final approval of a comp-time leave takes its hours from the balance. Called inside the approval's
    transaction (the same one as the roster change): if the balance no longer covers it, CompensationError rolls
    the whole approval back. Two approvals at once are serialised on the person's account row."""
    today = today or timezone.localdate()
    needed = comp_time_needed(duty_shifts)
    _lock_account(leave.profile_id)
    _expire_due(leave.profile_id, today)
    balance = queries.balance_of(leave.profile)
    if needed > balance:
        raise CompensationError(
            _("Not enough comp time: this leave needs %(needed)s hours, the balance is now %(balance)s hours.")
            % {"needed": _hours(needed), "balance": _hours(balance)}
        )
    try:
        with transaction.atomic():
            return CompTimeEntry.objects.create(
                profile_id=leave.profile_id,
                team_id=leave.team_id,
                kind=EntryKind.USED,
                hours=-needed,
                on=today,
                leave=leave,
                created_by=actor,
                note=", ".join(f"{s.date:%m-%d} {s.shift_type.name}" for s in duty_shifts)[:200],
            )
    except IntegrityError as error:
        raise CompensationError(_("This leave has already taken its comp time.")) from error
