"""People and teams (plain ORM: a Profile has no invariant beyond its model's); apps' test data builds on these."""

from itertools import count

from django.contrib.auth.models import User

from dutydesk.models import Profile, Qualification, Role, Skill, Team

PASSWORD = "pass-for-tests"
_serial = count(1)


def profile_of(person: Profile | User) -> Profile:
    """A builder takes a person as a Profile or as its User (what the conftest fixtures give)."""
    return person.profile if isinstance(person, User) else person


def make_team(name: str | None = None, slug: str | None = None) -> Team:
    n = next(_serial)
    return Team.objects.create(name=name or f"Team {n}", slug=slug or f"team-{n}")


def make_skill(code: str, name: str | None = None) -> Skill:
    return Skill.objects.get_or_create(code=code, defaults={"name": name or code})[0]


def make_person(
    role: Role = Role.AGENT,
    team: Team | None = None,
    *,
    username: str | None = None,
    name: str | None = None,
    skills=(),
    qualified: bool = True,
    oversees=(),
) -> User:
    n = next(_serial)
    user = User.objects.create_user(username or f"{role}{n}", password=PASSWORD, email=f"{role}{n}@example.com")
    profile = Profile.objects.create(
        user=user,
        name=name or f"{role.label} {n}",
        role=role,
        team=team,
        qualification=Qualification.QUALIFIED if qualified else Qualification.NEW_HIRE,
    )
    profile.skills.set(skills)
    profile.oversees.set(oversees)
    return user
