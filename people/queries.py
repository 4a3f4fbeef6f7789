"""Reads of the people pages, each in a fixed number of queries whatever the number of people, sessions or days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from dutydesk.models import Profile, ProtectionPeriod, Qualification, Role, Skill
from people import rules
from people.models import (
    Attendance,
    PeopleImport,
    PersonEvent,
    QualificationCheck,
    SupportContact,
    TrainingInvitation,
    TrainingReward,
    TrainingSession,
)
from people.services import qualification
from roster.models import Assignment, Roster

DUTY_ROLES = (Role.AGENT, Role.LEAD)
ACTIVE, LEFT, ALL = "active", "left", "all"


def _flagged() -> Exists:
    """Holds a shift of a published roster on or after the date they leave."""
    return Exists(
        Assignment.objects.filter(
            profile=OuterRef("pk"), version=F("version__roster__published_version"), date__gte=OuterRef("left_on")
        )
    )


def members(team, *, search: str = "", status: str = ACTIVE, today: date | None = None) -> QuerySet[Profile]:
    """The team's people for the members page, searched by name, employee number or phone."""
    today = today or timezone.localdate()
    people = (
        Profile.objects.filter(team=team)
        .select_related("user")
        .prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("name")))
        .annotate(flagged=_flagged())
    )
    if status == ACTIVE:
        people = people.filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
    elif status == LEFT:
        people = people.filter(left_on__lte=today)
    if search:
        people = people.filter(
            Q(name__icontains=search)
            | Q(employee_number__icontains=search)
            | Q(phone__icontains=search)
            | Q(user__email__icontains=search)
        )
    return people.order_by("role", "name", "pk")


def person_of_team(team, pk: int) -> Profile | None:
    return Profile.objects.filter(team=team, pk=pk).select_related("user", "team").first()


@dataclass
class HistoryLine:
    session: TrainingSession | None
    attendance: str
    attendance_label: str
    reward: TrainingReward | None
    when: datetime


def training_history(profile: Profile) -> list[HistoryLine]:
    """Sessions the person was invited to (with attendance) and training opportunities granted, newest first."""
    lines = [
        HistoryLine(i.session, i.attendance, i.get_attendance_display(), None, i.session.starts_at)
        for i in TrainingInvitation.objects.filter(profile=profile).select_related("session")
    ]
    for reward in TrainingReward.objects.filter(profile=profile).select_related("session", "granted_by"):
        lines.append(HistoryLine(None, "", "", reward, reward.granted_at))
    return sorted(lines, key=lambda line: line.when, reverse=True)


