"""Who may do what on the duty day (DOMAIN.md, People and roles). Object rules are plain predicates."""

from dutydesk.models import Role
from dutydesk.permissions import DUTY_STAFF, EVERYONE, LEADERS, SUPERVISORS, grant, supervises, teams_for

LEADS_AND_OVERSEERS = LEADERS | {Role.MANAGER}

grant("logbook.duty", DUTY_STAFF)  # sign in/out, write the logbook, handovers, summary, reports
grant("logbook.acknowledge", DUTY_STAFF)  # R-ATT-6
grant("logbook.view", EVERYONE)  # read a handover of a team one may see
grant("logbook.read", LEADS_AND_OVERSEERS)  # board, logbooks, discipline, complaint statistics, search
grant("logbook.review", LEADERS)  # record-accuracy mark, discipline records
grant("logbook.settings", SUPERVISORS)  # DOMAIN.md: the supervisor keeps the team's settings (R-ATT-1 checklist)


def sees_customer_data(profile, entry) -> bool:
    """R-LOG-4: the author, the team's leads and the supervisors of the team see full phone numbers and ids."""
    from logbook.rules import may_see_customer_data

    is_lead = profile.role == Role.LEAD and profile.team_id == entry.team_id
    return may_see_customer_data(
        viewer_id=profile.pk,
        author_id=entry.author_id,
        viewer_is_lead_of_team=is_lead,
        viewer_is_supervisor_of_team=supervises(profile, entry.team_id),
    )


def can_review(profile, logbook) -> bool:
    """Leads review their team's logbooks (not their own), supervisors those of teams they oversee."""
    if profile.role not in LEADERS or logbook.profile_id == profile.pk:
        return False
    return teams_for(profile.user).filter(pk=logbook.team_id).exists()


def keeps_settings_of(profile, team) -> bool:
    """The supervisors of a team (its own or one they oversee) keep its duty-day settings."""
    return supervises(profile, team)
