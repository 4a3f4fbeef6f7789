"""Balance (R-ROSTER-4) in Chromium, in the Chinese UI: the demo month generated, its spread recounted from the grid;
the fairness report read, sorted and exported by a manager."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from dutydesk import demo
from roster.tests.grid_page import TOTALS
from roster.tests.test_fairness import MONTH, history, publish_plan  # noqa: F401  (history is a fixture)
from roster.tests.test_services import worker  # noqa: F401  (a real Celery worker for the generate button)

pytestmark = pytest.mark.browser


def grid_totals(page, kind: str, *, left_out: str = "") -> list[int]:
    """The grid's totals column of `kind` for every qualified agent (rows of new hires carry a badge), but those the
    balance panel names as left out (`left_out`: its text; R-LAW-4, a protection period covering the month)."""
    totals = []
    for row in page.locator("[data-testid='roster-grid'] tr[id^='row-']").all():
        if row.locator(".badge").count():
            continue
        name = row.get_attribute("data-testid").removeprefix("row-")
        if f"{name} 不参与本月的均衡比较" in left_out:
            continue
        totals.append(int(row.locator("td.total:not(.history)").nth(TOTALS.index(kind)).inner_text()))
    return totals


def test_supervisor_generates_the_demo_month_and_the_spread_shown_is_the_grids(page, login, worker):  # noqa: F811
    demo.load()
    login(User.objects.get(username="supervisor1"), password=demo.DEMO_PASSWORD)
    page.on("dialog", lambda dialog: dialog.accept())

    page.get_by_role("link", name="排班表").click()
    page.get_by_test_id("edit-next-month").click()
    page.get_by_test_id("generate").click()
    expect(page.get_by_test_id("generation-summary")).to_be_visible(timeout=90_000)

    # The demo's protected agent of 华东客服组 is protected all month: the panel says so, and she is not compared.
    left_out = page.get_by_test_id("balance-excluded").inner_text()
    duty, nights = grid_totals(page, "duty", left_out=left_out), grid_totals(page, "night", left_out=left_out)
    assert len(duty) == 18  # 17 qualified agents and 2 team leads, less the protected one; 3 new hires only shadow
    shown = int(page.get_by_test_id("spread-value-duty_spread").inner_text())
    assert shown == max(duty) - min(duty) <= 1
    assert int(page.get_by_test_id("spread-value-night_spread").inner_text()) == max(nights) - min(nights) <= 1
    expect(page.get_by_test_id("balance-even")).to_have_text("均衡")
    expect(page.get_by_test_id("score")).to_contain_text("本月值班次数差")


def test_manager_reads_sorts_and_exports_the_fairness_report(page, login, manager, team, history):  # noqa: F811
    login(manager)

    page.goto(f"/roster/{team.slug}/{MONTH:%Y-%m}/")
    page.get_by_test_id("nav-fairness").click()
    expect(page.get_by_test_id("fairness-heading")).to_have_text(f"华东客服组：公平性报表 {MONTH:%Y-%m}")
    expect(page.locator("#fairness-chart")).to_be_visible()
    page.get_by_test_id("sort-duty").click()
    page.get_by_test_id("sort-duty").click()  # again: the most first
    expect(page.get_by_test_id("fairness-row").first).to_have_attribute("data-name", "张伟")
    expect(page.get_by_test_id("fairness-row").first.get_by_test_id("cell-duty")).to_contain_text("3")
    expect(page.locator("td.far").first).to_be_visible()  # furthest from the mean, highlighted
    page.get_by_test_id("period-3").click()
    expect(page.get_by_test_id("fairness-row").first.get_by_test_id("cell-duty")).to_contain_text("4")

    with page.expect_download() as download:
        page.get_by_test_id("fairness-excel").click()
    assert download.value.suggested_filename == f"fairness-{team.slug}-{MONTH:%Y-%m}.xlsx"
