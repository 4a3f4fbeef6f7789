"""Who may do what with sign-in: a supervisor sees and changes who of their teams is linked; a manager runs the
company's providers and password policy."""

from dutydesk.models import Role
from dutydesk.permissions import SUPERVISORS, grant

MANAGERS = frozenset({Role.MANAGER})

grant("sso.identities", SUPERVISORS)
grant("sso.providers", MANAGERS)
