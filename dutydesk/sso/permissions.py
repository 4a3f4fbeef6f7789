"""Who may do what with sign-in: a supervisor sees and changes who of their teams is linked; a manager runs the
company's providers and password policy."""

from django.utils.translation import gettext_lazy as _

from dutydesk.audit.actions import describe, describe_field
from dutydesk.models import Role
from dutydesk.permissions import SUPERVISORS, grant

MANAGERS = frozenset({Role.MANAGER})

grant("sso.identities", SUPERVISORS)
grant("sso.providers", MANAGERS)

# What the history pages call sign-in's recorded actions (dutydesk.audit).
describe("sso.link", _("Linked a sign-in identity"))
describe("sso.unlink", _("Unlinked a sign-in identity"))
describe("sso.provider_settings", _("Changed a sign-in provider's settings"))
describe("sso.password_policy", _("Changed whether dutydesk passwords may sign in"))
describe_field("secret_stored", _("secret stored"))
describe_field("secret_replaced", _("secret replaced"))
