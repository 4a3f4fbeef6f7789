"""Every write to the roster: month preparation, generation, draft edits, publication, revisions.

Views, Celery tasks, the admin and management commands call these; nothing else writes roster rows.
Two people acting at once are serialised on the Roster row (select_for_update); a page that was loaded before
someone else changed the draft carries an old `draft_revision` and is refused as stale.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from celery import current_app
from django.db import IntegrityError, transaction
from django.db import connection as db_connection
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk import events
from dutydesk.audit import rules as refs
from dutydesk.audit.services import record
from dutydesk.models import Profile
from dutydesk.months import month_end, month_start, next_month
from dutydesk.notifications.models import NoticeKind
from dutydesk.notifications.services import notify
from dutydesk.permissions import profile_of
from dutydesk.queries import supervisors_of
from dutydesk.system import system_user
from roster import instance as plain
from roster import queries, rules, solver, texts
from roster.messages import describe, law_refusal
from roster.models import (
    Assignment,
    AssignmentRole,
    DutyShift,
    GenerationRun,
    GenerationStatus,
    Roster,
    RosterAcknowledgement,
    RosterVersion,
    ShiftType,
    VersionKind,
)
from roster.permissions import can_confirm
from workcalendar import queries as company_calendar

log = logging.getLogger(__name__)

# The Celery task that runs a generation (roster/tasks.py), queued by name; the name it always had, so messages
# queued before an upgrade still find it.
GENERATE_TASK = "roster.tasks.task_generate_roster"


class RosterError(Exception):
    """A refused roster action; the message is translated and fit to show the user as it is."""


# --- the month ----------------------------------------------------------------------------------------------


@transaction.atomic
def prepare_month(team, month: date) -> Roster:
    """The roster of `month` with its duty shifts laid out from the calendar and the team's shift types.

    Idempotent. Duty shifts that stopped being wanted (a date no longer a duty day, a shift type made inactive)
    leave the draft of an unpublished month and are then removed; one a published version uses stays, marked as no
    longer laid out (the page says why: queries.kept_shifts), and a version that does not hold it leaves it out.
    """
    month = month_start(month)
    roster, _created = Roster.objects.get_or_create(team=team, month=month)
    days = queries.duty_days(team, month)
    shift_types = list(ShiftType.objects.filter(team=team, active=True))
    # A date's own headcount (team_services.set_headcounts, e.g. from the demand forecast) wins over the usual one.
    dated = queries.headcount_overrides(team, month)
    wanted = set()
    for day in days:
        for kind in shift_types:
            starts, ends = DutyShift.bounds(day.date, kind)
            headcount = dated.get((day.date, kind.id), kind.headcount)
            # R-ROSTER-7: an A/B pair needs at least two people on every shift of a promotion day.
            headcount = max(headcount, 2) if day.promotion else headcount
            shift, _ = DutyShift.objects.update_or_create(
                team=team,
                date=day.date,
                shift_type=kind,
                defaults={
                    "starts_at": starts,
                    "ends_at": ends,
                    "is_night": kind.is_night,
                    "is_holiday": day.holiday,
                    "is_promotion": day.promotion,
                    "headcount": headcount,
                    "laid_out": True,
                },
            )
            wanted.add(shift.id)
    unwanted = DutyShift.objects.filter(team=team, date__range=(month, month_end(month)))
    unwanted = unwanted.exclude(id__in=wanted)
    if not roster.published_version_id:
        # Only a draft can hold them here (nothing is published): the supervisor's settings win over the draft,
        # and a page opened before is stale.
        removed, _detail = Assignment.objects.filter(
            duty_shift__in=unwanted, version__published_at__isnull=True
        ).delete()
        if removed:
            Roster.objects.filter(pk=roster.pk).update(draft_revision=F("draft_revision") + 1)
            roster.refresh_from_db(fields=["draft_revision"])
    unwanted.filter(assignments__isnull=True).delete()
    # What a published version still holds stays, marked as no longer laid out: a version without it leaves it out.
    unwanted.filter(laid_out=True).update(laid_out=False)
    return roster


def _locked(roster: Roster) -> Roster:
    return Roster.objects.select_for_update().get(pk=roster.pk)


def _account(actor: Profile | None):
    """The account a version records as made by: the acting person's, or the system's for a scheduled job."""
    return actor.user if actor is not None else system_user()


def _ensure_draft(roster: Roster, *, actor: Profile | None) -> RosterVersion:
    """The draft of `roster`; a new draft starts as a copy of the version in force (or empty)."""
    draft = queries.draft_of(roster)
    if draft is not None:
        return draft
    draft = RosterVersion.objects.create(roster=roster, created_by=_account(actor), kind=VersionKind.PUBLICATION)
    if roster.published_version_id:
        _copy_assignments(roster.published_version, draft)
    return draft


def _copy_assignments(source: RosterVersion, target: RosterVersion) -> None:
    Assignment.objects.bulk_create(
        Assignment(version=target, duty_shift_id=a.duty_shift_id, profile_id=a.profile_id, date=a.date, role=a.role)
        for a in source.assignments.all()
    )


def _check_revision(roster: Roster, expected_revision: int | None) -> None:
    if expected_revision is not None and roster.draft_revision != expected_revision:
        raise RosterError(_("Someone else changed this roster since you opened it. Reload the page and try again."))


# --- generation ---------------------------------------------------------------------------------------------


ACTIVE_RUN = (GenerationStatus.QUEUED, GenerationStatus.RUNNING)
# A queued run whose task has not started after this long is queued again (the message may have been lost with a
# broker restart); after QUEUE_ATTEMPTS sends it fails. A running run gets its team's solver time limit plus
# RUN_GRACE before the sweep declares its worker gone.
QUEUE_PATIENCE = timedelta(minutes=2)
QUEUE_ATTEMPTS = 3
RUN_GRACE = timedelta(minutes=2)


def _broker_down_message() -> str:
    return _(
        "The background service that generates rosters is not available right now, so nothing was started. "
        "Try again in a few minutes; if it keeps happening, tell the administrator."
    )


def move_run(run_id: int, to: str, *, from_: Iterable[str], **fields: Any) -> bool:
    """Move a generation run to `to` from one of `from_` (the states the caller acts on), setting `fields` too;
    False when the run is in none of them any more (it moved meanwhile: nothing is changed).

    Every status change of a run goes through here, and only along `rules.GENERATION_MOVES`: asking for a move the
    table forbids is a programming error (ValueError). One UPDATE whose WHERE names the states it may leave, so two
    moves at once cannot both happen: the second finds the row moved and changes nothing.
    """
    sources = [str(state) for state in from_]
    forbidden = [state for state in sources if not rules.run_may_move(state, to)]
    if forbidden or not sources:
        raise ValueError(f"a generation run never moves from {forbidden or sources} to {to}")
    return bool(GenerationRun.objects.filter(pk=run_id, status__in=sources).update(status=to, **fields))


def _queue_run(run_id: int) -> bool:
    """Send the run's task. If the broker refuses, the run fails with a message rather than wait for ever."""
    from kombu.exceptions import OperationalError

    try:
        # Queued by name: tasks.py imports this module, so importing it here would close a circle.
        current_app.send_task(GENERATE_TASK, kwargs={"run_id": run_id})
    except OperationalError as error:
        log.warning("generation run %s could not be queued: %s", run_id, error)
        move_run(
            run_id,
            GenerationStatus.FAILED,
            from_=[GenerationStatus.QUEUED],
            error=_broker_down_message(),
            finished_at=timezone.now(),
        )
        return False
    return True


