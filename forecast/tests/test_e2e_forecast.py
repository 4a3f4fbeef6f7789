"""A supervisor turns contact history into next month's headcounts, in Chromium and the Chinese UI: imports a
volume file with one bad row (listed, nothing imported), fixes it, reads the chart and the sentence, and applies
the suggested headcount to next month's shifts."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dutydesk.months import next_month
from forecast.models import ContactVolume
from forecast.tests.factories import volume_csv
from roster.models import DutyShift
from testdata import laid_out_month, saturdays_before

pytestmark = pytest.mark.browser


def _upload(page, content):
    page.get_by_label("话务量文件（CSV 或 Excel）").set_input_files(
        files=[{"name": "话务量.csv", "mimeType": "text/csv", "buffer": content}]
    )
    page.get_by_test_id("volume-upload").click()


def test_e2e_import_volume_fix_a_bad_row_and_apply_next_month(page, login, team, supervisor):
    today = timezone.localdate()
    month = next_month(today)
    laid_out_month(team, month)  # day 09-18 and night 18-24, one person each
    weekends = saturdays_before(today, 8) + [day + timedelta(days=1) for day in saturdays_before(today, 8)]
    rows = [[day.isoformat(), 20, 42, 240] for day in sorted(d for d in weekends if d < today)]
    rows[3][1] = 25  # no such hour

    login(supervisor)
    page.get_by_role("link", name="需求预测").click()
    expect(page.get_by_test_id("forecast-heading")).to_contain_text(f"{month:%Y-%m} 需求预测")
    page.get_by_test_id("forecast-import-link").click()
    _upload(page, volume_csv(rows))
    expect(page.locator(".messages")).to_contain_text("未导入任何内容：请修改下列行后重新上传文件。")
    expect(page.get_by_test_id("volume-error")).to_have_count(1)
    expect(page.get_by_test_id("volume-error")).to_contain_text("5")  # line 5: the header is line 1
    expect(page.get_by_test_id("volume-error")).to_contain_text("小时“25”须为 0 到 23 的整数")
    assert ContactVolume.objects.count() == 0

    rows[3][1] = 20
    _upload(page, volume_csv(rows))
    expect(page.locator(".messages")).to_contain_text(f"已导入 {len(rows)} 个小时的话务量")
    assert ContactVolume.objects.count() == len(rows)

    # Back on the forecast: the chart, and each night's sentence (42 contacts at 20:00 need 5 at 80 % in 20 s).
    expect(page.locator("#forecast-chart")).to_be_visible()
    nights = page.get_by_test_id("forecast-row").filter(has_text="夜班")
    expect(nights.first.get_by_test_id("forecast-why")).to_contain_text("夜班预计 20:00 每小时 42 个咨询，需要 5 人")
    expect(nights.first.get_by_test_id("headcount-set")).to_have_text("1")
    night_count = DutyShift.objects.filter(team=team, date__gte=month, is_night=True).count()

    page.get_by_test_id("forecast-apply").click()
    expect(page.locator(".messages")).to_contain_text(f"已有 {night_count} 个班次改为建议人数")
    expect(nights.first.get_by_test_id("headcount-set")).to_have_text("5")
    expect(page.get_by_test_id("forecast-all-match")).to_be_visible()
    headcounts = set(
        DutyShift.objects.filter(team=team, date__gte=month, is_night=True).values_list("headcount", flat=True)
    )
    assert headcounts == {5}
    assert set(
        DutyShift.objects.filter(team=team, date__gte=month, is_night=False).values_list("headcount", flat=True)
    ) == {1}
