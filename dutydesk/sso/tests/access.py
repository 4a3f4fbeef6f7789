"""Sample URL values for the access matrix (dutydesk/tests/test_access.py)."""

from allauth.socialaccount.models import SocialAccount


def url_samples(team, people) -> dict:
    agent = people["agent"]
    account = SocialAccount.objects.create(user=agent, provider="wecom", uid="10086")
    return {"person": agent.profile.pk, "account": account.pk, "provider": "wecom"}
