"""Two people at once on real PostgreSQL connections (threads): one identity linked to two people, or two
identities of one provider to one person, keep exactly one link, one LinkEvent and one audit event; the other gets
a clear message and writes nothing."""

import pytest
from allauth.socialaccount.models import SocialAccount

from dutydesk.audit.models import AuditEvent
from dutydesk.models import Role
from dutydesk.sso import services
from dutydesk.sso.models import LinkEvent
from dutydesk.testing import run_together
from testdata import make_person

pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.django_db(transaction=True)]


def _link(person, uid, actor):
    return lambda: services.link_by_supervisor(person, provider="wecom", uid=uid, actor=actor)


def test_one_identity_linked_to_two_people_at_once_links_one(team, agent, supervisor):
    other = make_person(Role.AGENT, team, username="other").profile
    outcomes = run_together(
        _link(agent.profile, "wx-same", supervisor.profile), _link(other, "wx-same", supervisor.profile)
    )
    refused = [o for o in outcomes if isinstance(o, services.SsoError)]
    assert len(refused) == 1, outcomes
    assert "linked" in str(refused[0])  # "already linked to …" or "Somebody linked this identity a moment ago"
    assert SocialAccount.objects.filter(provider="wecom", uid="wx-same").count() == 1
    assert LinkEvent.objects.count() == 1 and AuditEvent.objects.filter(action="sso.link").count() == 1


def test_two_identities_of_one_provider_to_one_person_at_once_links_one(team, agent, supervisor):
    outcomes = run_together(
        _link(agent.profile, "wx-a", supervisor.profile), _link(agent.profile, "wx-b", supervisor.profile)
    )
    refused = [o for o in outcomes if isinstance(o, services.SsoError)]
    assert len(refused) == 1 and "unlink it first" in str(refused[0]), outcomes
    assert SocialAccount.objects.filter(user=agent, provider="wecom").count() == 1
    assert LinkEvent.objects.count() == 1 and AuditEvent.objects.filter(action="sso.link").count() == 1
