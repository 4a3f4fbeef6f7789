"""Importing people from the file HR exports (Excel or CSV), through `dutydesk.spreadsheets.read_table`.

`preview_people` reads and checks without writing. `import_people` checks again inside one transaction, with the
people it names locked, and writes only if every row is good: a bad row anywhere means nothing is imported. The
same file again changes nothing (each row is compared with the person as they are); a changed row updates that
person. The web page and `manage.py import_people` call the same two functions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.audit import rules as refs
from dutydesk.audit.services import record
from dutydesk.models import Profile, Qualification, Skill, Team
from dutydesk.spreadsheets import read_table
from dutydesk.texts import stored
from people import rules, texts
from people.models import EventKind, PeopleImport, PersonEvent
from people.services import PeopleError
from people.services.common import event
from people.services.members import _set_left, queue_activation_email
from roster.models import Assignment

MAX_PEOPLE = 2000


def person_of(profile: Profile) -> rules.Person:
    """A profile as the plain values an import row is compared with."""
    return rules.Person(
        employee_number=profile.employee_number,
        name=profile.name,
        team=profile.team.slug if profile.team else "",
        role=profile.role,
        skills=frozenset(s.code for s in profile.skills.all()),
        hire_date=profile.hire_date,
        phone=profile.phone,
        email=profile.user.email.lower(),
        wecom_id=profile.wecom_id,
        dingtalk_id=profile.dingtalk_id,
        feishu_id=profile.feishu_id,
        left_on=profile.left_on,
        qualified=profile.is_qualified,
    )


def _lookups(
    *, teams: list[Team], default_team: Team | None, numbers: set[str], today: date, lock: bool = False
) -> rules.Lookups:
    """What the rows are checked against, in a fixed number of queries whatever the file's length."""
    team_keys: dict[str, str] = {}
    for team in teams:
        team_keys[rules._key(team.slug)] = team.slug
        team_keys[rules._key(team.name)] = team.slug
    skill_keys: dict[str, str] = {}
    for code, name in Skill.objects.values_list("code", "name"):
        skill_keys.setdefault(rules._key(code), code)
        skill_keys[rules._key(name)] = code
    profiles = Profile.objects.filter(employee_number__in=numbers).select_related("user", "team")
    if lock:
        profiles = profiles.select_for_update(of=("self",))
    team_ids = {team.pk for team in teams}
    existing, elsewhere = {}, set()
    for profile in profiles.prefetch_related("skills"):
        if profile.team_id in team_ids:
            existing[profile.employee_number] = person_of(profile)
        else:
            elsewhere.add(profile.employee_number)
    lowered = [n.lower() for n in numbers]
    taken = set(
        User.objects.annotate(login=Lower("username"))
        .filter(login__in=lowered)
        .exclude(profile__employee_number__in=numbers)
        .values_list("login", flat=True)
    )
    busy = set(
        Assignment.objects.filter(
            Q(version=F("version__roster__published_version")) | Q(version__published_at__isnull=True),
            profile__employee_number__in=numbers,
            date__gte=today,
            version__roster__team=F("profile__team"),
        ).values_list("profile__employee_number", flat=True)
    )
    return rules.Lookups(
        teams=team_keys,
        skills=skill_keys,
        default_team=default_team.slug if default_team else None,
        existing=existing,
        elsewhere=frozenset(elsewhere),
        taken_usernames=frozenset(taken),
        busy=frozenset(busy),
    )


@dataclass
class Checked:
    preview: rules.Preview
    checksum: str
    imported_before: PeopleImport | None

    def __post_init__(self):
        # For the page: each row's result and changed columns in the user's words.
        from people.exports import LABELS

        labels = status_labels()
        for row in self.preview.rows:
            row.label = labels[row.status]
            row.change_labels = [str(LABELS[name]) for name in row.changes]
            # R-ROSTER-6: what each new person will be, said before anything is written.
            row.undecided = row.status == rules.NEW and row.person.qualified is None
            if row.status == rules.NEW:
                row.qualification_label = (
                    _("works alone (the file says so)")
                    if row.person.qualified
                    else _("new hire (the file says so)")
                    if row.person.qualified is False
                    else _("new hire, unless you mark them below")
                )

    @property
    def undecided(self) -> list[rules.Row]:
        return rules.undecided(self.preview)

    @property
    def new(self) -> int:
        return self.preview.count(rules.NEW)

    @property
    def changed(self) -> int:
        return self.preview.count(rules.CHANGED)

    @property
    def unchanged(self) -> int:
        return self.preview.count(rules.UNCHANGED)

    @property
    def bad(self) -> int:
        return self.preview.count(rules.BAD)


