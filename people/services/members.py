"""A team's people: add, change, move, mark as left (and withdraw it), skills, the company's skills, activation.

Nobody types or sees another person's password: a new account has none, and its owner sets it through a one-time
activation link (Django's token machinery: the link stops working once the password is set).
"""

from __future__ import annotations

import hashlib
from datetime import date

from celery import current_app
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dutydesk.audit.services import record, snapshot
from dutydesk.models import Profile, Qualification, Role, Skill, Team
from dutydesk.notifications.models import NoticeKind
from dutydesk.notifications.services import notify
from dutydesk.queries import supervisors_of
from people.models import EventKind
from people.services import PeopleError
from people.services.common import event
from roster.models import Assignment, ShiftType

DUTY_ROLES = (Role.AGENT, Role.LEAD)
SEND_ACTIVATION_TASK = "people.tasks.task_send_activation"  # people/tasks.py
# The fields a supervisor edits on the person form (the e-mail lives on the account).
EDITED = ("name", "employee_number", "role", "hire_date", "phone", "wecom_id", "dingtalk_id", "feishu_id")


def stamp(profile: Profile) -> str:
    """A short fingerprint of what the person form shows: a form carries it, so that a change made by someone
    else meanwhile is noticed instead of overwritten (two supervisors at once, a stale tab)."""
    values = [str(getattr(profile, name)) for name in EDITED] + [
        profile.user.email,
        str(profile.team_id),
        str(profile.left_on),
        str(profile.qualification),
    ]
    return hashlib.sha256("|".join(values).encode()).hexdigest()[:16]


def _locked(profile: Profile) -> Profile:
    return Profile.objects.select_for_update(of=("self",)).select_related("user", "team").get(pk=profile.pk)


def _check_stamp(profile: Profile, expected: str | None) -> None:
    if expected is not None and stamp(profile) != expected:
        raise PeopleError(
            _("Someone else changed %(name)s meanwhile; nothing was saved. Here is the person as it is now.")
            % {"name": profile.name}
        )


# --- add and change -------------------------------------------------------------------------------------------


@transaction.atomic
def add_person(
    *,
    team: Team,
    actor: Profile | None,
    name: str,
    employee_number: str,
    role: str = Role.AGENT,
    email: str = "",
    phone: str = "",
    hire_date: date | None = None,
    qualified: bool = True,
    skills=(),
    wecom_id: str = "",
    dingtalk_id: str = "",
    feishu_id: str = "",
    base_url: str | None = None,
    kind: str = EventKind.ADDED,
) -> Profile:
    """A new member of `team` with an account that has no password yet (its login name is the employee number).

    Refused: an employee number or login name already used. Side effects: an audit row; after commit, the
    activation link is e-mailed if the person has an address and the site's address (`base_url`) is known (the
    supervisor sees the link on the person's page either way).
    """
    if role not in DUTY_ROLES:
        raise PeopleError(_("Only agents and team leads are added here."))
    if Profile.objects.filter(employee_number=employee_number).exists():
        raise PeopleError(
            _("Employee number %(number)s is already used; nothing was saved.") % {"number": employee_number}
        )
    if User.objects.filter(username__iexact=employee_number).exists():
        raise PeopleError(
            _("The login name %(number)s is already used by another account.") % {"number": employee_number}
        )
    try:
        with transaction.atomic():
            user = User(username=employee_number, email=email)
            user.set_unusable_password()
            user.save()
            profile = Profile.objects.create(
                user=user,
                team=team,
                name=name,
                role=role,
                employee_number=employee_number,
                phone=phone,
                hire_date=hire_date,
                wecom_id=wecom_id,
                dingtalk_id=dingtalk_id,
                feishu_id=feishu_id,
                qualification=Qualification.QUALIFIED if qualified else Qualification.NEW_HIRE,
            )
    except IntegrityError as error:  # the same person added twice at the same moment
        raise PeopleError(
            _("Employee number %(number)s is already used; nothing was saved.") % {"number": employee_number}
        ) from error
    profile.skills.set(skills)
    event(profile, kind, actor=actor, note=team.name)
    if email and base_url:
        queue_activation_email(profile, base_url=base_url)
    return profile


