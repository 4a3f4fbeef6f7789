"""Issue #13 point 13: on a laptop (1280×900) and a phone (390×844), 签到 and then 签退 are on the first screen of
the duty page, above the team's open items, however many there are."""

import pytest
from playwright.sync_api import expect

from dutydesk.models import Role
from testdata import acknowledged, make_person, open_entry, publish, running_shift, signed_in

pytestmark = pytest.mark.browser


def _on_first_screen(page, test_id: str) -> bool:
    box = page.get_by_test_id(test_id).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_e2e_sign_in_and_sign_out_come_before_the_open_items(page, login, team, agent, width, height):
    # The open items of earlier shifts: a colleague's, many, as on a busy weekend.
    colleague = make_person(Role.AGENT, team, username="colleague", name="赵敏")
    earlier = signed_in(team, colleague, started_minutes_ago=300, hours=4)
    for number in range(12):
        open_entry(earlier, content=f"客户询问第{number + 1}笔退款何时到账，要求回电说明进度")
    shift = running_shift(team, started_minutes_ago=-10, hours=8)
    publish(team, [(agent, shift)], keep=True)
    acknowledged(agent)
    page.set_viewport_size({"width": width, "height": height})

    login(agent)
    page.goto(f"/logbook/{team.slug}/today/")
    expect(page.get_by_test_id("open-item")).to_have_count(12)
    assert _on_first_screen(page, "sign-in")
    shift_card = page.get_by_test_id("shift-card").bounding_box()
    assert shift_card["y"] < page.get_by_test_id("carried-items").bounding_box()["y"]

    page.get_by_test_id("sign-in").click()
    expect(page.get_by_test_id("signed-in")).to_be_visible()
    assert _on_first_screen(page, "sign-out")
    assert (
        page.get_by_test_id("sign-out").bounding_box()["y"] < page.get_by_test_id("carried-items").bounding_box()["y"]
    )
