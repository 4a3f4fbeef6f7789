"""People who see several teams (managers, supervisors of more than one team) switch between them."""

import pytest
from playwright.sync_api import expect

from dutydesk.models import Role
from testdata import make_person


def _switcher_links(page_html: str) -> list[str]:
    import re

    block = page_html.split('data-testid="team-switcher"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="([^"]+)"', block)


@pytest.mark.django_db
def test_switcher_on_a_team_page_links_to_the_same_page_of_each_team(client, manager, team, other_team):
    client.force_login(manager)
    page = client.get(f"/roster/{team.slug}/2026-12/").content.decode()
    # Teams by name: 华东客服组 (team-east) before 华南客服组 (team-south).
    assert _switcher_links(page) == [f"/roster/{team.slug}/2026-12/", f"/roster/{other_team.slug}/2026-12/"]


@pytest.mark.django_db
def test_menus_follow_the_team_last_looked_at(client, manager, team, other_team):
    client.force_login(manager)
    client.get(f"/roster/{other_team.slug}/2026-12/")
    home = client.get("/").content.decode()
    assert f'href="/appraisal/{other_team.slug}/"' in home
    assert f'href="/appraisal/{team.slug}/"' not in home


@pytest.mark.django_db
def test_no_switcher_for_people_of_one_team(client, agent, supervisor):
    for person in (agent, supervisor):
        client.force_login(person)
        assert 'data-testid="team-switcher"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_a_team_never_seen_is_not_offered_even_if_remembered(client, team, other_team):
    supervisor = make_person(Role.SUPERVISOR, team, oversees=[team])
    client.force_login(supervisor)
    session = client.session
    session["working_team"] = other_team.slug
    session.save()
    home = client.get("/").content.decode()
    assert other_team.slug not in home


@pytest.mark.browser
def test_manager_switches_team_on_the_appraisal_page(page, login, manager, team, other_team):
    login(manager)
    page.goto(f"/appraisal/{team.slug}/")
    expect(page.locator("h1")).to_contain_text("华东客服组")
    page.get_by_test_id("team-switcher").click()
    page.get_by_role("link", name="华南客服组").click()
    expect(page.locator("h1")).to_contain_text("华南客服组")
    expect(page.get_by_test_id("team-switcher")).to_contain_text("团队：华南客服组")