@transaction.atomic
def update_person(
    profile: Profile, *, actor: Profile, values: dict, skills=None, expected_stamp: str | None = None
) -> list[str]:
    """Change what the person form shows (not the team: see move_person; not leaving: see mark_left); returns the
    names of the changed fields. Refused when someone else changed the person since the form was shown, or when
    the employee number is used by someone else."""
    profile = _locked(profile)
    _check_stamp(profile, expected_stamp)
    before = {name: _plain(getattr(profile, name)) for name in EDITED if hasattr(profile, name)}
    before_skills = sorted(profile.skills.values_list("name", flat=True)) if skills is not None else None
    old_email = profile.user.email
    changed = []
    for name in EDITED:
        if name in values and getattr(profile, name) != values[name]:
            if name == "role" and (profile.role not in DUTY_ROLES or values[name] not in DUTY_ROLES):
                raise PeopleError(_("Only agents and team leads are changed here."))
            setattr(profile, name, values[name])
            changed.append(name)
    number = profile.employee_number
    if (
        "employee_number" in changed
        and number
        and Profile.objects.filter(employee_number=number).exclude(pk=profile.pk).exists()
    ):
        raise PeopleError(_("Employee number %(number)s is already used; nothing was saved.") % {"number": number})
    if changed:
        profile.save(update_fields=changed)
    if "email" in values and profile.user.email != values["email"]:
        profile.user.email = values["email"]
        profile.user.save(update_fields=["email"])
        changed.append("email")
    if skills is not None and set(profile.skills.all()) != set(skills):
        profile.skills.set(skills)
        changed.append("skills")
    if changed:
        after = {name: _plain(getattr(profile, name)) for name in before}
        before, after = {**before, "email": old_email}, {**after, "email": profile.user.email}
        if before_skills is not None:
            before["skills"], after["skills"] = before_skills, sorted(s.name for s in skills)
        event(profile, EventKind.CHANGED, actor=actor, note=", ".join(changed), before=before, after=after)
    return changed


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def future_shifts(profile: Profile, *, today: date, team_id: int | None = None):
    """The person's shifts from `today` in the published version in force or the draft of their team's rosters."""
    return Assignment.objects.filter(
        Q(version=F("version__roster__published_version")) | Q(version__published_at__isnull=True),
        profile=profile,
        date__gte=today,
        version__roster__team_id=team_id or profile.team_id,
    )


@transaction.atomic
def move_person(profile: Profile, *, actor: Profile, to_team: Team, today: date | None = None) -> Profile:
    """Move an agent or team lead to another team. Refused while they hold shifts from today in the old team's
    rosters (published or draft): those are revised first, so that no shift is left under headcount silently."""
    today = today or timezone.localdate()
    profile = _locked(profile)
    if profile.role not in DUTY_ROLES:
        raise PeopleError(_("Only agents and team leads are moved here."))
    if profile.team_id == to_team.pk:
        raise PeopleError(_("%(name)s is already in %(team)s.") % {"name": profile.name, "team": to_team.name})
    held = future_shifts(profile, today=today).order_by("date").first()
    if held is not None:
        raise PeopleError(
            _("%(name)s holds shifts in %(team)s from %(date)s on; give them to someone else in the roster first.")
            % {"name": profile.name, "team": profile.team.name, "date": f"{held.date:%Y-%m-%d}"}
        )
    old = profile.team
    profile.team = to_team
    profile.save(update_fields=["team"])
    event(profile, EventKind.MOVED, actor=actor, note=f"{old.name} → {to_team.name}")
    return profile


# --- leavers ----------------------------------------------------------------------------------------------------