def start_generation(roster: Roster, *, actor: Profile) -> GenerationRun:
    """Queue a solve of `roster` on Celery; a second click while one runs returns the running one.

    Raises RosterError when the broker cannot take the task: the run is then failed, not left queued.
    """
    problem = _empty_month_problem(roster)
    if problem:
        raise RosterError(problem)
    try:
        with transaction.atomic():
            run = GenerationRun.objects.create(roster=roster, requested_by=actor.user)
            record("roster.generate_start", actor=actor, target=roster, refs=[refs.roster(roster)])
    except IntegrityError:
        # The partial unique constraint allows one active run per roster: a double click lands here.
        return GenerationRun.objects.get(roster=roster, status__in=ACTIVE_RUN)
    transaction.on_commit(lambda: _queue_run(run.id))
    run.refresh_from_db()
    if run.status == GenerationStatus.FAILED:
        raise RosterError(run.error)
    return run


@transaction.atomic
def cancel_generation(run: GenerationRun, *, actor: Profile) -> GenerationRun:
    """The supervisor stops a queued or running generation; the draft is left as it was.

    A solve already under way finishes in its worker (within the team's time limit) and its result is discarded.
    """
    cancelled = move_run(
        run.pk,
        GenerationStatus.CANCELLED,
        from_=ACTIVE_RUN,
        finished_at=timezone.now(),
        cancelled_by=actor.user,
        error=_("Cancelled; the draft was not changed."),
    )
    if not cancelled:
        raise RosterError(_("This generation has already ended; there is nothing to cancel."))
    run = GenerationRun.objects.get(pk=run.pk)
    record("roster.generate_cancel", actor=actor, target=run.roster, refs=[refs.roster(run.roster_id)])
    return run


