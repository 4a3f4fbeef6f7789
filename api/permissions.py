"""Who may hold API tokens, and the one check every API endpoint makes (issue 25 item 2).

A personal token acts as its person: the endpoint's action is asked of the same role × action table as the pages
(dutydesk.permissions.ACTIONS) and the team of the address must be one the person may see (another team answers
404, as a page does). A service token has no role: the action is reached through a scope (api.rules.SCOPE_OF_ACTION)
and the team through its optional team limit.
"""

from django.utils.translation import gettext_lazy as _

from api import rules
from dutydesk.audit.actions import describe, describe_field
from dutydesk.models import Role, Team
from dutydesk.permissions import EVERYONE, grant, granted, role_of, supervises, teams_for

grant("api.tokens", EVERYONE)  # one's own personal tokens
grant("api.service_tokens", frozenset({Role.MANAGER}))  # the company's service tokens
describe("api.token_create", _("Created an API token"))
describe("api.token_revoke", _("Revoked an API token"))
# Outgoing webhooks (issue 25 item 4): the company's endpoints are a manager's, like its service tokens.
grant("api.webhooks", frozenset({Role.MANAGER}))
describe("api.webhook_create", _("Registered a webhook endpoint"))
describe("api.webhook_rotate", _("Replaced a webhook endpoint's secret"))
describe("api.webhook_delete", _("Deleted a webhook endpoint"))
describe("api.webhook_resend", _("Sent a webhook delivery again"))
describe_field("url", _("address"))
describe_field("events", _("events"))
describe_field("delivery", _("delivery"))


def role_allows(token, action: str) -> bool:
    """The role × action table for a personal token, the scopes for a service token."""
    if token.kind == rules.PERSONAL:
        return granted(role_of(token.profile.user), action)
    return rules.scope_allows(token.scopes, action)


def readable_teams(token):
    """The teams a token may read: its person's (teams_for), or the service token's team limit (else all)."""
    if token.kind == rules.PERSONAL:
        return teams_for(token.profile.user)
    if token.team_id is not None:
        return Team.objects.filter(pk=token.team_id)
    return Team.objects.all()


def sees_personal_fields(token, team, person_id: int) -> bool:
    """Whether a reader sees a team member's phone and employee number whole: the person themselves (their own
    page shows them), the people who keep the team's records (its supervisors and the managers, as on the members
    page) and a payroll service token. Everyone else sees them masked (logbook.rules.mask): the API is no way round
    the pages."""
    if token.kind == rules.SERVICE:
        return rules.READ_STATEMENTS in token.scopes
    profile = token.profile
    return profile.pk == person_id or profile.role == Role.MANAGER or supervises(profile, team)


def may_make_service_tokens(profile) -> bool:
    """The company's service tokens are a manager's to make (the table's api.service_tokens)."""
    return granted(profile.role, "api.service_tokens")


def may_manage(profile, token) -> bool:
    """Who may revoke a token: the person of a personal token; a manager for a service token."""
    if token.kind == rules.PERSONAL:
        return token.profile_id == profile.pk
    return profile.role == Role.MANAGER


def may_manage_webhooks(profile) -> bool:
    """Registering, rotating, deleting webhook endpoints and resending deliveries (the table's api.webhooks)."""
    return granted(profile.role, "api.webhooks")
