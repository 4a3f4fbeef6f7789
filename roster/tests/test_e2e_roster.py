"""The supervisor's and the agent's roster journeys in Chromium, in the Chinese UI."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dutydesk.months import next_month
from dutydesk.notifications.models import NoticeKind, Notification
from roster import queries, services
from roster.models import Availability, RosterVersion
from roster.tests.grid_page import cell, choose, pick, total
from roster.tests.test_services import worker  # noqa: F401  (a real Celery worker for the generate button)
from testdata import MONTH, WEEKENDS, duty_dates, laid_out_month, make_agents, open_month

pytestmark = pytest.mark.browser
M = f"{MONTH:%Y-%m}"


def switch(page, login, user):
    page.context.clear_cookies()
    return login(user)


def test_supervisor_sets_up_generates_edits_and_publishes(
    page,
    login,
    worker,  # noqa: F811  (the fixture imported above)
    team,
    agent,
    lead,  # noqa: F811
    supervisor,
):
    make_agents(team, 3)
    login(supervisor)
    page.on("dialog", lambda dialog: dialog.accept())

    # Team settings: the shifts of a duty day.
    page.get_by_role("link", name="团队设置").click()
    expect(page.get_by_test_id("settings-heading")).to_have_text("华东客服组：值班设置")
    for key, name, start, end, night in (
        ("day", "白班", "09:00", "18:00", False),
        ("night", "夜班", "18:00", "00:00", True),
    ):
        page.get_by_test_id("add-shift").click()
        page.get_by_label("代码").fill(key)
        page.get_by_label("名称").fill(name)
        page.get_by_label("开始").fill(start)
        page.get_by_label("结束").fill(end)
        if night:
            page.get_by_label("夜班").check()
        page.get_by_role("button", name="保存班次").click()
        expect(page.locator(".messages")).to_contain_text("班次已保存")
    expect(page.get_by_test_id("shift-types")).to_contain_text("夜班 night")

    # Generate: the page follows the Celery task, then shows how it ended and the balance of the draft.
    page.goto(f"/roster/{team.slug}/{M}/draft/")
    page.get_by_test_id("generate").click()
    expect(page.get_by_test_id("generation-summary")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("score")).to_contain_text("本月值班次数差")
    expect(page.get_by_test_id("grid-problems")).to_contain_text("没有违反硬性规则")

    # Edit in place: a refused edit says why and leaves the cell as it was.
    roster = queries.roster_for(team, MONTH)
    draft = queries.draft_of(roster)
    free = next(d for d in WEEKENDS if not draft.assignments.filter(profile=agent.profile, date=d).exists())
    Availability.objects.create(profile=agent.profile, date=free, kind="unavailable", note="家里有事")
    page.reload()
    choose(page, "张伟", free, label="白班")
    expect(page.get_by_test_id("cell-error")).to_contain_text(f"{free:%m-%d} 白班：张伟 已申报当天不能值班")
    expect(cell(page, "张伟", free).locator("select")).to_have_value("")
    assert draft.assignments.filter(profile=agent.profile, date=free).exists() is False

    # An edit that breaks a rule is kept, shown at once and blocks publishing; undoing it unblocks.
    day = WEEKENDS[2]
    held = draft.assignments.filter(date=day).select_related("profile").order_by("profile__name").first()
    name = held.profile.name
    original = cell(page, name, day).inner_text().strip()
    duty_before = total(page, name, "duty").inner_text()
    choose(page, name, day, label="—")
    expect(page.get_by_test_id("grid-problems")).to_contain_text("缺 1 人")
    expect(page.get_by_test_id("publish")).to_be_disabled()
    expect(total(page, name, "duty")).not_to_have_text(duty_before)
    choose(page, name, day, label=original)
    expect(page.get_by_test_id("grid-problems")).to_contain_text("没有违反硬性规则")
    expect(total(page, name, "duty")).to_have_text(duty_before)

    # One more person than the headcount is only a warning (the headcount is a minimum): publishing asks to confirm.
    idle = next(
        p.name
        for p in queries.duty_staff(team)
        if p.qualification == "qualified"
        # Free both days of that weekend: the other day too would leave them no rest day that week (R-LAW-1).
        and not draft.assignments.filter(profile=p, date__in=WEEKENDS[2:4]).exists()
        and not Availability.objects.filter(profile=p, date=day).exists()
    )
    choose(page, idle, day, label=original)
    expect(page.get_by_test_id("grid-warnings")).to_contain_text("只需要")
    expect(page.get_by_test_id("accept-warnings")).to_be_visible()
    choose(page, idle, day, label="—")
    expect(page.get_by_test_id("grid-warnings")).to_have_count(0)

    # Publish (confirmed in a dialog): one version, the team notified, nobody has confirmed yet. The month's year is
    # provisional (R-CAL-1): the page says so and publishing asks to confirm it.
    expect(page.get_by_test_id("calendar-provisional")).to_contain_text(f"{MONTH.year} 年的节假日尚未正式确定")
    page.get_by_test_id("accept-provisional").check()
    page.get_by_test_id("publish").click()
    expect(page.locator(".messages")).to_contain_text("第 1 版已发布")
    expect(page.get_by_test_id("version-line")).to_contain_text("第 1 版")
    expect(page.get_by_test_id("unconfirmed")).to_contain_text("张伟")
    assert RosterVersion.objects.filter(roster=roster, number__isnull=False).count() == 1
    assert Notification.objects.filter(kind=NoticeKind.ROSTER_PUBLISHED).count() == team.members.count()


def test_agent_confirms_sees_shifts_feed_and_marks_availability(page, login, team, agent, lead, supervisor):
    settings = queries.settings_for(team)
    settings.preset_promotion_days = False
    settings.save()
    make_agents(team, 3)
    today = timezone.localdate()
    roster = laid_out_month(team, month=next_month(today))
    services.generate_draft(roster, actor=supervisor.profile)
    services.publish_roster(roster, actor=supervisor.profile, expected_revision=None, accept_provisional=True)
    first = queries.shifts_of(agent.profile, start=today).first()

    login(agent)
    expect(page.get_by_test_id("home-next-shifts")).to_contain_text(first.duty_shift.shift_type.name)
    page.get_by_test_id("home-confirm").get_by_role("link").click()
    page.get_by_test_id("confirm-roster").click()
    expect(page.get_by_test_id("confirmed")).to_have_text("你已确认这份排班表。")
    expect(cell(page, "张伟", first.date)).to_have_text(first.duty_shift.shift_type.name)

    page.get_by_role("link", name="我的班次").click()
    expect(page.get_by_test_id("my-shift").first).to_contain_text(f"{first.date:%m-%d}")
    expect(page.get_by_test_id("my-shift").first).to_contain_text("同班：")
    feed_url = page.get_by_test_id("feed-url").input_value()
    assert re.search(r"/roster/feed/[\w-]+\.ics$", feed_url)
    assert (
        page.request.get(feed_url).text().count("BEGIN:VEVENT")
        == queries.shifts_of(agent.profile, start=today - timezone.timedelta(days=62)).count()
    )
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("feed-reset").click()
    expect(page.locator(".messages")).to_contain_text("你的日历地址已重置")
    assert page.get_by_test_id("feed-url").input_value() != feed_url

    # Availability for a month whose deadline is still ahead.
    month = open_month(today)
    laid_out_month(team, month)
    day = duty_dates(team, month)[1]
    page.goto(f"/roster/mine/{month:%Y-%m}/availability/")
    expect(page.get_by_test_id("availability-open")).to_be_visible()
    page.get_by_label(f"{day:%m-%d}", exact=False).first.select_option(label="不能值班")
    page.get_by_test_id("save-availability").click()
    expect(page.locator(".messages")).to_contain_text("已保存：1 天有意向")
    assert list(Availability.objects.filter(profile=agent.profile).values_list("date", "kind")) == [
        (day, "unavailable")
    ]


def _harmless_swap(roster):
    from roster import instance as plain
    from roster import rules

    instance = queries.solver_instance(roster)
    rows = list(roster.published_version.assignments.select_related("duty_shift__shift_type", "profile"))
    current = queries.plain_assignments(roster.published_version)
    for x in rows:
        for y in rows:
            if x.date != y.date or x.duty_shift.shift_type.key >= y.duty_shift.shift_type.key:
                continue
            swapped = [a for a in current if not (a.date == x.date and a.agent in (x.profile_id, y.profile_id))]
            swapped += [
                plain.Assignment(x.profile_id, x.date, y.duty_shift.shift_type.key),
                plain.Assignment(y.profile_id, y.date, x.duty_shift.shift_type.key),
            ]
            if not rules.check_roster(instance, swapped):
                return x, y
    raise AssertionError("no harmless swap in this roster")


def test_supervisor_revises_with_reason_and_compares_versions(page, login, team, agent, lead, supervisor):
    make_agents(team, 3)
    roster = laid_out_month(team)
    services.generate_draft(roster, actor=supervisor.profile)
    services.publish_roster(roster, actor=supervisor.profile, expected_revision=None, accept_provisional=True)
    login(supervisor)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"/roster/{team.slug}/{M}/")
    page.get_by_test_id("start-revision").click()
    expect(page.get_by_test_id("revision-reason")).to_be_visible()

    # Swap two people's shifts on one day: the first exchange that keeps every hard rule.
    roster = queries.roster_for(team, MONTH)
    first, second = _harmless_swap(roster)
    day = first.date
    for person, other in ((first, second), (second, first)):
        with page.expect_response(lambda r: "/draft/cell/" in r.url):
            pick(page, person.profile.name, day).select_option(f"{other.duty_shift.shift_type.key}|member")
    expect(page.get_by_test_id("grid-problems")).to_contain_text("没有违反硬性规则")
    page.get_by_test_id("revision-reason").fill("两人互换当天班次")
    page.get_by_test_id("accept-provisional").check()
    page.get_by_test_id("publish").click()
    expect(page.locator(".messages")).to_contain_text("第 2 版已发布")

    page.get_by_role("link", name="版本").click()
    expect(page.get_by_test_id("versions")).to_contain_text("两人互换当天班次")
    comparison = page.get_by_test_id("comparison")
    expect(comparison).to_contain_text(first.profile.name)
    expect(comparison).to_contain_text(f"{day:%m-%d} {second.duty_shift.shift_type.name}")
