"""Who may do what on the duty day (DOMAIN.md, People and roles). Object rules are plain predicates."""

from django.utils.translation import gettext_lazy as _

from dutydesk.audit.actions import describe, describe_field
from dutydesk.models import Role
from dutydesk.permissions import DUTY_STAFF, EVERYONE, LEADERS, SUPERVISORS, grant, supervises, teams_for

LEADS_AND_OVERSEERS = LEADERS | {Role.MANAGER}

grant("logbook.duty", DUTY_STAFF)  # sign in/out, write the logbook, handovers, summary, reports
grant("logbook.acknowledge", DUTY_STAFF)  # R-ATT-6
grant("logbook.view", EVERYONE)  # read a handover of a team one may see
grant("logbook.read", LEADS_AND_OVERSEERS)  # board, logbooks, discipline, complaint statistics, search
grant("logbook.review", LEADERS)  # record-accuracy mark, discipline records
grant("logbook.settings", SUPERVISORS)  # DOMAIN.md: the supervisor keeps the team's settings (R-ATT-1 checklist)
# R-PIPL-2: ask to see an entry's customer data whole, with a reason (the object rule: may_reveal).
grant("logbook.reveal", DUTY_STAFF | SUPERVISORS)
# R-PIPL-3: the company's retention period and the retention runs (a manager's decision for the whole company).
grant("logbook.retention", frozenset({Role.MANAGER}))


def may_reveal(profile, entry) -> bool:
    """R-PIPL-2: the author, the team's leads and the supervisors of the team may reveal an entry's customer data
    (with a reason, each time); nobody sees it whole without (R-PIPL-1)."""
    from logbook.rules import may_reveal_customer_data

    if profile is None:
        return False
    if entry.personal_data_removed_at is not None:
        return False  # R-PIPL-3: nothing left to reveal
    is_lead = profile.role == Role.LEAD and profile.team_id == entry.team_id
    return may_reveal_customer_data(
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


# What the history pages call this app's recorded actions (dutydesk.audit).
describe("logbook.reveal", _("Saw a customer's data in full"))
describe("logbook.entry_edit", _("Corrected a logbook entry"))
describe("logbook.review", _("Marked record accuracy"))
describe("logbook.discipline", _("Recorded discipline"))
describe("logbook.absence", _("Marked absent from post"))
describe("logbook.equipment", _("Changed the equipment checklist"))
describe("logbook.retention_period", _("Changed the retention period"))
describe("logbook.retention", _("Removed customers' personal data"))
describe_field("revealed_fields", _("fields shown in full"))
describe_field("items", _("items"))
describe_field("entries", _("entries"))
