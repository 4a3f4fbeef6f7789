"""The working-time law in Chromium, in the Chinese UI (issue 21): a supervisor puts one person on both days of a
weekend and sees the rest-day problem (R-LAW-1), publication refused; a protection period recorded on the person's
page (R-LAW-4) keeps the person off every night in generation (swaps and substitutes: leave/tests/test_e2e_law.py)."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from roster import queries, services
from roster.services import CellChange, RosterError
from roster.tests.grid_page import cell, choose
from roster.tests.test_services import worker  # noqa: F401  (a real Celery worker for the generate button)
from testdata import MONTH, WEEKENDS, laid_out_month, make_agents

pytestmark = pytest.mark.browser
M = f"{MONTH:%Y-%m}"


def _lawful_draft(roster, people, supervisor):
    """Every shift of the month at headcount, one date of each weekend a person (R-LAW-1), in turn."""
    for week in range(4):
        saturday, sunday = WEEKENDS[2 * week], WEEKENDS[2 * week + 1]
        slots = [(saturday, "day"), (saturday, "night"), (sunday, "day"), (sunday, "night")]
        for n, (day, key) in enumerate(slots):
            person = people[(n + week) % len(people)]
            services.set_cell(
                roster,
                CellChange(profile_id=person.pk, date=day, shift_key=key),
                actor=supervisor.profile,
                expected_revision=None,
            )


def test_supervisor_puts_one_person_on_saturday_and_sunday_sees_the_rest_day_problem_and_cannot_publish(
    page, login, team, agent, supervisor
):
    people = [agent.profile] + [u.profile for u in make_agents(team, 3)]  # 张伟, 客服001..003
    roster = laid_out_month(team)
    _lawful_draft(roster, people, supervisor)
    saturday, sunday = WEEKENDS[0], WEEKENDS[1]
    on_sunday_night = queries.draft_of(roster).assignments.get(date=sunday, duty_shift__shift_type__key="night")
    on_saturday_day = queries.draft_of(roster).assignments.get(date=saturday, duty_shift__shift_type__key="day")
    worker_name, other_name = on_saturday_day.profile.name, on_sunday_night.profile.name

    login(supervisor)
    page.goto(f"/roster/{team.slug}/{M}/draft/")
    problems = page.get_by_test_id("grid-problems")
    expect(page.get_by_test_id("publish")).to_be_enabled()

    # The Saturday day worker also takes Sunday's night, and its holder comes off it: coverage stays whole.
    choose(page, worker_name, sunday, label="夜班")
    choose(page, other_name, sunday, label="—")
    sentence = (
        f"{sunday:%m-%d} 夜班：{worker_name} 在 {saturday - timedelta(days=5):%m-%d}–{sunday:%m-%d} 这一周没有休息日"
        "（《劳动法》第三十八条：每周至少休息一日）"
    )
    expect(problems.get_by_role("listitem")).to_have_text([sentence])
    expect(cell(page, worker_name, sunday)).to_have_class("night table-danger problem")
    expect(page.get_by_test_id("publish")).to_be_disabled()
    expect(page.get_by_test_id("publish-form")).to_contain_text("请先解决上面的硬性规则问题再发布")
    # The server refuses it too, whoever asks (a click from a page loaded before, the scheduled job).
    with pytest.raises(RosterError, match="第三十八条"):
        services.publish_roster(roster, actor=supervisor.profile, expected_revision=None)
    assert roster.versions.filter(number__isnull=False).count() == 0

    # Sunday night back to its holder: the week has its rest day again, and the roster can go out.
    choose(page, worker_name, sunday, label="—")
    choose(page, other_name, sunday, label="夜班")
    expect(problems.get_by_role("listitem")).to_have_count(0)
    expect(page.get_by_test_id("publish")).to_be_enabled()


def test_protection_recorded_on_the_person_page_keeps_them_off_every_night_in_generation(
    page,
    login,
    team,
    agent,
    supervisor,
    worker,  # noqa: F811
):
    make_agents(team, 5)
    laid_out_month(team)
    login(supervisor)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"/people/{team.slug}/people/{agent.profile.pk}/")
    form = page.get_by_test_id("protection-form")
    form.get_by_label("类型").select_option(label="怀孕7个月以上")
    form.get_by_label("第一天").fill(f"{MONTH:%Y}-04-30")
    form.get_by_label("最后一天").fill(f"{MONTH - timedelta(days=1):%Y-%m-%d}")
    page.get_by_test_id("protection-save").click()
    expect(page.locator(".alert-danger")).to_contain_text("保护期的结束日期早于开始日期，未保存任何内容。")
    expect(page.get_by_test_id("protection-periods")).to_have_count(0)

    form.get_by_label("类型").select_option(label="怀孕7个月以上")
    form.get_by_label("第一天").fill(f"{MONTH - timedelta(days=20):%Y-%m-%d}")
    form.get_by_label("最后一天").fill(f"{MONTH + timedelta(days=120):%Y-%m-%d}")
    page.get_by_test_id("protection-save").click()
    expect(page.locator(".alert-success")).to_contain_text("已记录保护期")
    expect(page.get_by_test_id("protection-periods")).to_contain_text("怀孕7个月以上")

    page.goto(f"/roster/{team.slug}/{M}/draft/")
    page.get_by_test_id("generate").click()
    expect(page.get_by_test_id("generation-summary")).to_be_visible(timeout=90_000)
    row = page.get_by_test_id("row-张伟")
    expect(row.locator("td.night")).to_have_count(0)
    for day in WEEKENDS:  # every duty day is a weekend day: no rest-day duty either
        expect(cell(page, "张伟", day)).to_have_text("")
    expect(page.get_by_test_id("balance-excluded")).to_contain_text("张伟 不参与本月的均衡比较")
    expect(page.get_by_test_id("grid-problems").get_by_role("listitem")).to_have_count(0)
