"""The marketplace's pages: bad input (a shift just taken, another team's offer, a forged POST) answers with a clear
message and changes nothing; the board's query count does not grow with the people or the offers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dutydesk.models import Role
from market import services
from market.models import Claim, Offer
from market.tests.factories import market_settings
from testdata import leave_setup, make_person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def setup(team, agent, lead, supervisor):
    return leave_setup(team, agent, lead)


def test_claiming_a_shift_just_taken_says_so_and_changes_nothing(client, setup, team, supervisor, lead):
    market_settings(team, first_claim_wins=True)
    offer = services.post_open_shift(team, actor=supervisor.profile, duty_shift_id=setup.shift(1, "night").pk, places=1)
    services.claim_offer(offer, profile=setup.people["A"])
    client.force_login(lead)
    response = client.post(f"/market/{team.slug}/offers/{offer.pk}/claim/", follow=True)
    assert "有人抢先一步" in response.content.decode()  # Somebody else was faster
    assert Claim.objects.count() == 1


def test_a_forged_post_for_another_team_answers_404(client, setup, team, other_team, supervisor):
    offer = services.post_open_shift(team, actor=supervisor.profile, duty_shift_id=setup.shift(1, "night").pk, places=1)
    stranger = make_person(Role.AGENT, other_team, name="外人", username="stranger")
    client.force_login(stranger)
    assert client.post(f"/market/{team.slug}/offers/{offer.pk}/claim/").status_code == 404
    # Their own team's address with this team's offer: not found either.
    assert client.post(f"/market/{other_team.slug}/offers/{offer.pk}/claim/").status_code == 404
    assert Claim.objects.count() == 0


def test_a_refused_person_sees_why_in_one_sentence(client, setup, team, supervisor):
    services.post_open_shift(team, actor=supervisor.profile, duty_shift_id=setup.shift(1, "night").pk, places=1)
    client.force_login(setup.people["F"].user)
    page = client.get(f"/market/{team.slug}/").content.decode()
    assert "你不能接： 不具备" in page  # You cannot take it: Does not hold the skill ...


def _board_queries(client, team, user) -> int:
    client.force_login(user)
    client.get(f"/market/{team.slug}/")  # the first visit stores the working team in the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/market/{team.slug}/").status_code == 200
    return len(queries)


def test_board_queries_do_not_grow_with_people_or_offers(client, setup, team, supervisor, agent):
    refund = setup.shift(0).shift_type.required_skills.get()
    first = services.post_open_shift(team, actor=supervisor.profile, duty_shift_id=setup.shift(1, "night").pk, places=1)
    services.claim_offer(first, profile=setup.people["L"])
    few = _board_queries(client, team, agent)
    for i in range(8):
        make_person(Role.AGENT, team, name=f"新人{i}", username=f"more-{i}", skills=[refund])
    for key in ((0, "night"), (2, "night"), (3, "day"), (3, "night")):
        offer = services.post_open_shift(team, actor=supervisor.profile, duty_shift_id=setup.shift(*key).pk, places=2)
        if key[1] == "day":
            services.claim_offer(offer, profile=setup.people["L"])
    many = _board_queries(client, team, agent)
    assert Offer.objects.count() == 5
    assert many == few, (few, many)


def test_a_supervisor_changes_the_rules_and_the_change_is_recorded(client, setup, team, supervisor):
    from dutydesk.audit.models import AuditEvent
    from market.queries import settings_for

    client.force_login(supervisor)
    response = client.post(
        f"/market/{team.slug}/settings/",
        {"first_claim_wins": "on", "order": "earliest", "monthly_cap": "2", "give_away_hours": "24", "payback": ""},
    )
    assert response.status_code == 302
    saved = settings_for(team)
    assert (saved.first_claim_wins, saved.order, saved.monthly_cap, saved.payback) == (True, "earliest", 2, False)
    event = AuditEvent.objects.get(action="market.settings")
    assert event.actor_id == supervisor.profile.pk
    # Out of range: refused by the form, nothing changed.
    client.post(f"/market/{team.slug}/settings/", {"order": "earliest", "monthly_cap": "99", "give_away_hours": "24"})
    assert settings_for(team).monthly_cap == 2