def leaver_shifts(profile: Profile) -> list[Assignment]:
    """Published shifts the person holds on or after the date they leave: flagged for a revision."""
    if profile.left_on is None:
        return []
    return list(
        Assignment.objects.filter(
            version=F("version__roster__published_version"), profile=profile, date__gte=profile.left_on
        )
        .select_related("duty_shift__shift_type", "version__roster__team")
        .order_by("date")
    )


@transaction.atomic
def mark_left(
    profile: Profile, *, actor: Profile | None, left_on: date, today: date | None = None, note: str = ""
) -> list[Assignment]:
    """The person leaves from `left_on`: from that date they are not offered for drafts, swaps or substitutes, and
    their account closes (at once for a date today or past; else the daily job closes it). Their history,
    logbooks and scores stay.

    Returns the shifts they hold in published rosters from that date, which are flagged for a revision; the
    team's supervisors are told about them.
    """
    today = today or timezone.localdate()
    profile = _locked(profile)
    if profile.hire_date and left_on < profile.hire_date:
        raise PeopleError(
            _("The leaving date is before the hire date (%(date)s).") % {"date": f"{profile.hire_date:%Y-%m-%d}"}
        )
    if profile.left_on == left_on:
        raise PeopleError(
            _("%(name)s is already marked as leaving on %(date)s; nothing changed.")
            % {"name": profile.name, "date": f"{left_on:%Y-%m-%d}"}
        )
    return _set_left(profile, left_on=left_on, actor=actor, today=today, note=note)


def _set_left(profile: Profile, *, left_on: date, actor: Profile | None, today: date, note: str = "") -> list:
    profile.left_on = left_on
    profile.save(update_fields=["left_on"])
    if left_on <= today and profile.user.is_active:
        profile.user.is_active = False
        profile.user.save(update_fields=["is_active"])
    event(profile, EventKind.LEFT, actor=actor, note=" ".join(filter(None, [f"{left_on:%Y-%m-%d}", note])))
    flagged = leaver_shifts(profile)
    if flagged and profile.team_id:
        months = sorted({a.date.replace(day=1) for a in flagged})
        notify(
            supervisors_of(profile.team).exclude(pk=getattr(actor, "pk", None)),
            kind=NoticeKind.REQUEST_WAITING,
            url=reverse("roster:month", kwargs={"team": profile.team.slug, "month": months[0]}),
            dedupe_key=f"people:left:{profile.pk}:{left_on.isoformat()}",
            subject=_("%(name)s leaves on %(date)s and holds %(count)d shift(s) after it: revise the roster")
            % {"name": profile.name, "date": f"{left_on:%Y-%m-%d}", "count": len(flagged)},
            body="、".join(f"{a.date:%m-%d} {a.duty_shift.shift_type.name}" for a in flagged),
        )
    return flagged


@transaction.atomic
def withdraw_leaving(profile: Profile, *, actor: Profile) -> Profile:
    """The person stays after all (or comes back): on duty again and the account open."""
    profile = _locked(profile)
    if profile.left_on is None:
        raise PeopleError(_("%(name)s is not marked as leaving; nothing changed.") % {"name": profile.name})
    profile.left_on = None
    profile.save(update_fields=["left_on"])
    if not profile.user.is_active:
        profile.user.is_active = True
        profile.user.save(update_fields=["is_active"])
    event(profile, EventKind.RETURNED, actor=actor)
    return profile


def close_left_accounts(*, today: date | None = None) -> int:
    """The daily job: close the accounts of people whose leaving date has come. Safe to run twice."""
    today = today or timezone.localdate()
    return User.objects.filter(profile__left_on__lte=today, is_active=True).update(is_active=False)


# --- skills -----------------------------------------------------------------------------------------------------


def set_skill(profile: Profile, skill: Skill, *, actor: Profile, held: bool) -> bool:
    """Give or take one skill (the skills matrix). The wanted state is sent, not a flip, so that a double click or
    two supervisors at once end in the state chosen. Returns True if anything changed."""
    through = Profile.skills.through
    with transaction.atomic():
        if held:
            _row, created = through.objects.get_or_create(profile_id=profile.pk, skill_id=skill.pk)
            changed = created
        else:
            changed = through.objects.filter(profile_id=profile.pk, skill_id=skill.pk).delete()[0] > 0
        if changed:
            event(profile, EventKind.SKILLS, actor=actor, note=("+" if held else "−") + skill.name)
    return changed