def status_labels() -> dict[str, str]:
    return {rules.NEW: _("new"), rules.CHANGED: _("changed"), rules.UNCHANGED: _("unchanged"), rules.BAD: _("bad")}


def _read(file_name: str, content: bytes) -> list[tuple[int, list[str]]]:
    # UnreadableFile (too big, not a spreadsheet, a bomb) goes up to the caller with its one message.
    return read_table(file_name, content, max_rows=MAX_PEOPLE, max_cols=40)


def preview_people(
    *, teams: list[Team], default_team: Team | None, file_name: str, content: bytes, today: date | None = None
) -> Checked:
    """Every row of the file, checked; nothing written."""
    today = today or timezone.localdate()
    table = _read(file_name, content)
    lookups = _lookups(teams=teams, default_team=default_team, numbers=rules.employee_numbers(table), today=today)
    checksum = hashlib.sha256(content).hexdigest()
    before = PeopleImport.objects.filter(checksum=checksum, team__in=teams).order_by("-imported_at").first()
    return Checked(rules.check_file(table, lookups), checksum, before)


def import_people(
    *,
    teams: list[Team],
    default_team: Team | None,
    file_name: str,
    content: bytes,
    actor: Profile | None,
    today: date | None = None,
    base_url: str | None = None,
    marked_qualified: set[str] | frozenset[str] = frozenset(),
    all_qualified: bool = False,
) -> PeopleImport:
    """Check the file again and, if every row is good, write it: new people get accounts (and an activation
    e-mail when they have an address), changed rows update their person, unchanged rows are left alone.

    R-ROSTER-6: a new person whose qualification the file does not give is a new hire, unless their employee
    number is in `marked_qualified`, or `all_qualified` marks every such person (the importer's choice on the
    preview, kept on the import and in each person's change log).
    Refused with nothing written: any bad row, a marked person the file says something about (or who is not
    new), or someone else adding the same people at the same moment.
    Side effects: an audit row per person added or changed; leavers' flagged shifts reported to the supervisors.
    """
    today = today or timezone.localdate()
    table = _read(file_name, content)
    try:
        with transaction.atomic():
            record = _write(
                table,
                teams=teams,
                default_team=default_team,
                actor=actor,
                today=today,
                base_url=base_url,
                file_name=file_name,
                content=content,
                marked=set(marked_qualified),
                all_marked=all_qualified,
            )
    except IntegrityError as error:
        raise PeopleError(
            _(
                "Someone else changed these people at the same moment; nothing was imported. Upload the "
                "file again to see where things stand."
            )
        ) from error
    return record


def _write(
    table, *, teams, default_team, actor, today, base_url, file_name, content, marked, all_marked
) -> PeopleImport:
    lookups = _lookups(
        teams=teams, default_team=default_team, numbers=rules.employee_numbers(table), today=today, lock=True
    )
    preview = rules.check_file(table, lookups)
    if not preview.is_clean:
        problems = preview.problems or [_("%(count)d rows are bad") % {"count": len(preview.bad)}]
        raise PeopleError(
            _("Nothing was imported: %(problem)s. Fix the file and upload it again.") % {"problem": problems[0]}
        )
    if all_marked:
        marked = marked | {r.person.employee_number for r in rules.undecided(preview)}
    refusal = rules.marking_refusal(preview, marked)
    if refusal:
        raise PeopleError(refusal)
    skills = Skill.objects.in_bulk(field_name="code")
    teams_by_slug = {team.slug: team for team in teams}
    profiles = {
        p.employee_number: p
        for p in Profile.objects.filter(
            employee_number__in=[r.person.employee_number for r in preview.rows if r.status == rules.CHANGED],
        ).select_related("user", "team")
    }
    _create(
        [r.person for r in preview.rows if r.status == rules.NEW],
        actor=actor,
        today=today,
        teams=teams_by_slug,
        skills=skills,
        base_url=base_url,
        marked=marked,
    )
    for row in preview.rows:
        if row.status == rules.CHANGED:
            _update(
                profiles[row.person.employee_number],
                row.person,
                row.changes,
                actor=actor,
                today=today,
                teams=teams_by_slug,
                skills=skills,
            )
    done = PeopleImport.objects.create(
        team=default_team,
        file_name=file_name[:200],
        checksum=hashlib.sha256(content).hexdigest(),
        imported_by=actor,
        created=preview.count(rules.NEW),
        updated=preview.count(rules.CHANGED),
        unchanged=preview.count(rules.UNCHANGED),
        marked_qualified=sorted(marked),
    )
    # The import in the audit trail with the importer's decision (issue #27 point 1: who said which new people
    # already work alone, R-ROSTER-6); each person's own change log says it too.
    record(
        "people.import",
        actor=actor,
        target=done,
        team=default_team,
        label=done.file_name,
        after={
            "people_added": done.created,
            "people_changed": done.updated,
            "marked_qualified": done.marked_qualified,
        },
        refs=[refs.person(profile) for profile in Profile.objects.filter(employee_number__in=sorted(marked))],
    )
    return done