def sweep_generation_runs(*, now=None) -> dict:
    """Beat job: no run stays queued or running for ever. Returns the run ids re-queued and failed."""
    now = now or timezone.now()
    requeued, failed = [], []
    stale = GenerationRun.objects.filter(status=GenerationStatus.QUEUED, queued_at__lt=now - QUEUE_PATIENCE)
    for run_id, attempts in stale.values_list("id", "attempts"):
        if attempts >= QUEUE_ATTEMPTS:
            if move_run(
                run_id,
                GenerationStatus.FAILED,
                from_=[GenerationStatus.QUEUED],
                finished_at=now,
                error=_(
                    "The roster generation never started. Generate again; if it keeps happening, tell the "
                    "administrator."
                ),
            ):
                failed.append(run_id)
        elif GenerationRun.objects.filter(pk=run_id, status=GenerationStatus.QUEUED, attempts=attempts).update(
            attempts=attempts + 1, queued_at=now
        ):
            # Sent again; the task claims the run atomically, so an old message arriving as well runs nothing.
            if _queue_run(run_id):
                requeued.append(run_id)
            else:
                failed.append(run_id)
    running = GenerationRun.objects.filter(status=GenerationStatus.RUNNING).select_related("roster__team")
    for run in running:
        limit = timedelta(seconds=queries.settings_for(run.roster.team).solver_time_limit_s) + RUN_GRACE
        if run.started_at is None or run.started_at < now - limit:
            if move_run(
                run.pk,
                GenerationStatus.FAILED,
                from_=[GenerationStatus.RUNNING],
                finished_at=now,
                error=_(
                    "The roster generation stopped without finishing (the background worker was probably "
                    "restarted). Generate again."
                ),
            ):
                failed.append(run.pk)
    return {"requeued": requeued, "failed": failed}


def _claim_run(run: GenerationRun) -> bool:
    """queued → running, once: a re-queued run's second message, or a cancelled run's, finds nothing to do."""
    return move_run(run.pk, GenerationStatus.RUNNING, from_=[GenerationStatus.QUEUED], started_at=timezone.now())


class _RunEnded(RosterError):
    """The run was cancelled (or swept) while the solver worked: its result is not written."""


def run_generation(run: GenerationRun) -> None:
    """Solve the month and put the result into the draft. Progress is saved on the run as the solver reports it."""
    if not _claim_run(run):
        log.info("generation run %s is no longer queued; nothing to do", run.pk)
        return
    caller = threading.get_ident()

    def progress(report: dict) -> None:
        GenerationRun.objects.filter(pk=run.pk).update(progress=report)
        if threading.get_ident() != caller:
            # CP-SAT reports from its own threads: close their connections rather than leave one per thread.
            db_connection.close()

    def finish(draft: RosterVersion) -> None:
        # In the draft's write transaction: a run cancelled meanwhile rolls the write back.
        if not move_run(
            run.pk,
            GenerationStatus.DONE,
            from_=[GenerationStatus.RUNNING],
            result=draft.generation,
            finished_at=timezone.now(),
        ):
            raise _RunEnded("ended")

    try:
        generate_draft(run.roster, actor=profile_of(run.requested_by), progress=progress, on_write=finish)
    except _RunEnded:
        log.info("generation run %s ended while solving; its result was discarded", run.pk)
    except RosterError as error:
        move_run(
            run.pk,
            GenerationStatus.FAILED,
            from_=[GenerationStatus.RUNNING],
            error=str(error),
            finished_at=timezone.now(),
        )


