"""The supervisor's pages in Chromium: search in Chinese, complaint chart, discipline."""

import pytest
from playwright.sync_api import expect

from testdata import signed_in, write_entry

pytestmark = pytest.mark.browser


def test_e2e_supervisor_searches_chinese_and_sees_complaint_chart(page, login, team, agent, supervisor):
    logbook = signed_in(team, agent)
    write_entry(logbook, kind="complaint", category="logistics_delay", content="投诉物流延迟三天", demand="要求补偿")
    write_entry(logbook, kind="complaint", category="slow_refund", content="投诉退款慢", demand="尽快退款")
    write_entry(logbook, content="客户13912345678询问退款进度")
    write_entry(logbook, content="客户查询订单物流", customer_ref="DD778899")
    login(supervisor)
    page.goto("/logbook/team-east/search/")
    page.locator("[name=q]").fill("退款")
    page.get_by_test_id("search-submit").click()
    rows = page.get_by_test_id("search-row")
    expect(rows).to_have_count(2)
    # R-PIPL-1: search snippets are masked for everyone, the team's supervisor included.
    expect(page.get_by_test_id("search-results")).to_contain_text("139****5678")
    expect(page.get_by_test_id("search-results")).not_to_contain_text("13912345678")
    page.locator("[name=q]").fill("物流延迟")
    page.get_by_test_id("search-submit").click()
    expect(rows).to_have_count(1)
    # Issue #27 point 4: found by the order number, which the results show masked like every page (R-PIPL-1).
    page.locator("[name=q]").fill("DD778899")
    page.get_by_test_id("search-submit").click()
    expect(rows).to_have_count(1)
    expect(rows.get_by_test_id("search-ref")).to_have_text("DD****99")
    expect(rows).to_contain_text("客户查询订单物流")

    page.goto("/logbook/team-east/complaints/?period=week")
    expect(page.get_by_test_id("complaint-totals")).to_contain_text("物流延迟")
    # Chart.js drew on the canvas: it sets the canvas's pixel size from the box.
    expect(page.get_by_test_id("complaint-chart")).to_have_attribute("style", __import__("re").compile("height"))

    page.goto("/logbook/team-east/discipline/")
    expect(page.get_by_test_id("discipline-row").filter(has_text="张伟")).to_be_visible()
