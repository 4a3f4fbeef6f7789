"""The marketplace in Chromium, in the Chinese UI (issue 24, "Done when"): an open shift posted, three claim, the
fair one approved and the roster's new version shown (on a laptop and a phone); a Sunday night given away, a
colleague without the skill told why, an eligible one taking it; a trade with payback."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dutydesk.models import Role
from leave.forms import shift_label
from market import services
from market.models import Claim, Payback
from market.tests.factories import market_settings, past_duty
from testdata import holders, leave_setup, make_person

pytestmark = pytest.mark.browser


def switch(page, login, user):
    page.context.clear_cookies()
    return login(user)


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_open_shift_three_claim_the_fair_one_is_approved(page, login, team, agent, lead, supervisor, width, height):
    page.set_viewport_size({"width": width, "height": height})
    setup = leave_setup(team, agent, lead)
    night = setup.shift(1, "night")
    refund = night.shift_type.required_skills.get()
    busy = make_person(Role.AGENT, team, name="钱多", username="busy", skills=[refund]).profile
    past_duty(team, busy, night, 5, lead)  # 5 duty shifts lately: behind A (2) and the lead L (0)
    login(supervisor)
    page.goto(f"/market/{team.slug}/")
    page.get_by_test_id("post-open").click()
    page.get_by_label("班次").select_option(label=shift_label(night))
    page.get_by_test_id("post-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("抢班已发布")
    offer = services.Offer.objects.get()
    now = timezone.now()
    services.claim_offer(offer, profile=busy, now=now - timedelta(minutes=2))  # the earliest claim
    services.claim_offer(offer, profile=setup.people["A"], now=now - timedelta(minutes=1))

    switch(page, login, lead)  # the lead, with no duty lately, claims in the browser
    page.goto(f"/market/{team.slug}/")
    page.get_by_test_id("open-shifts").get_by_test_id("claim").click()
    expect(page.locator(".alert-success")).to_contain_text("报名成功")

    switch(page, login, supervisor)
    page.goto(f"/market/{team.slug}/offers/{offer.pk}/")
    ranked = page.get_by_test_id("ranked-claim")
    expect(ranked).to_have_count(3)
    expect(ranked.nth(0)).to_contain_text("李娜")
    expect(ranked.nth(0).get_by_test_id("fair-first")).to_be_visible()
    expect(ranked.nth(2)).to_contain_text("钱多")
    ranked.nth(0).get_by_test_id("approve").click()
    expect(page.locator(".alert-success")).to_contain_text("已批准：李娜 接班")
    assert holders(night) == ["李娜", "王磊"]
    page.goto(f"/roster/{team.slug}/{night.date:%Y-%m}/")
    expect(page.get_by_test_id("version-line")).to_contain_text("班次市场")
    expect(page.get_by_test_id("version-line")).to_contain_text("2")


def test_give_away_a_sunday_night_skill_refused_eligible_takes_it(page, login, team, agent, lead, supervisor):
    setup = leave_setup(team, agent, lead)
    market_settings(team, first_claim_wins=True)
    sunday_night = setup.shift(1, "night")
    assert sunday_night.date.weekday() == 6
    giver = setup.people["B"]
    login(giver.user)
    page.goto(f"/market/{team.slug}/")
    page.get_by_test_id("offer-new").click()
    page.get_by_label("我的班次").select_option(label=shift_label(sunday_night))
    page.get_by_label("放班（让给同事）").check()
    page.get_by_test_id("offer-submit").click()
    expect(page.locator(".alert-success")).to_contain_text("你的班次已放出")

    switch(page, login, setup.people["F"].user)  # 吴丽 lacks the refund skill
    page.goto(f"/market/{team.slug}/")
    card = page.get_by_test_id("give-aways").get_by_test_id("offer-card")
    expect(card.get_by_test_id("refusal")).to_contain_text("不具备")
    expect(card.get_by_test_id("claim")).to_have_count(0)

    switch(page, login, agent)  # 张伟 is free that Sunday and holds the skill
    page.goto(f"/market/{team.slug}/")
    page.get_by_test_id("give-aways").get_by_test_id("claim").click()
    expect(page.locator(".alert-success")).to_contain_text("班次归你了")
    assert holders(sunday_night) == ["张伟"]
    page.goto("/roster/mine/")
    expect(page.get_by_test_id("my-shift").filter(has_text=f"{sunday_night.date:%m-%d}")).to_contain_text("夜班")


def test_trade_with_payback(page, login, team, agent, lead, supervisor):
    setup = leave_setup(team, agent, lead)
    recorder = make_person(Role.LEAD, team, name="何平", username="lead-two")
    c, chief = setup.people["C"], setup.people["L"]
    services.offer_shift(
        profile=c, duty_shift_id=setup.shift(0, "night").pk, kind="trade", wants=[setup.shift(3, "night").pk]
    )
    login(lead)  # 李娜 holds none of the shifts asked for: accepts, to be paid back later (还班)
    page.goto(f"/market/{team.slug}/")
    trades = page.get_by_test_id("trades")
    trades.get_by_test_id("give-back").select_option(label="暂不交换，日后还班")
    trades.get_by_test_id("accept-trade").click()
    expect(page.locator(".alert-success")).to_contain_text("报名成功")

    switch(page, login, recorder)
    page.goto(f"/market/{team.slug}/")
    page.get_by_test_id("trades").get_by_test_id("offer-link").click()
    page.get_by_test_id("approve").click()
    expect(page.locator(".alert-success")).to_contain_text("已批准")
    assert holders(setup.shift(0, "night")) == ["李娜"]
    page.goto(f"/market/{team.slug}/")
    expect(page.get_by_test_id("payback")).to_contain_text("赵敏 欠 李娜 一个班")
    assert Payback.objects.get().owed_by == c and Claim.objects.get().profile == chief
