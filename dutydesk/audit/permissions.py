"""Who reads the audit trail (issue 22 item 3): everyone what concerns them, the supervisors of a team its history
(a person, a day, a roster), a manager all of it, searched."""

from django.utils.translation import gettext_lazy as _

from dutydesk.audit.actions import describe
from dutydesk.models import Role
from dutydesk.permissions import EVERYONE, OVERSEERS, grant

grant("audit.mine", EVERYONE)  # events that concern me, or that I did
grant("audit.team", OVERSEERS)  # a team's history: a person, a day, a roster
grant("audit.search", frozenset({Role.MANAGER}))  # every team, every filter

describe("audit.note", _("Note in the history"))