@transaction.atomic
def add_skill(*, actor: Profile, name: str, code: str = "") -> Skill:
    """A new skill of the company. Its code (what rosters work with) is made from the name if not given."""
    name = name.strip()
    code = code.strip() or slugify(name) or f"skill-{Skill.objects.count() + 1}"
    if Skill.objects.filter(name__iexact=name).exists():
        raise PeopleError(_("There is already a skill named %(name)s.") % {"name": name})
    while not code or Skill.objects.filter(code=code).exists():
        code = f"{code}-{Skill.objects.count() + 1}"
    try:
        with transaction.atomic():
            skill = Skill.objects.create(code=code, name=name)
    except IntegrityError as error:
        raise PeopleError(_("There is already a skill named %(name)s.") % {"name": name}) from error
    record("people.skill_add", actor=actor, target=skill, after=snapshot(skill))
    return skill


@transaction.atomic
def rename_skill(skill: Skill, *, actor: Profile, name: str) -> Skill:
    name = name.strip()
    if Skill.objects.filter(name__iexact=name).exclude(pk=skill.pk).exists():
        raise PeopleError(_("There is already a skill named %(name)s.") % {"name": name})
    before = snapshot(skill)
    skill.name = name
    skill.save(update_fields=["name"])
    record("people.skill_rename", actor=actor, target=skill, before=before, after=snapshot(skill))
    return skill


@transaction.atomic
def remove_skill(skill: Skill, *, actor: Profile) -> None:
    """Only a skill nobody holds and no shift requires can go; otherwise say who still uses it."""
    skill = Skill.objects.select_for_update().get(pk=skill.pk)
    holders = skill.holders.count()
    shifts = ShiftType.objects.filter(required_skills=skill).count()
    if holders or shifts:
        raise PeopleError(
            _("%(name)s is held by %(holders)d person(s) and required by %(shifts)d shift(s); it was not removed.")
            % {"name": skill.name, "holders": holders, "shifts": shifts}
        )
    record("people.skill_remove", actor=actor, target=skill, before=snapshot(skill))
    skill.delete()


# --- activation -------------------------------------------------------------------------------------------------


def needs_activation(user: User) -> bool:
    """An account whose owner has not set a password yet."""
    return user.is_active and not user.has_usable_password()


def activation_path(user: User) -> str:
    """The one-time activation address (Django's token: valid until the password is set, or PASSWORD_RESET_TIMEOUT
    has passed)."""
    return reverse(
        "people:activate",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def queue_activation_email(profile: Profile, *, base_url: str | None) -> None:
    """After commit, the worker e-mails the link; the task carries ids only, and the token is made when sending.
    Queued by name: people.tasks imports this module, so importing it here would close a circle."""
    transaction.on_commit(
        lambda: current_app.send_task(
            SEND_ACTIVATION_TASK, kwargs={"profile_id": profile.pk, "base_url": base_url or ""}
        ),
        robust=True,
    )


def send_activation_email(profile: Profile, *, base_url: str) -> bool:
    """E-mail the activation link to the person. Not a notice through notify(): the link sets a password, so it is
    kept neither in the bell nor in the outbox. The supervisor's copy on the person's page is the fallback if the
    mail is lost. Returns False when there is nothing to send (no address, or already activated)."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import translation

    user = profile.user
    if not user.email or not needs_activation(user):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        link = base_url.rstrip("/") + activation_path(user)
        send_mail(
            _("Your dutydesk account: set your password"),
            _(
                "Hello %(name)s,\n\nyour team's duty desk has an account for you (login name: %(login)s). Open this "
                "link to set your password; it works once:\n\n%(link)s\n"
            )
            % {"name": profile.name, "login": user.username, "link": link},
            None,
            [user.email],
        )
    return True
