import pytest
from allauth.socialaccount.models import SocialAccount

from dutydesk import demo
from dutydesk.sso.models import LinkEvent, ProviderSettings

pytestmark = pytest.mark.django_db


def test_demo_shows_linked_people_and_example_providers_turned_off(client):
    demo.load()
    demo.load()  # twice: nothing twice
    assert ProviderSettings.objects.count() == 5
    assert not ProviderSettings.objects.filter(enabled=True).exists()
    linked = SocialAccount.objects.filter(provider="wecom")
    assert linked.count() == 14 == LinkEvent.objects.count()
    assert set(linked.values_list("user__profile__team__slug", flat=True)) == {"team-east"}
    assert all(uid == wecom for uid, wecom in linked.values_list("uid", "user__profile__wecom_id"))
    # Through the services: the audit history has the manager's provider settings and each link, once.
    from dutydesk.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="sso.link").count() == 14
    settings_events = AuditEvent.objects.filter(action="sso.provider_settings")
    assert settings_events.count() == 5
    assert set(settings_events.values_list("actor__user__username", flat=True)) == {"manager"}
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="supervisor1"))
    page = client.get("/accounts/identities/team-east/").content.decode()
    assert page.count('data-testid="linked-wecom"') == 14