def _create(people: list[rules.Person], *, actor, today, teams, skills, base_url, marked) -> None:
    """New accounts and profiles in a few statements whatever their number (a whole department moves in at once).
    As add_person: no password (the activation link sets it), an audit row each, the link e-mailed after commit."""
    if not people:
        return
    users = User.objects.bulk_create(
        [User(username=p.employee_number, email=p.email, password=make_password(None)) for p in people]
    )
    profiles = Profile.objects.bulk_create(
        [
            Profile(
                user=user,
                team=teams[p.team],
                name=p.name,
                role=p.role,
                employee_number=p.employee_number,
                phone=p.phone,
                hire_date=p.hire_date,
                wecom_id=p.wecom_id,
                dingtalk_id=p.dingtalk_id,
                feishu_id=p.feishu_id,
                qualification=(
                    Qualification.QUALIFIED
                    if rules.qualified_on_import(p, marked=p.employee_number in marked)
                    else Qualification.NEW_HIRE
                ),
            )
            for user, p in zip(users, people, strict=True)
        ]
    )
    Profile.skills.through.objects.bulk_create(
        [
            Profile.skills.through(profile_id=profile.pk, skill_id=skills[code].pk)
            for profile, p in zip(profiles, people, strict=True)
            for code in sorted(p.skills)
        ]
    )
    PersonEvent.objects.bulk_create(
        [
            PersonEvent(profile=profile, kind=EventKind.IMPORTED, actor=actor, note=note, note_text=note_text)
            for profile, p in zip(profiles, people, strict=True)
            for note, note_text in [_import_note(p, teams[p.team].name, marked)]
        ]
    )
    for profile, p in zip(profiles, people, strict=True):
        if p.left_on:
            _set_left(profile, left_on=p.left_on, actor=actor, today=today)
        elif p.email and base_url:
            queue_activation_email(profile, base_url=base_url)


def _update(profile: Profile, person: rules.Person, changes: list[str], *, actor, today, teams, skills) -> None:
    plain = [
        name
        for name in changes
        if name in ("name", "role", "hire_date", "phone", "wecom_id", "dingtalk_id", "feishu_id")
    ]
    for name in plain:
        setattr(profile, name, getattr(person, name))
    if "team" in changes:
        # The rule refused a move of anyone holding shifts from today in the old team (the lookups' `busy`).
        event(profile, EventKind.MOVED, actor=actor, note=f"{profile.team.name} → {teams[person.team].name}")
        profile.team = teams[person.team]
        plain.append("team")
    if plain:
        profile.save(update_fields=plain)
    if "email" in changes:
        profile.user.email = person.email
        profile.user.save(update_fields=["email"])
    if "skills" in changes:
        profile.skills.set([skills[code] for code in person.skills])
    event(profile, EventKind.IMPORTED, actor=actor, note=texts.fields(changes))
    if "left_on" in changes:
        _set_left(profile, left_on=person.left_on, actor=actor, today=today)


def _import_note(person: rules.Person, team_name: str, marked: set[str]) -> tuple[str, dict]:
    # The importer's choice is kept with the person (R-ROSTER-6: who said this person works alone).
    if person.qualified is None and person.employee_number in marked:
        return stored(texts.MARKED_QUALIFIED(team=team_name))
    return team_name, {}


def describe(preview: rules.Preview) -> list[str]:
    """The preview as lines of text (the import command prints these; the page shows the same rows as a table)."""
    labels = status_labels()
    lines = [str(problem) for problem in preview.problems]
    for row in preview.rows:
        who = f"{row.person.employee_number} {row.person.name}" if row.person else ""
        detail = "; ".join(str(e) for e in row.errors) if row.errors else ", ".join(row.changes)
        lines.append(
            (
                _("Row %(line)d: %(status)s %(who)s %(detail)s")
                % {"line": row.line, "status": labels[row.status], "who": who, "detail": detail}
            ).strip()
        )
    lines.append(
        _("%(new)d new, %(changed)d changed, %(unchanged)d unchanged, %(bad)d bad.")
        % {
            "new": preview.count(rules.NEW),
            "changed": preview.count(rules.CHANGED),
            "unchanged": preview.count(rules.UNCHANGED),
            "bad": preview.count(rules.BAD),
        }
    )
    return lines
