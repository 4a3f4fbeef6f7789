"""New hires (R-ROSTER-6): shadow shifts counted from the roster and the sign-ins, the lead asked for the check when
the team's number is reached, and the check itself: a pass makes the person qualified from the next roster (or the
current draft, if the supervisor chooses); a fail starts the shadowing again, so the generator plans more.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.models import Profile, Qualification, Role
from dutydesk.notifications.models import NoticeKind
from dutydesk.notifications.services import notify
from dutydesk.queries import leads_of, supervisors_of
from dutydesk.texts import Text
from logbook.models import Logbook
from people import permissions as perms
from people import rules, texts
from people.models import CheckResult, EventKind, QualificationCheck
from people.services import PeopleError
from people.services.common import event
from roster.models import AssignmentRole, Roster, TeamRosterSettings
from roster.queries import published_assignments

DEFAULT_SHADOW_SHIFTS = TeamRosterSettings._meta.get_field("shadow_shifts_required").default


def _shadow_assignments(profile_ids):
    # R-ROSTER-6: shadow shifts of the roster in force, counted again from a failed check.
    return (
        published_assignments()
        .filter(profile_id__in=list(profile_ids), role=AssignmentRole.SHADOW)
        .filter(Q(profile__shadowing_since__isnull=True) | Q(date__gte=F("profile__shadowing_since")))
    )


def shadow_shifts_done(profile_ids, *, now: datetime) -> dict[int, int]:
    """Shadow shifts over and signed in to (the logbook's sign-in), per person: one query for any number."""
    signed_in = Logbook.objects.filter(
        duty_shift=OuterRef("duty_shift"), profile=OuterRef("profile"), signed_in_at__isnull=False
    )
    rows = (
        _shadow_assignments(profile_ids)
        .filter(duty_shift__ends_at__lte=now)
        .filter(Exists(signed_in))
        .values("profile_id")
        .annotate(n=Count("id"))
        .values_list("profile_id", "n")
    )
    return dict(rows)


def shadow_shifts_planned(profile_ids, *, now: datetime) -> dict[int, int]:
    """Shadow shifts still ahead in the published rosters, per person."""
    rows = (
        _shadow_assignments(profile_ids)
        .filter(duty_shift__starts_at__gt=now)
        .values("profile_id")
        .annotate(n=Count("id"))
        .values_list("profile_id", "n")
    )
    return dict(rows)


def required_shadow_shifts(team_ids) -> dict[int, int]:
    """The team's number of shadow shifts before the check (a roster setting), default where none is saved."""
    saved = dict(
        TeamRosterSettings.objects.filter(team_id__in=list(team_ids)).values_list("team_id", "shadow_shifts_required")
    )
    return {team_id: saved.get(team_id, DEFAULT_SHADOW_SHIFTS) for team_id in team_ids}


def new_hires(*, today: date):
    return (
        Profile.objects.filter(
            role__in=[Role.AGENT, Role.LEAD], qualification=Qualification.NEW_HIRE, team__isnull=False
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .select_related("team")
    )


def ask_for_checks(*, now: datetime | None = None) -> int:
    """The hourly job: for every new hire who has done the team's number of shadow shifts, ask the team's leads
    (its supervisors if it has none) to record the check. Once per round of shadowing (notify's key), so it is
    safe to run again. Returns the number of people asked about."""
    now = now or timezone.now()
    hires = list(new_hires(today=timezone.localdate(now)))
    done = shadow_shifts_done([p.pk for p in hires], now=now)
    required = required_shadow_shifts({p.team_id for p in hires})
    asked = 0
    for profile in hires:
        if not rules.check_is_due(shadow_shifts_done=done.get(profile.pk, 0), required=required[profile.team_id]):
            continue
        askees = leads_of(profile.team) if leads_of(profile.team).exists() else supervisors_of(profile.team)
        since = profile.shadowing_since.isoformat() if profile.shadowing_since else "start"
        notify(
            askees,
            kind=NoticeKind.REQUEST_WAITING,
            url=reverse("people:new-hires", kwargs={"team": profile.team.slug}),
            dedupe_key=f"people:check-due:{profile.pk}:{since}",
            subject=texts.CHECK_DUE(name=profile.name, count=done[profile.pk]),
        )
        asked += 1
    return asked


def _rostered_months(team_id: int) -> set[date]:
    return set(Roster.objects.filter(team_id=team_id, versions__isnull=False).values_list("month", flat=True))


def _draft_months(team_id: int) -> list[date]:
    return list(
        Roster.objects.filter(team_id=team_id, versions__published_at__isnull=True).values_list("month", flat=True)
    )


@transaction.atomic
def record_check(
    *,
    profile: Profile,
    actor: Profile,
    result: str,
    day: date,
    examiner: Profile,
    note: str = "",
    now: datetime | None = None,
) -> QualificationCheck:
    """The lead records the qualification check of a new hire (R-ROSTER-6).

    Pass: refused before the team's number of shadow shifts is done; the person is qualified from the next roster
    month that has no roster yet. Fail: shadowing starts again from the next day, so the generator plans more
    shadow shifts. Refused as well: a person already qualified (someone else was faster), a date ahead, an
    examiner who is not a lead or supervisor of the team. Side effects: an audit row; the person and the
    supervisors are told.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    profile = Profile.objects.select_for_update(of=("self",)).select_related("team").get(pk=profile.pk)
    if profile.qualification != Qualification.NEW_HIRE:
        raise PeopleError(_("%(name)s is already qualified; nothing was recorded.") % {"name": profile.name})
    if profile.has_left(today):
        raise PeopleError(_("%(name)s has left; nothing was recorded.") % {"name": profile.name})
    if day > today:
        raise PeopleError(_("The date of the check cannot be in the future."))
    if profile.hire_date and day < profile.hire_date:
        raise PeopleError(_("The date of the check is before the hire date."))
    if not perms.may_examine(actor, profile.team_id):
        raise PeopleError(_("Only a team lead or supervisor of the team records the check."))
    if not perms.may_examine(examiner, profile.team_id):
        raise PeopleError(_("The examiner must be a team lead or supervisor of the team."))
    done = shadow_shifts_done([profile.pk], now=now).get(profile.pk, 0)
    check = QualificationCheck(
        profile=profile,
        team=profile.team,
        result=result,
        date=day,
        examiner=examiner,
        note=note.strip(),
        shadow_shifts=done,
        recorded_by=actor,
        recorded_at=now,
    )
    url = reverse("people:new-hires", kwargs={"team": profile.team.slug})
    if result == CheckResult.PASSED:
        refusal = rules.pass_refusal(
            shadow_shifts_done=done, required=required_shadow_shifts([profile.team_id])[profile.team_id]
        )
        if refusal:
            raise PeopleError(refusal)
        check.qualified_from = rules.qualified_from(today, _rostered_months(profile.team_id))
        profile.qualification, profile.qualified_on = Qualification.QUALIFIED, check.qualified_from
        profile.save(update_fields=["qualification", "qualified_on"])
        told_person = texts.CHECK_PASSED(month=f"{check.qualified_from:%Y-%m}")
        draft = rules.draft_month_before(check.qualified_from, _draft_months(profile.team_id), today)
        told_supervisors = texts.CHECK_PASSED_SUPERVISORS(name=profile.name, month=f"{check.qualified_from:%Y-%m}")
        body = texts.CHECK_DRAFT(month=f"{draft:%Y-%m}") if draft else ""
    else:
        profile.shadowing_since = rules.shadowing_restarts(day)
        profile.save(update_fields=["shadowing_since"])
        told_person = texts.CHECK_FAILED()
        told_supervisors = texts.CHECK_FAILED_SUPERVISORS(name=profile.name)
        body = check.note
    try:
        with transaction.atomic():
            check.save()
    except IntegrityError as error:  # two leads recording a pass at the same moment
        raise PeopleError(_("%(name)s is already qualified; nothing was recorded.") % {"name": profile.name}) from error
    event(
        profile,
        EventKind.QUALIFICATION,
        actor=actor,
        note=texts.CHECK_EVENT(result=Text(f"people.check.result.{check.result}"), date=f"{day:%Y-%m-%d}"),
    )
    notify(
        [profile],
        kind=NoticeKind.REQUEST_DECIDED,
        url=reverse("people:mine"),
        dedupe_key=f"people:check:{check.pk}:person",
        subject=told_person,
        body=check.note,
    )
    notify(
        supervisors_of(profile.team).exclude(pk=actor.pk),
        kind=NoticeKind.REQUEST_DECIDED,
        url=url,
        dedupe_key=f"people:check:{check.pk}:supervisors",
        subject=told_supervisors,
        body=body,
    )
    return check


@transaction.atomic
def count_in_draft(check: QualificationCheck, *, actor: Profile, today: date | None = None) -> date:
    """The supervisor lets a pass count in the current draft too (the month before the one it counts from).
    Returns that month; refused when there is no such draft or the pass already counts there."""
    if not perms.may_count_in_draft(actor):
        raise PeopleError(_("Only a supervisor lets a pass count in the roster draft."))
    today = today or timezone.localdate()
    profile = Profile.objects.select_for_update(of=("self",)).get(pk=check.profile_id)
    check = QualificationCheck.objects.select_for_update().get(pk=check.pk)
    if check.result != CheckResult.PASSED or profile.qualified_on != check.qualified_from:
        raise PeopleError(
            _("This check does not decide when %(name)s is qualified; nothing changed.") % {"name": profile.name}
        )
    month = rules.draft_month_before(check.qualified_from, _draft_months(check.team_id), today)
    if month is None:
        raise PeopleError(
            _("There is no roster draft before %(month)s to count %(name)s in; nothing changed.")
            % {"month": f"{check.qualified_from:%Y-%m}", "name": profile.name}
        )
    check.qualified_from = profile.qualified_on = month
    check.save(update_fields=["qualified_from"])
    profile.save(update_fields=["qualified_on"])
    event(
        profile,
        EventKind.QUALIFICATION,
        actor=actor,
        note=texts.COUNTS_IN_DRAFT(month=f"{month:%Y-%m}"),
    )
    return month
