"""Wished days off (预排休, issue 26) in Chromium and the Chinese UI: an agent marks two wished days off, the
supervisor generates and publishes, and the agent sees one granted and why the other was not."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dutydesk.months import next_month
from roster import queries
from roster.models import Availability, AvailabilityKind
from roster.tests.test_services import worker  # noqa: F401  (a real Celery worker for the generate button)
from testdata import duty_dates, laid_out_month, make_agents

pytestmark = pytest.mark.browser


def test_agent_wishes_two_days_off_one_granted_one_explained(
    page,
    login,
    worker,  # noqa: F811  (the fixture imported above)
    team,
    agent,
    supervisor,
):
    month = next_month(timezone.localdate())
    settings = queries.settings_for(team)
    # The whole of this month is next month's wish window, and availability stays open to its last day.
    settings.wish_window_opens_day, settings.wish_window_closes_day = 1, 31
    settings.publish_days_ahead, settings.availability_closes_days = 1, 0
    settings.preset_promotion_days = False
    # Flexible hours (不定时): three people for two places a day cannot staff both days of a weekend under standard
    # hours, which keep a rest day every week (R-LAW-1); this journey is about wishes, not the law.
    settings.working_time_system = "flexible"
    settings.save()
    laid_out_month(team, month)  # a day and a night shift, one person each: two people a duty day
    colleague, _other = make_agents(team, 2)
    first, second = duty_dates(team, month)[:2]
    # On the second day a colleague cannot work: the other two must, wish or no wish.
    Availability.objects.create(profile=colleague.profile, date=second, kind=AvailabilityKind.UNAVAILABLE)

    login(agent)
    page.goto(f"/roster/mine/{month:%Y-%m}/availability/")
    expect(page.get_by_test_id("wish-window")).to_contain_text("预排休开放时间")
    for day in (first, second):
        page.locator(f"select[name=kind_{day:%Y%m%d}]").select_option(AvailabilityKind.WISH_OFF)
    page.get_by_test_id("save-availability").click()
    expect(page.locator(".messages")).to_contain_text("已保存")
    assert Availability.objects.filter(profile=agent.profile, kind=AvailabilityKind.WISH_OFF).count() == 2

    page.context.clear_cookies()
    login(supervisor)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"/roster/{team.slug}/{month:%Y-%m}/draft/")
    page.get_by_test_id("generate").click()
    expect(page.get_by_test_id("generation-summary")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("balance-wishes")).to_contain_text("张伟 1/2")
    if page.get_by_test_id("accept-provisional").count():  # next month's holidays not yet official (R-CAL-1)
        page.get_by_test_id("accept-provisional").check()
    page.get_by_test_id("publish").click()
    expect(page.locator(".messages")).to_contain_text("第 1 版已发布")

    page.context.clear_cookies()
    login(agent)
    page.goto(f"/roster/mine/{month:%Y-%m}/availability/")
    outcomes = page.get_by_test_id("wish-outcome")
    expect(outcomes).to_have_count(2)
    expect(outcomes.nth(0)).to_contain_text(f"{first:%m-%d}：已满足，当天不排班。")
    expect(outcomes.nth(1)).to_contain_text(f"{second:%m-%d}：未能满足。当天需要 2 人")
    expect(outcomes.nth(1)).to_contain_text("未申请预排休且能上班的同事只有 1 人")
