"""In Chromium (zh-hans): a manager registers a webhook endpoint (its secret shown once), a roster is published,
the delivery reaches a local receiver that checks its signature and appears in the log, and the manager sends it
again after confirming."""

import pytest
from playwright.sync_api import expect

from api import delivery
from api.models import WebhookDelivery
from roster import services as roster_services
from testdata import laid_out_month, make_agents

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_registers_an_endpoint_sees_the_delivery_and_resends_it(
    page, login, manager, team, supervisor, receiver
):
    login(manager)
    page.goto("/api/tokens/")
    page.get_by_test_id("webhooks-link").click()
    expect(page.locator("h1")).to_have_text("事件推送")
    page.get_by_label("名称").fill("薪资系统")
    page.get_by_label("地址").fill(receiver.url())
    page.get_by_label("排班表发布").check()
    page.get_by_label("仅限此小组").select_option(label=team.name)
    page.get_by_test_id("register-webhook").click()
    expect(page.get_by_test_id("webhook-secret-shown")).to_contain_text("只显示这一次")
    receiver.secret = page.get_by_test_id("webhook-secret").input_value()
    assert receiver.secret.startswith("whsec_")

    make_agents(team, 4)
    roster = laid_out_month(team)
    roster_services.generate_draft(roster, actor=supervisor.profile)
    roster_services.publish_roster(roster, actor=supervisor.profile, expected_revision=None, accept_provisional=True)
    assert delivery.send_due()["delivered"] == 1  # what the worker's task runs
    uid = str(WebhookDelivery.objects.get().uid)
    assert [(r["delivery"], r["event"]) for r in receiver.received] == [(uid, "roster.published")]
    assert receiver.bad_signatures == 0

    page.goto("/api/webhooks/")
    expect(page.get_by_test_id("endpoint-row")).to_contain_text("薪资系统")
    page.get_by_test_id("endpoint-log").click()
    row = page.get_by_test_id("delivery-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("排班表发布")
    expect(row).to_contain_text(uid)
    expect(row.get_by_test_id("delivery-status")).to_have_text("已送达")
    expect(row).to_contain_text("204")

    row.get_by_test_id("resend").click()
    row.get_by_test_id("confirm-resend").click()
    expect(page.locator(".alert-success")).to_contain_text("已排队重新发送")
    expect(page.get_by_test_id("delivery-status")).to_contain_text("等待发送")
    assert delivery.send_due()["delivered"] == 1
    page.reload()
    expect(page.get_by_test_id("delivery-status")).to_contain_text("已送达")
    assert [r["delivery"] for r in receiver.received] == [uid, uid]  # the same delivery, sent again on purpose
