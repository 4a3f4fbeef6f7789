"""R-ROSTER-6 in Chromium: the lead is asked for a new hire's check, records the pass, and the supervisor's next
generation rosters her on her own."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dutydesk import months
from dutydesk.models import Role
from people.services import qualification
from people.tests.factories import new_hire, shadow_history
from roster import queries
from roster.models import AssignmentRole
from roster.tests.grid_page import total
from roster.tests.test_services import worker  # noqa: F401  (a real Celery worker for the generate button)
from testdata import make_agents, make_person, make_shift_types, past_weekend_days

pytestmark = pytest.mark.browser


def test_e2e_lead_records_a_pass_and_the_next_generation_counts_her(
    page,
    login,
    worker,  # noqa: F811  (the fixture imported above)
    team,
    agent,
    lead,  # noqa: F811
    supervisor,
):
    make_shift_types(team)
    make_agents(team, 3)
    hire = new_hire(make_person(Role.AGENT, team, username="hire", name="周新").profile)
    shadow_history(team, hire, lead.profile, past_weekend_days(2), by=supervisor)
    assert qualification.ask_for_checks() == 1  # the hourly job

    # The lead follows the notice to the new hires page and records the pass.
    login(lead)
    expect(page.get_by_test_id("notification-count")).to_have_text("1")
    page.get_by_test_id("notification-bell").click()
    notice = page.get_by_test_id("notice")
    expect(notice).to_contain_text("周新 已完成 2 个跟岗班次：请登记上岗考核结果")
    notice.locator("form").first.get_by_role("button").click()  # "Open": the notice's page
    row = page.get_by_test_id("new-hire-周新")
    expect(row).to_contain_text("2 / 2")
    expect(row.get_by_test_id("ready")).to_have_text("可以考核")
    row.get_by_test_id("record-check").click()
    page.get_by_label("通过", exact=True).check()
    page.get_by_label("备注").fill("退款、改地址流程熟练，话术规范")
    page.get_by_test_id("save-check").click()
    next_month = months.next_month(timezone.localdate())
    expect(page.locator(".messages")).to_contain_text(f"周新 考核通过：从 {next_month:%Y-%m} 的排班起独立上岗。")
    expect(page.get_by_test_id("new-hires")).not_to_contain_text("周新")
    expect(page.get_by_test_id("check-row").first).to_contain_text("通过")

    # The supervisor generates next month: she is rostered on her own, no longer as a shadow.
    page.context.clear_cookies()
    login(supervisor)
    page.goto(f"/roster/team-east/{next_month:%Y-%m}/draft/")
    page.get_by_test_id("generate").click()
    # The score panel is there before the run ends (it scores the empty draft): wait for the run's summary.
    expect(page.get_by_test_id("generation-summary")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("score")).to_contain_text("本月值班次数差")
    expect(page.get_by_test_id("row-周新").locator("th")).to_have_text("周新")  # no 新员工 badge any more
    expect(total(page, "周新", "duty")).not_to_have_text("0")
    draft = queries.draft_of(queries.roster_for(team, next_month))
    roles = set(draft.assignments.filter(profile=hire).values_list("role", flat=True))
    assert roles and AssignmentRole.SHADOW not in roles
