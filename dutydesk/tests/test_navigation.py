"""Issue #13 point 12: one main-menu item is highlighted, the page's own."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _active(html: str) -> list[str]:
    menu = html.split('class="navbar-nav me-auto"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'class="nav-link active"[^>]*>([^<]+)</a>', menu)


@pytest.mark.parametrize(
    "who, url_name, expected",
    [
        ("lead", "leave:requests-queue", ["审批"]),  # under 排班表's address too, yet only 审批
        ("lead", "roster:index", ["排班表"]),
        ("supervisor", "roster:settings", ["团队设置"]),
        ("supervisor", "logbook:board", ["值班看板"]),
    ],
)
def test_the_pages_own_menu_item_is_the_only_one_highlighted(client, people, team, who, url_name, expected):
    client.force_login(people[who])
    html = client.get(reverse(url_name, kwargs={"team": team.slug})).content.decode()
    assert _active(html) == expected


def test_home_highlights_home_only(client, agent):
    client.force_login(agent)
    assert _active(client.get("/").content.decode()) == ["首页"]