def generate_draft(
    roster: Roster, *, actor: Profile | None, seed: int = 0, progress=None, on_write=None
) -> RosterVersion:
    """Fill the draft of `roster` with a solved roster (R-ROSTER-3..8), replacing what the draft held. `actor` None:
    a scheduled job (the draft names the system account).

    The solve runs outside any transaction (it takes seconds); the write is one transaction. Side effects: the
    draft's `generation` holds the score by goal and the hard-rule problems the solver could not avoid.
    """
    if roster.published_version_id:
        raise RosterError(_("This roster is already published. Change it through a revision, leave or swap."))
    problem = _empty_month_problem(roster)
    if problem:
        raise RosterError(problem)
    instance = queries.solver_instance(roster, seed=seed)
    result = solver.solve(instance, progress=progress)
    shifts = {(s.date, s.shift_type.key): s for s in queries.month_shifts(roster)}
    with transaction.atomic():
        roster = _locked(roster)
        if roster.published_version_id:
            raise RosterError(_("This roster was published while it was being generated; nothing was changed."))
        draft = _ensure_draft(roster, actor=actor)
        draft.assignments.all().delete()
        Assignment.objects.bulk_create(
            Assignment(
                version=draft, duty_shift=shifts[(a.date, a.shift)], profile_id=a.agent, date=a.date, role=a.role
            )
            for a in result.assignments
        )
        draft.generation = {
            "status": result.status,
            "source": result.source,  # "greedy": the search found nothing better in time (not proven best)
            "score": result.score,
            "wall_time_s": round(result.wall_time_s, 2),
            "first_complete_s": result.first_complete_s,
            "limits": result.limits,
            "violations": [v.to_json() for v in result.violations],
        }
        draft.save(update_fields=["generation"])
        roster.draft_revision += 1
        roster.save(update_fields=["draft_revision"])
        record(
            "roster.generate",
            actor=actor,
            target=roster,
            after={"assignments": len(result.assignments), "violations": len(result.violations)},
            refs=[refs.roster(roster)],
        )
        if on_write is not None:
            on_write(draft)  # the generation run: marked done in this transaction, or the write is undone
    return draft


def _empty_month_problem(roster: Roster) -> str:
    if not queries.month_shifts(roster).exists():
        return _("This month has no duty shifts. Set the team's shifts and duty days first.")
    if not queries.duty_staff(roster.team).exists():
        return _("This team has no agents to roster.")
    return ""


# --- editing the draft --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellChange:
    profile_id: int
    date: date
    shift_key: str | None  # None clears the cell
    role: str = AssignmentRole.MEMBER


@transaction.atomic
def set_cell(
    roster: Roster,
    change: CellChange,
    *,
    actor: Profile,
    expected_revision: int | None,
    instance: plain.Instance | None = None,
) -> RosterVersion:
    """Put one person on one shift of one date in the draft (or clear the cell).

    Refused (RosterError, nothing changed) when it would put the person on two shifts at once, on leave or on a
    day they declared unavailable (R-ROSTER-8), or when the page is stale. Every other hard-rule problem is
    allowed here and shown on the grid; it blocks publication (R-ROSTER-3, -5, -6, -7). `instance`: the month as
    the caller already read it (queries.month_data), so that the grid's edit reads it once.
    """
    roster = _locked(roster)
    _check_revision(roster, expected_revision)
    if roster.published_version_id and not queries.draft_of(roster):
        raise RosterError(_("This roster is published. Start a revision with a reason to change it."))
    # The month's staff (queries.month_staff): a leaver still holding a shift there can be taken off it
    # (edit_refusal keeps them off every date from the one they leave).
    if instance is None:
        instance = queries.solver_instance(roster)
    if change.profile_id not in instance.agents_by_id:
        raise RosterError(_("That person is not on this team's duty staff."))
    draft = _ensure_draft(roster, actor=actor)
    draft.assignments.filter(profile_id=change.profile_id, date=change.date).delete()
    if change.shift_key is not None:
        shift = (
            DutyShift.objects.filter(team=roster.team_id, date=change.date, shift_type__key=change.shift_key)
            .select_related("shift_type")
            .first()
        )
        if shift is None:
            raise RosterError(_("There is no such shift on that date."))
        refusal = rules.edit_refusal(
            instance,
            queries.plain_assignments(draft, profile_id=change.profile_id),
            change.profile_id,
            change.date,
            change.shift_key,
        )
        if refusal is not None:
            raise RosterError(describe(refusal, instance))
        Assignment.objects.create(
            version=draft, duty_shift=shift, profile_id=change.profile_id, date=change.date, role=change.role
        )
    roster.draft_revision += 1
    roster.save(update_fields=["draft_revision"])
    record(
        "roster.cell",
        actor=actor,
        target=roster,
        after={"shift": shift.shift_type.name if change.shift_key is not None else ""},
        refs=[refs.roster(roster), refs.person(change.profile_id), refs.day(change.date)],
    )
    return draft


