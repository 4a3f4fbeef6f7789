"""Who to ask or tell in a team, written once (every app notifies supervisors and leads).

A supervisor of a team is one whose own team it is or who oversees it (both count: a test fixture has one of
each); managers read every team (DOMAIN.md), as `dutydesk.permissions.teams_for` lets them. People whose account is
disabled are never asked or told.
"""

from django.db.models import Q, QuerySet

from dutydesk.models import Profile, Role, Team


def _active() -> QuerySet[Profile]:
    return Profile.objects.filter(user__is_active=True)


def supervisors_of(team: Team | int) -> QuerySet[Profile]:
    team_id = team if isinstance(team, int) else team.pk
    return _active().filter(Q(team_id=team_id) | Q(oversees=team_id), role=Role.SUPERVISOR).distinct()


def leads_of(team: Team | int) -> QuerySet[Profile]:
    team_id = team if isinstance(team, int) else team.pk
    return _active().filter(team_id=team_id, role=Role.LEAD)


def managers_of(team: Team | int) -> QuerySet[Profile]:  # noqa: ARG001 - every manager reads every team
    return _active().filter(role=Role.MANAGER)
