"""R-TRAIN-1 and R-APP-5 in Chromium: a session is planned, the invitee is told, attendance is recorded and shows in
the person's history and the manager's view; the manager grants a training opportunity from the appraisal."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from people.models import TrainingSession
from people.tests.test_training import _streak

pytestmark = pytest.mark.browser


def switch(page, login, user):
    page.context.clear_cookies()
    return login(user)


def test_e2e_session_planned_attended_and_in_the_history(page, login, team, agent, lead, supervisor, manager):
    tomorrow = timezone.localdate() + timedelta(days=1)
    login(supervisor)
    page.get_by_role("link", name="培训", exact=True).click()
    page.get_by_test_id("plan-session").click()
    form = page.get_by_test_id("session-form")
    form.get_by_label("主题").fill("投诉案例复盘：双11延迟发货")
    form.get_by_label("类型").select_option(label="案例研讨")
    form.get_by_label("讲师").fill("李娜")
    form.get_by_label("日期").fill(tomorrow.isoformat())
    form.get_by_label("开始").fill("14:00")
    form.get_by_label("结束").fill("16:00")
    form.get_by_label("地点").fill("3楼培训室")
    form.get_by_label("张伟 · 客服").check()
    form.get_by_label("李娜 · 值班组长").check()
    page.get_by_test_id("save-session").click()
    expect(page.locator(".messages")).to_contain_text("“投诉案例复盘：双11延迟发货”已安排，受邀人员已收到通知。")
    expect(page.get_by_test_id("invitees")).to_contain_text("张伟 · 已邀请")

    # The invitee is told and sees it coming.
    switch(page, login, agent)
    expect(page.get_by_test_id("notification-count")).to_have_text("1")
    expect(page.get_by_test_id("home-training")).to_contain_text("投诉案例复盘：双11延迟发货")
    page.get_by_test_id("home-training").get_by_role("link", name="我的培训").click()
    expect(page.get_by_test_id("my-upcoming")).to_contain_text("投诉案例复盘：双11延迟发货")
    expect(page.get_by_test_id("my-upcoming")).to_contain_text(f"{tomorrow:%Y-%m-%d} 14:00")

    # The day comes (the clock is the session's): the lead records the attendance.
    session = TrainingSession.objects.get()
    now = timezone.now()
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=now - timedelta(minutes=30), ends_at=now + timedelta(minutes=90)
    )
    switch(page, login, lead)
    page.get_by_role("link", name="培训", exact=True).click()
    page.get_by_role("link", name="投诉案例复盘：双11延迟发货").click()
    page.get_by_test_id("attendance-张伟").get_by_label("出席").check()
    page.get_by_test_id("attendance-李娜").get_by_label("请假").check()
    page.get_by_test_id("save-attendance").click()
    expect(page.locator(".messages")).to_contain_text("出勤已保存（2 人有变化）")

    # In the person's history, and in the manager's view of every team.
    switch(page, login, agent)
    page.locator("#main-nav").get_by_role("link", name="我的培训").click()
    history = page.get_by_test_id("training-history")
    expect(history).to_contain_text("投诉案例复盘：双11延迟发货")
    expect(history.get_by_test_id("history-session")).to_contain_text("出席")
    switch(page, login, manager)
    page.goto("/people/team-east/training/")
    page.get_by_test_id("training-overview").click()
    row = page.get_by_test_id("overview-row").filter(has_text="张伟")
    expect(row).to_contain_text("华东客服组")
    expect(row.locator("td").nth(3)).to_have_text("1")  # present
    row.get_by_role("link", name="张伟").click()
    expect(page.get_by_test_id("training-history")).to_contain_text("出席")


def test_e2e_manager_grants_a_training_opportunity_for_excellent_months(page, login, team, agent, manager):
    _streak(team, agent.profile, streak=3, month=date(2026, 10, 1))
    page.on("dialog", lambda dialog: dialog.accept())
    login(manager)
    page.goto("/appraisal/team-east/2026-10/")
    page.get_by_test_id("grant-reward-agent").click()
    expect(page.locator(".messages")).to_contain_text("已授予 张伟 一次培训机会")
    expect(page.get_by_test_id("reward-granted")).to_be_visible()
    switch(page, login, agent)
    page.locator("#main-nav").get_by_role("link", name="我的培训").click()
    expect(page.get_by_test_id("history-reward")).to_contain_text("获得培训机会：截至 2026-10 连续 3 个月优秀")
    expect(page.get_by_test_id("history-reward")).to_contain_text("待使用")