def draft_violations(roster: Roster) -> list[plain.Violation]:
    """The hard-rule problems of the draft as it is now (empty: it may be published)."""
    draft = queries.draft_of(roster)
    if draft is None:
        return []
    return rules.check_roster(queries.solver_instance(roster), queries.plain_assignments(draft))


# --- publication and revisions ------------------------------------------------------------------------------


@transaction.atomic
def publish_roster(
    roster: Roster,
    *,
    actor: Profile | None,
    expected_revision: int | None,
    reason: str = "",
    accept_warnings: bool = False,
    accept_provisional: bool = False,
) -> RosterVersion:
    """Publish the draft as the next immutable version (R-ROSTER-2, R-ROSTER-9), naming `actor` as publisher.
    `actor` None: a scheduled job.

    R-CAL-1: a month whose year's holidays are not yet official is published only when the publisher confirms it
    (`accept_provisional`); the version records that it was (provisional_calendar, with published_by and _at).

    Refused when there is no draft (a double click: the first click published it), the page is stale, the draft
    is empty, it breaks a hard rule, or it has shifts with more people than their headcount and the supervisor
    has not confirmed that (`accept_warnings`; R-ROSTER-5: the headcount is a minimum). Side effects: the version
    is numbered and in force, every member of the team is notified in the app (and by their channels), and each
    must confirm having seen it.
    """
    roster = _locked(roster)
    draft = queries.draft_of(roster)
    if draft is None:
        if roster.published_version_id:
            raise RosterError(
                _("This roster is already published (version %(number)s); nothing was changed.")
                % {"number": roster.published_version.number}
            )
        raise RosterError(_("There is no draft to publish. Generate or build the roster first."))
    _check_revision(roster, expected_revision)
    if not draft.assignments.exists():
        raise RosterError(_("The draft is empty; nothing was published."))
    instance = queries.solver_instance(roster)
    violations = rules.check_roster(instance, queries.plain_assignments(draft))
    if violations:
        raise RosterError(
            _("The draft breaks %(count)s hard rule(s) and cannot be published: %(first)s")
            % {"count": len(violations), "first": describe(violations[0], instance)}
        )
    warnings = rules.roster_warnings(instance, queries.plain_assignments(draft))
    if warnings and not accept_warnings:
        raise RosterError(
            _(
                "%(count)s shift(s) have more people than needed, e.g. %(first)s. Confirm that this is on purpose "
                "to publish."
            )
            % {"count": len(warnings), "first": describe(warnings[0], instance)}
        )
    is_revision = roster.published_version_id is not None
    if is_revision and not reason.strip():
        raise RosterError(_("A change to a published roster needs a reason."))
    provisional = bool(company_calendar.provisional_years([roster.month.year]))
    if provisional and not accept_provisional:
        raise RosterError(
            _(
                "The holidays of %(year)s are not yet official: the duty days and holiday shifts of this month may "
                "change when the State Council's notice is imported. Confirm that you publish it anyway."
            )
            % {"year": roster.month.year}
        )
    draft.provisional_calendar = provisional
    return _publish(
        roster, draft, actor=actor, kind=VersionKind.REVISION if is_revision else VersionKind.PUBLICATION, reason=reason
    )


def _publish(
    roster: Roster, draft: RosterVersion, *, actor: Profile | None, kind: VersionKind, reason: str
) -> RosterVersion:
    previous = roster.published_version
    _put_in_force(roster, draft, actor=actor, kind=kind, reason=reason)
    _notify_publication(roster, draft, previous)
    _emit_publication(roster, draft, previous)
    return draft


def _emit_publication(roster: Roster, version: RosterVersion, previous: RosterVersion | None) -> None:
    """The outgoing webhooks' event (issue 25 item 4), in this transaction: a first publication, or a revision
    (a supervisor's, or one that leave, a swap or the marketplace made)."""
    events.emit(
        events.ROSTER_PUBLISHED if previous is None else events.ROSTER_REVISED,
        team_id=roster.team_id,
        data={
            "roster": roster.pk,
            "month": f"{roster.month:%Y-%m}",
            "version": version.number,
            "previous_version": previous.number if previous is not None else None,
            "kind": version.kind,
            "published_at": version.published_at.isoformat() if version.published_at else None,
        },
    )