def person_page(profile: Profile, *, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate(now)
    from people.services.members import leaver_shifts, needs_activation

    return {
        "events": list(PersonEvent.objects.filter(profile=profile).select_related("actor")[:30]),
        "checks": list(QualificationCheck.objects.filter(profile=profile).select_related("examiner", "recorded_by")),
        "history": training_history(profile),
        "flagged": leaver_shifts(profile),
        "needs_activation": needs_activation(profile.user),
        "has_left": profile.has_left(today),
        "shadow_done": qualification.shadow_shifts_done([profile.pk], now=now).get(profile.pk, 0),
        "shadow_required": qualification.required_shadow_shifts([profile.team_id])[profile.team_id]
        if profile.team_id
        else 0,
        "protections": protection_periods(profile),
    }


def protection_periods(profile: Profile) -> list:
    """The person's protection periods (R-LAW-4), latest first: for the person, their supervisors and managers."""
    return list(ProtectionPeriod.objects.filter(profile=profile).select_related("recorded_by").order_by("-starts_on"))


def matrix_people(team, *, search: str = "", today: date | None = None) -> QuerySet[Profile]:
    """Duty staff of the team who have not left, for the skills matrix (skills prefetched once)."""
    today = today or timezone.localdate()
    people = (
        Profile.objects.filter(team=team, role__in=DUTY_ROLES)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .prefetch_related("skills")
        .order_by("name", "pk")
    )
    if search:
        people = people.filter(Q(name__icontains=search) | Q(employee_number__icontains=search))
    return people


def company_skills() -> list[Skill]:
    return list(Skill.objects.order_by("name"))


def recent_imports(team, *, limit: int = 10) -> list[PeopleImport]:
    return list(PeopleImport.objects.filter(team=team).select_related("imported_by")[:limit])


def skills_with_use() -> QuerySet[Skill]:
    return Skill.objects.annotate(
        holder_count=Count("holders", distinct=True),
        shift_count=Count("shifttype", distinct=True),
    ).order_by("name")


@dataclass
class NewHire:
    profile: Profile
    done: int
    planned: int
    required: int
    ready: bool
    last_check: QualificationCheck | None


def new_hires(team, *, now: datetime | None = None) -> list[NewHire]:
    """The team's new hires with their shadow shifts done (signed in), still planned, and the number needed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    hires = list(qualification.new_hires(today=today).filter(team=team).order_by("hire_date", "name"))
    ids = [p.pk for p in hires]
    done = qualification.shadow_shifts_done(ids, now=now)
    planned = qualification.shadow_shifts_planned(ids, now=now)
    required = qualification.required_shadow_shifts([team.pk])[team.pk]
    last: dict[int, QualificationCheck] = {}
    for check in QualificationCheck.objects.filter(profile__in=ids).order_by("date", "pk"):
        last[check.profile_id] = check
    return [
        NewHire(
            p,
            done.get(p.pk, 0),
            planned.get(p.pk, 0),
            required,
            rules.check_is_due(shadow_shifts_done=done.get(p.pk, 0), required=required),
            last.get(p.pk),
        )
        for p in hires
    ]


def recent_checks(team, *, today: date | None = None) -> QuerySet[QualificationCheck]:
    return (
        QualificationCheck.objects.filter(team=team)
        .select_related("profile", "examiner", "recorded_by")
        .order_by("-date", "-pk")
    )


def draft_months(team) -> list[date]:
    return list(Roster.objects.filter(team=team, versions__published_at__isnull=True).values_list("month", flat=True))


def examiners(team) -> QuerySet[Profile]:
    """Who may examine a new hire of the team: its leads and supervisors still there."""
    return (
        Profile.objects.filter(role__in=[Role.LEAD, Role.SUPERVISOR], user__is_active=True)
        .filter(Q(team=team) | Q(oversees=team))
        .distinct()
        .order_by("role", "name")
    )


# --- training -------------------------------------------------------------------------------------------------


def _with_counts(sessions: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    return sessions.annotate(
        invited=Count("invitations", distinct=True),
        present=Count("invitations", filter=Q(invitations__attendance=Attendance.PRESENT), distinct=True),
        absent=Count("invitations", filter=Q(invitations__attendance=Attendance.ABSENT), distinct=True),
        excused=Count("invitations", filter=Q(invitations__attendance=Attendance.EXCUSED), distinct=True),
    )


def sessions_of(team, *, when: str = "upcoming", now: datetime | None = None) -> QuerySet[TrainingSession]:
    now = now or timezone.now()
    sessions = _with_counts(TrainingSession.objects.filter(team=team))
    if when == "upcoming":
        return sessions.filter(ends_at__gt=now).order_by("starts_at", "pk")
    return sessions.filter(ends_at__lte=now).order_by("-starts_at", "-pk")


def session_of_team(team, pk: int) -> TrainingSession | None:
    return TrainingSession.objects.filter(team=team, pk=pk).select_related("created_by").first()


def invitations_of(session: TrainingSession) -> list[TrainingInvitation]:
    return list(session.invitations.select_related("profile", "recorded_by").order_by("profile__name"))


def invitable(team, *, day: date) -> QuerySet[Profile]:
    """Who can be invited to a team's session on `day`: its people who have not left by then."""
    return (
        Profile.objects.filter(team=team, user__is_active=True)
        .exclude(role=Role.MANAGER)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .annotate(open_rewards=Count("training_rewards", filter=Q(training_rewards__session__isnull=True)))
        .order_by("role", "name")
    )


def open_rewards(team) -> QuerySet[TrainingReward]:
    return TrainingReward.objects.filter(team=team, session__isnull=True).select_related("profile", "granted_by")


def my_invitations(profile: Profile, *, now: datetime | None = None) -> list[TrainingInvitation]:
    now = now or timezone.now()
    return list(
        TrainingInvitation.objects.filter(profile=profile, session__ends_at__gt=now, session__cancelled_at__isnull=True)
        .select_related("session")
        .order_by("session__starts_at")
    )


def training_overview(teams, *, search: str = "", since: date | None = None) -> QuerySet[Profile]:
    """The manager's view: every person of the teams with their training of the last 12 months (invited, present,
    absent, excused) and the opportunities granted; one query per page whatever the number of people."""
    since = since or (timezone.localdate() - timedelta(days=365))
    in_window = Q(
        training_invitations__session__starts_at__date__gte=since,
        training_invitations__session__cancelled_at__isnull=True,
    )
    people = (
        Profile.objects.filter(team__in=teams, role__in=DUTY_ROLES)
        .select_related("team")
        .annotate(
            invited=Count("training_invitations", filter=in_window, distinct=True),
            present=Count(
                "training_invitations",
                distinct=True,
                filter=in_window & Q(training_invitations__attendance=Attendance.PRESENT),
            ),
            absent=Count(
                "training_invitations",
                distinct=True,
                filter=in_window & Q(training_invitations__attendance=Attendance.ABSENT),
            ),
            excused=Count(
                "training_invitations",
                distinct=True,
                filter=in_window & Q(training_invitations__attendance=Attendance.EXCUSED),
            ),
            rewards=Count("training_rewards", distinct=True),
        )
        .order_by("team__name", "name", "pk")
    )
    if search:
        people = people.filter(Q(name__icontains=search) | Q(employee_number__icontains=search))
    return people


def leavers_shifts_ahead(profile: Profile, *, today: date, limit: int = 10) -> list[Assignment]:
    """Published shifts from today held by people who will have left by then, in the teams a supervisor oversees."""
    teams = Q(version__roster__team=profile.team_id) | Q(version__roster__team__in=profile.oversees.all())
    return list(
        Assignment.objects.filter(
            teams, version=F("version__roster__published_version"), date__gte=today, profile__left_on__isnull=False
        )
        .filter(date__gte=F("profile__left_on"))
        .select_related("profile", "duty_shift__shift_type", "version__roster__team")
        .order_by("date", "duty_shift__starts_at")[:limit]
    )


def support_directory(team) -> list[SupportContact]:
    return list(SupportContact.objects.filter(team=team).order_by("order", "kind", "name"))


def new_hire_count(team) -> int:
    return Profile.objects.filter(team=team, qualification=Qualification.NEW_HIRE, role__in=DUTY_ROLES).count()
