"""Issue #11 item 8: answering or adding progress to an open item returns to the page it came from, never to
another site named in a forged `next`."""

import pytest
from django.urls import reverse

from testdata import open_entry, signed_in

pytestmark = pytest.mark.django_db

FORMS = {"entry-answer": {"answer": "已回电告知退款进度"}, "entry-progress": {"note": "已联系仓库"}}


@pytest.mark.parametrize("action", sorted(FORMS))
def test_open_item_action_refuses_a_redirect_to_another_site(client, team, agent, action):
    entry = open_entry(signed_in(team, agent))
    client.force_login(agent)
    url = reverse(f"logbook:{action}", kwargs={"team": team.slug, "entry": entry.pk})
    response = client.post(url, {**FORMS[action], "next": "https://evil.example/phish"})
    assert (response.status_code, response["Location"]) == (302, reverse("logbook:today", kwargs={"team": team.slug}))


@pytest.mark.parametrize("action", sorted(FORMS))
def test_open_item_action_returns_to_the_page_it_came_from(client, team, agent, action):
    entry = open_entry(signed_in(team, agent))
    client.force_login(agent)
    detail = reverse("logbook:entry", kwargs={"team": team.slug, "entry": entry.pk})
    url = reverse(f"logbook:{action}", kwargs={"team": team.slug, "entry": entry.pk})
    response = client.post(url, {**FORMS[action], "next": detail})
    assert (response.status_code, response["Location"]) == (302, detail)
