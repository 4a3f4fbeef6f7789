"""Training (R-TRAIN-1): sessions planned with their invitees, who get a notice and a reminder; attendance per
person; and the training opportunity granted as the reward of R-APP-5.

Reminders: `send_reminders` claims due sessions with `SELECT ... FOR UPDATE SKIP LOCKED` and marks them reminded in
the same transaction as the notices (notify() is keyed per session), so two beat runs or two workers remind once.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.models import AgentScore, TeamAppraisalSettings
from dutydesk.audit.services import record, snapshot
from dutydesk.models import Profile, Role, Team
from dutydesk.notifications.models import NoticeKind
from dutydesk.notifications.services import notify
from dutydesk.queries import supervisors_of
from people import rules
from people.models import Attendance, TrainingInvitation, TrainingKind, TrainingReward, TrainingSession
from people.services import PeopleError

SESSION_FIELDS = ("topic", "kind", "provider", "trainer", "starts_at", "ends_at", "place", "link", "description")


def _when(session: TrainingSession) -> str:
    start = timezone.localtime(session.starts_at)
    return f"{start:%Y-%m-%d %H:%M}-{timezone.localtime(session.ends_at):%H:%M}"


def _where(session: TrainingSession) -> str:
    return " · ".join(filter(None, [session.place, session.link]))


def _check_values(values: dict, *, now: datetime) -> None:
    if values["ends_at"] <= values["starts_at"]:
        raise PeopleError(_("The session must end after it starts."))
    if values["kind"] == TrainingKind.EXTERNAL and not values.get("provider"):
        raise PeopleError(_("Name the provider of an external training."))
    if not values.get("place") and not values.get("link"):
        raise PeopleError(_("Give a place or an online link."))


def _invitees(team: Team, people, *, day: date) -> list[Profile]:
    # Read afresh: a form's choices may be older than a move or a leaving date recorded meanwhile.
    people = list(Profile.objects.filter(pk__in=[p.pk for p in people]).order_by("name"))
    for person in people:
        if person.team_id != team.pk or person.has_left(day):
            raise PeopleError(
                _("%(name)s is not a member of %(team)s on that day.") % {"name": person.name, "team": team.name}
            )
    return people


def _invite(session: TrainingSession, people: list[Profile]) -> list[Profile]:
    """Invitations for people not invited yet; their open training rewards are used by this session."""
    known = set(session.invitations.values_list("profile_id", flat=True))
    new = [p for p in people if p.pk not in known]
    TrainingInvitation.objects.bulk_create(
        [TrainingInvitation(session=session, profile=p) for p in new], ignore_conflicts=True
    )
    TrainingReward.objects.filter(profile__in=new, session__isnull=True).update(session=session)
    if new:
        notify(
            new,
            kind=NoticeKind.TRAINING,
            url=reverse("people:mine"),
            dedupe_key=f"people:training:{session.pk}:invited",
            subject=_("Training: %(topic)s, %(when)s") % {"topic": session.topic, "when": _when(session)},
            body=_("Trainer: %(trainer)s. Where: %(where)s.") % {"trainer": session.trainer, "where": _where(session)},
        )
    return new


@transaction.atomic
def plan_session(*, team: Team, actor: Profile, values: dict, invitees, now: datetime | None = None) -> TrainingSession:
    """A new session of the team with its invitees (R-TRAIN-1). Refused: a start in the past, an end before the
    start, an external training without provider, neither place nor link, an invitee outside the team.
    Side effects: each invitee is told (the bell, and e-mail unless turned off); their open rewards are used."""
    now = now or timezone.now()
    _check_values(values, now=now)
    if values["starts_at"] <= now:
        raise PeopleError(_("A session is planned ahead: its start is already past."))
    people = _invitees(team, invitees, day=timezone.localdate(values["starts_at"]))
    if not people:
        raise PeopleError(_("Invite at least one person."))
    session = TrainingSession.objects.create(
        team=team, created_by=actor, created_at=now, **{name: values.get(name, "") for name in SESSION_FIELDS}
    )
    _invite(session, people)
    return session


@transaction.atomic
def change_session(
    session: TrainingSession, *, actor: Profile, values: dict, invitees, now: datetime | None = None
) -> TrainingSession:
    """Change a session that has not started; new invitees are invited, and when the time or place changes every
    invitee is told (and the reminder goes again before the new time). People are not uninvited here: their
    attendance is recorded as excused instead."""
    now = now or timezone.now()
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled or session.starts_at <= now:
        raise PeopleError(_("This session has started or was cancelled; it cannot be changed."))
    _check_values(values, now=now)
    if values["starts_at"] <= now:
        raise PeopleError(_("A session is planned ahead: its start is already past."))
    moved = any(values.get(name, "") != getattr(session, name) for name in ("starts_at", "ends_at", "place", "link"))
    before = snapshot(session, SESSION_FIELDS)
    for name in SESSION_FIELDS:
        setattr(session, name, values.get(name, ""))
    if moved:
        session.reminded_at = None
    session.save()
    record(
        "people.training_change", actor=actor, target=session, before=before, after=snapshot(session, SESSION_FIELDS)
    )
    people = _invitees(session.team, invitees, day=timezone.localdate(session.starts_at))
    new = _invite(session, people)
    if moved:
        invited = Profile.objects.filter(training_invitations__session=session).exclude(pk__in=[p.pk for p in new])
        notify(
            invited,
            kind=NoticeKind.TRAINING,
            url=reverse("people:mine"),
            dedupe_key=f"people:training:{session.pk}:moved:{session.starts_at.isoformat()}:{_where(session)}"[:200],
            subject=_("Training changed: %(topic)s, now %(when)s") % {"topic": session.topic, "when": _when(session)},
            body=_("Where: %(where)s.") % {"where": _where(session)},
        )
    return session


@transaction.atomic
def cancel_session(session: TrainingSession, *, actor: Profile, now: datetime | None = None) -> TrainingSession:
    """Cancel a session that has not started; invitees are told and rewards it used are open again."""
    now = now or timezone.now()
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise PeopleError(_("This session was already cancelled."))
    if session.starts_at <= now:
        raise PeopleError(_("This session has started; record the attendance instead."))
    session.cancelled_at = now
    session.save(update_fields=["cancelled_at"])
    record("people.training_cancel", actor=actor, target=session)
    session.rewards.update(session=None)
    notify(
        Profile.objects.filter(training_invitations__session=session),
        kind=NoticeKind.TRAINING,
        url=reverse("people:mine"),
        dedupe_key=f"people:training:{session.pk}:cancelled",
        subject=_("Training cancelled: %(topic)s, %(when)s") % {"topic": session.topic, "when": _when(session)},
    )
    return session


@transaction.atomic
def record_attendance(
    session: TrainingSession, *, actor: Profile, marks: dict[int, str], now: datetime | None = None
) -> int:
    """Attendance per invitee (present, absent, excused), from the session's start on. `marks` maps profile ids of
    invitees to their attendance; anyone else is refused. Returns how many changed."""
    now = now or timezone.now()
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if session.is_cancelled:
        raise PeopleError(_("This session was cancelled."))
    if not rules.attendance_open(starts_at=session.starts_at, now=now):
        raise PeopleError(_("Attendance is recorded once the session has started."))
    invitations = {i.profile_id: i for i in session.invitations.select_for_update()}
    if set(marks) - set(invitations):
        raise PeopleError(_("Only invited people have an attendance; nothing was saved."))
    changed = []
    for profile_id, attendance in marks.items():
        if attendance not in Attendance.values:
            raise PeopleError(_("Unknown attendance; nothing was saved."))
        invitation = invitations[profile_id]
        if invitation.attendance != attendance:
            invitation.attendance, invitation.recorded_by, invitation.recorded_at = attendance, actor, now
            changed.append(invitation)
    TrainingInvitation.objects.bulk_update(changed, ["attendance", "recorded_by", "recorded_at"])
    return len(changed)


def send_reminders(*, now: datetime | None = None) -> int:
    """The beat job: the day-before reminder of every session starting within 24 hours, once. Returns the number
    of sessions reminded."""
    now = now or timezone.now()
    reminded = 0
    with transaction.atomic():
        due = list(
            TrainingSession.objects.select_for_update(skip_locked=True).filter(
                reminded_at__isnull=True,
                cancelled_at__isnull=True,
                starts_at__gt=now,
                starts_at__lte=now + rules.REMINDER_AHEAD,
            )
        )
        for session in due:
            if not rules.reminder_due(starts_at=session.starts_at, now=now, reminded=False, cancelled=False):
                continue
            people = Profile.objects.filter(training_invitations__session=session, user__is_active=True).filter(
                Q(left_on__isnull=True) | Q(left_on__gt=timezone.localdate(session.starts_at))
            )
            notify(
                people,
                kind=NoticeKind.TRAINING,
                url=reverse("people:mine"),
                dedupe_key=f"people:training:{session.pk}:reminder:{session.starts_at.isoformat()}",
                subject=_("Reminder: training %(topic)s, %(when)s") % {"topic": session.topic, "when": _when(session)},
                body=_("Where: %(where)s.") % {"where": _where(session)},
            )
            session.reminded_at = now
            session.save(update_fields=["reminded_at"])
            reminded += 1
    return reminded


# --- the reward of R-APP-5 --------------------------------------------------------------------------------------


@transaction.atomic
def grant_training_reward(
    *, team: Team, month: date, profile: Profile, actor: Profile, note: str = ""
) -> TrainingReward:
    """The manager grants a training opportunity as the extra reward for consecutive excellent months (R-APP-5),
    from the appraisal month. Refused: no score of the person in that month, too short a streak, or granted
    already (a double click, two managers at once). Side effects: the person and the supervisors are told; the
    opportunity appears in the person's training history until a session uses it."""
    if actor.role != Role.MANAGER:
        raise PeopleError(_("Rewards are decided by the manager."))
    score = AgentScore.objects.filter(
        appraisal__team=team, appraisal__month=month, appraisal__is_current=True, profile=profile
    ).first()
    if score is None:
        raise PeopleError(
            _("%(name)s has no appraisal in %(month)s.") % {"name": profile.name, "month": f"{month:%Y-%m}"}
        )
    settings = TeamAppraisalSettings.objects.filter(team=team).first() or TeamAppraisalSettings(team=team)
    refusal = rules.reward_refusal(excellent_streak=score.excellent_streak, reward_after=settings.reward_after_months)
    if refusal:
        raise PeopleError(refusal)
    try:
        with transaction.atomic():
            reward = TrainingReward.objects.create(
                profile=profile,
                team=team,
                month=month,
                excellent_months=score.excellent_streak,
                note=note.strip(),
                granted_by=actor,
            )
    except IntegrityError as error:
        raise PeopleError(
            _("A training opportunity for %(month)s was already granted to %(name)s.")
            % {"month": f"{month:%Y-%m}", "name": profile.name}
        ) from error
    notify(
        [profile],
        kind=NoticeKind.TRAINING,
        url=reverse("people:mine"),
        dedupe_key=f"people:reward:{reward.pk}:person",
        subject=_("You earned a training opportunity for %(count)d excellent months in a row")
        % {"count": reward.excellent_months},
        body=reward.note,
    )
    notify(
        supervisors_of(team),
        kind=NoticeKind.TRAINING,
        url=reverse("people:training", kwargs={"team": team.slug}),
        dedupe_key=f"people:reward:{reward.pk}:supervisors",
        subject=_("%(name)s earned a training opportunity: invite them to a session") % {"name": profile.name},
        body=reward.note,
    )
    return reward
