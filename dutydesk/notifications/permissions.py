"""Who may do what with notices. Everyone has a bell and preferences; supervisors run their team's robot and
see and resend the failed sends of their team."""

from django.utils.translation import gettext_lazy as _

from dutydesk.audit.actions import describe, describe_field
from dutydesk.permissions import EVERYONE, SUPERVISORS, grant, teams_for

grant("notifications.view", EVERYONE)
grant("notifications.preferences", EVERYONE)
grant("notifications.failed", SUPERVISORS)
grant("notifications.team_settings", SUPERVISORS)


def outbox_of_my_teams(user):
    """Outgoing messages of the teams this user may see (a supervisor: own and overseen teams)."""
    from dutydesk.notifications.models import Outbox

    return Outbox.objects.filter(team__in=teams_for(user)).select_related("team")


# What the history pages call these recorded actions (dutydesk.audit).
describe("notifications.team_settings", _("Changed the notice settings"))
describe("notifications.resend", _("Sent a failed message again"))
describe_field("webhook_url", _("robot address"))
describe_field("webhook_secret", _("signing secret set"))