@transaction.atomic
def put_in_force(
    roster: Roster, version: RosterVersion, *, actor: Profile | None, kind: VersionKind, reason: str = ""
) -> RosterVersion:
    """The publication step alone: the draft `version` of `roster` is numbered after the highest number so far,
    stamped with when, by whom (`actor`; None: the system) and why, put in force, and recorded (R-ROSTER-9).

    It checks nothing and tells nobody: publish_roster and revise_published call it after their checks and then
    notify. Test data (testdata.publish) calls it to put in force exactly the holdings a test states (which may be
    under headcount on purpose), numbered and recorded the way a real publication is."""
    return _put_in_force(_locked(roster), version, actor=actor, kind=kind, reason=reason)


def _put_in_force(
    roster: Roster, draft: RosterVersion, *, actor: Profile | None, kind: VersionKind, reason: str
) -> RosterVersion:
    previous = roster.published_version
    number = (roster.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft.number = number
    draft.kind = kind
    draft.reason = reason
    draft.published_at = timezone.now()
    draft.published_by = _account(actor)
    draft.save(update_fields=["number", "kind", "reason", "published_at", "published_by", "provisional_calendar"])
    roster.published_version = draft
    roster.draft_revision += 1
    roster.save(update_fields=["published_version", "draft_revision"])
    _record_publication(roster, draft, previous, actor=actor)
    return draft


def _record_publication(roster: Roster, version: RosterVersion, previous, *, actor: Profile | None) -> None:
    """R-ROSTER-9: who published which version and why; a revision lists what it changed, and is found in the
    history of each person and day it touched."""
    changed = {"removed": [], "added": []}
    touched: list[str] = []
    if previous is not None:
        removed, added = compare_versions(previous, version)
        names = dict(Profile.objects.filter(id__in={row[0] for row in removed | added}).values_list("id", "name"))
        shift_names = dict(ShiftType.objects.filter(team=roster.team_id).values_list("key", "name"))
        for side, rows in (("removed", removed), ("added", added)):
            for profile_id, day, shift_key, _role in sorted(rows, key=lambda row: (row[1], row[2], row[0])):
                changed[side].append(f"{day:%m-%d} {shift_names.get(shift_key, shift_key)} {names.get(profile_id, '')}")
                touched += [refs.person(profile_id), refs.day(day)]
    record(
        "roster.publish" if version.kind == VersionKind.PUBLICATION else f"roster.{version.kind}",
        actor=actor,
        target=version,
        team=roster.team_id,
        label=f"{roster.month:%Y-%m} #{version.number}",
        reason=version.reason,
        after={
            "number": version.number,
            # R-CAL-1: published on holidays not yet official, as the publisher confirmed (or the deadline did).
            **({"provisional_calendar": True} if version.provisional_calendar else {}),
            **({key: rows for key, rows in changed.items() if rows}),
        },
        refs=[refs.roster(roster), *touched],
    )


def _month_url(roster: Roster) -> str:
    return reverse("roster:month", kwargs={"team": roster.team.slug, "month": roster.month})


def _notify_publication(roster: Roster, version: RosterVersion, previous: RosterVersion | None) -> None:
    month = f"{roster.month:%Y-%m}"
    url = _month_url(roster)
    if previous is None:
        recipients = Profile.objects.filter(team=roster.team)
        notify(
            recipients,
            kind=NoticeKind.ROSTER_PUBLISHED,
            url=url,
            dedupe_key=f"roster:{roster.id}:v{version.number}",
            subject=texts.PUBLISHED(team=roster.team.name, month=month),
            body=texts.PUBLISHED_BODY(),
        )
        return
    # A change: tell only the people whose shifts moved (R-ROSTER-9 keeps who, when and why on the version).
    changed = changed_profiles(previous, version)
    notify(
        Profile.objects.filter(id__in=changed),
        kind=NoticeKind.ROSTER_CHANGED,
        url=url,
        dedupe_key=f"roster:{roster.id}:v{version.number}",
        subject=texts.CHANGED(team=roster.team.name, month=month),
        body=version.reason,
    )


def changed_profiles(old: RosterVersion, new: RosterVersion) -> set[int]:
    removed, added = compare_versions(old, new)
    return {profile_id for profile_id, *_ in removed | added}


def compare_versions(old: RosterVersion, new: RosterVersion) -> tuple[set[tuple], set[tuple]]:
    """(removed, added) assignments between two versions, as (profile id, date, shift key, role) tuples."""

    def rows(version):
        return set(version.assignments.values_list("profile_id", "date", "duty_shift__shift_type__key", "role"))

    old_rows, new_rows = rows(old), rows(new)
    return old_rows - new_rows, new_rows - old_rows


@transaction.atomic
def start_revision(roster: Roster, *, actor: Profile) -> RosterVersion:
    """A supervisor's explicit revision of a published roster begins as a draft copy of the version in force."""
    roster = _locked(roster)
    if not roster.published_version_id:
        raise RosterError(_("This roster is not published yet; edit the draft instead."))
    draft = _ensure_draft(roster, actor=actor)
    roster.draft_revision += 1
    roster.save(update_fields=["draft_revision"])
    record("roster.revision_start", actor=actor, target=roster, refs=[refs.roster(roster)])
    return draft


@transaction.atomic
def discard_draft(roster: Roster, *, actor: Profile, expected_revision: int | None) -> None:
    roster = _locked(roster)
    _check_revision(roster, expected_revision)
    draft = queries.draft_of(roster)
    if draft is None:
        raise RosterError(_("There is no draft to discard."))
    record("roster.discard", actor=actor, target=roster, refs=[refs.roster(roster)])
    draft.delete()
    roster.draft_revision += 1
    roster.save(update_fields=["draft_revision"])


@dataclass(frozen=True)
class Replacement:
    """In a published roster: `remove` leaves `duty_shift`, `add` (or nobody) takes the place, with `role`."""

    duty_shift_id: int
    remove_profile_id: int | None
    add_profile_id: int | None
    role: str | None = None  # None: the role the removed person held


def revise_published(
    roster: Roster,
    changes: list[Replacement],
    *,
    actor: Profile,
    kind: VersionKind,
    reason: str,
    allow_under_headcount: bool = True,
) -> RosterVersion:
    """Apply approved changes (leave, swap) to the version in force as a new published version (R-ROSTER-9).

    Call inside the transaction of the approval that causes it. Refused (RosterError, nothing changed) when a
    removed person no longer holds the shift, or an added person could not hold it (R-ROSTER-8: two shifts at
    once, leave, unavailability). A shift left under headcount (leave without substitute) is allowed and shows as
    under-covered (R-LEAVE-4); other hard-rule problems that the change would create are refused.
    """
    if not reason.strip():
        raise RosterError(_("A change to a published roster needs a reason."))
    roster = _locked(roster)
    current = roster.published_version
    if current is None:
        raise RosterError(_("This roster is not published yet."))
    if queries.draft_of(roster) is not None:
        # A supervisor's revision in progress would silently lose this change when published.
        raise RosterError(
            _(
                "The supervisor is revising this roster right now. Try again when the revision is "
                "published or discarded."
            )
        )
    instance = queries.solver_instance(roster)
    rows = {(a.duty_shift_id, a.profile_id): a for a in current.assignments.all()}
    shifts = {
        s.id: s
        for s in DutyShift.objects.filter(id__in=[c.duty_shift_id for c in changes]).select_related("shift_type")
    }
    before = rules.check_roster(instance, queries.plain_assignments(current))
    planned = dict(rows)
    for change in changes:
        shift = shifts.get(change.duty_shift_id)
        if shift is None or shift.team_id != roster.team_id:
            raise RosterError(_("That shift is not in this roster."))
        role = change.role
        if change.remove_profile_id is not None:
            held = planned.pop((change.duty_shift_id, change.remove_profile_id), None)
            if held is None:
                raise RosterError(
                    _(
                        "%(date)s %(shift)s: the person no longer holds this shift; the roster changed "
                        "since the request was made."
                    )
                    % _shift_words(shift)
                )
            role = role or held.role
        if change.add_profile_id is not None:
            plain_now = [
                plain.Assignment(a.profile_id, a.date, shifts.get(a.duty_shift_id, a.duty_shift).shift_type.key, a.role)
                for a in planned.values()
            ]
            refusal = rules.edit_refusal(instance, plain_now, change.add_profile_id, shift.date, shift.shift_type.key)
            if refusal is not None:
                raise RosterError(describe(refusal, instance))
            planned[(shift.id, change.add_profile_id)] = Assignment(
                duty_shift=shift,
                duty_shift_id=shift.id,
                profile_id=change.add_profile_id,
                date=shift.date,
                role=role or AssignmentRole.MEMBER,
            )
    after_plain = [
        plain.Assignment(a.profile_id, a.date, a.duty_shift.shift_type.key, a.role) for a in planned.values()
    ]
    # Only problems the change creates are refused; those already in the roster are not this request's doing.
    already = set(_keys(before))
    tolerated = {"under_headcount"} if allow_under_headcount else set()
    refused = [
        v for v in rules.check_roster(instance, after_plain) if _key(v) not in already and v.code not in tolerated
    ]
    if refused:
        # Said to whoever approves (a team lead records swaps): a protection period is not named (R-LAW-4).
        raise RosterError(law_refusal(refused[0], instance))
    version = RosterVersion.objects.create(roster=roster, created_by=_account(actor), kind=kind, reason=reason)
    Assignment.objects.bulk_create(
        Assignment(version=version, duty_shift_id=a.duty_shift_id, profile_id=a.profile_id, date=a.date, role=a.role)
        for a in planned.values()
    )
    return _publish(roster, version, actor=actor, kind=kind, reason=reason)


def _key(violation: plain.Violation) -> tuple:
    return violation.code, violation.date, violation.shift, violation.agent


def _keys(violations) -> list[tuple]:
    return [_key(v) for v in violations]


def _shift_words(shift: DutyShift) -> dict:
    return {"date": f"{shift.date:%m-%d}", "shift": shift.shift_type.name}


@transaction.atomic
def acknowledge_roster(version: RosterVersion, *, profile) -> bool:
    """The person confirms having seen the version; True if this is the first confirmation. Only the team's own
    duty staff confirm (roster.permissions.can_confirm, which the month page asks to show the button)."""
    if version.published_at is None:
        raise RosterError(_("Only a published roster can be confirmed."))
    if not can_confirm(profile, version.roster.team_id):
        raise RosterError(_("There is no published roster for you to confirm."))
    _acknowledgement, created = RosterAcknowledgement.objects.get_or_create(version=version, profile=profile)
    return created


# --- scheduled publication ----------------------------------------------------------------------------------


def publish_due_rosters(today: date) -> dict[str, str]:
    """The beat job: for each team whose publish deadline of next month is today, generate a draft if there is
    none and publish it when it breaks no hard rule; otherwise tell the supervisors what blocks it.

    Safe to run twice: a published roster is left alone, and publish_roster locks the roster row.
    Returns {team slug: outcome} for the log.
    """
    from dutydesk.models import Team

    month = next_month(today)
    outcomes = {}
    for team in Team.objects.all():
        settings = queries.settings_for(team)
        if rules.publish_deadline(month, settings.publish_days_ahead) != today:
            continue
        roster = prepare_month(team, month)
        if roster.published_version_id:
            outcomes[team.slug] = "already published"
            continue
        try:
            if queries.draft_of(roster) is None:
                generate_draft(roster, actor=None)
            # On the deadline the roster goes out (R-ROSTER-2); extra people the supervisor put on a shift are
            # allowed (R-ROSTER-5: the headcount is a minimum), so they do not hold it back.
            # R-CAL-1: on the deadline a month of a provisional year goes out too (the version records it); its
            # supervisors are told when the notice changes it (R-CAL-2).
            publish_roster(roster, actor=None, expected_revision=None, accept_warnings=True, accept_provisional=True)
            outcomes[team.slug] = "published"
        except RosterError as error:
            _notify_blocked(roster, str(error))
            outcomes[team.slug] = f"blocked: {error}"
    return outcomes


def _notify_blocked(roster: Roster, problem: str) -> None:
    month = f"{roster.month:%Y-%m}"
    notify(
        supervisors_of(roster.team),
        kind=NoticeKind.ROSTER_BLOCKED,
        url=_month_url(roster),
        dedupe_key=f"roster-blocked:{roster.id}:{timezone.localdate()}",
        subject=texts.BLOCKED(team=roster.team.name, month=month),
        body=problem,
    )
