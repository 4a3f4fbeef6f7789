"""The forecast pages as a supervisor and a manager use them, on the real clock (dates computed from today)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dutydesk.months import next_month
from forecast.models import ContactVolume, ServiceTarget
from forecast.tests.factories import logbook_contacts, volume_csv
from roster.models import DutyShift
from testdata import laid_out_month, saturdays_before

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    # Pages follow the browser's language (zh-hans by default); these tests read the English source text.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def month(team):
    month = next_month(timezone.localdate())
    laid_out_month(team, month)
    return month


def _url(name, team, month=None):
    kwargs = {"team": team.slug} | ({"month": f"{month:%Y-%m}"} if month else {})
    return reverse(f"forecast:{name}", kwargs=kwargs)


def test_month_page_shows_suggestion_and_sentence(client, supervisor, team, agent, month):
    today = timezone.localdate()
    for day in saturdays_before(today, 4) + [d + timedelta(days=1) for d in saturdays_before(today, 4)]:
        logbook_contacts(team, agent.profile, day, {20: 40})
    client.force_login(supervisor)
    page = client.get(_url("index", team)).content.decode()
    assert "about 40 contacts an hour expected at 20:00" in page
    assert 'data-testid="forecast-apply"' in page
    assert "forecast-data" in page  # the chart's data


def test_manager_reads_but_cannot_apply(client, manager, team, month):
    client.force_login(manager)
    page = client.get(_url("month", team, month)).content.decode()
    assert 'data-testid="forecast-table"' in page and 'data-testid="forecast-apply"' not in page
    response = client.post(_url("apply", team, month), {"shift": "x", "fingerprint": "x"})
    assert response.status_code == 403


def test_month_page_queries_do_not_grow_with_history(
    client, supervisor, team, agent, month, django_assert_max_num_queries
):
    today = timezone.localdate()
    for day in saturdays_before(today, 12):
        logbook_contacts(team, agent.profile, day, {hour: 3 for hour in range(9, 24)})
    rows = [(d.isoformat(), h, 10, 200) for d in saturdays_before(today, 30) for h in range(9, 24)]
    client.force_login(supervisor)
    client.post(_url("import", team), {"file": SimpleUploadedFile("v.csv", volume_csv(rows))})
    with django_assert_max_num_queries(20):
        assert client.get(_url("month", team, month)).status_code == 200


def test_import_with_a_bad_row_lists_it_and_imports_nothing(client, supervisor, team):
    day = saturdays_before(timezone.localdate(), 1)[0].isoformat()
    content = volume_csv([(day, 20, 40, 200), (day, 21, "lots", 200)])
    client.force_login(supervisor)
    response = client.post(_url("import", team), {"file": SimpleUploadedFile("v.csv", content)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported" in page and "contacts “lots” must be a whole number" in page
    assert ContactVolume.objects.count() == 0


def test_import_not_a_spreadsheet_is_refused(client, supervisor, team):
    client.force_login(supervisor)
    response = client.post(_url("import", team), {"file": SimpleUploadedFile("v.pdf", b"%PDF-1.4")})
    assert response.status_code == 400
    assert "Upload a CSV (.csv) or Excel (.xlsx) file." in response.content.decode()


def test_apply_changes_the_shift_and_says_so(client, supervisor, team, agent, month):
    today = timezone.localdate()
    for day in saturdays_before(today, 4) + [d + timedelta(days=1) for d in saturdays_before(today, 4)]:
        logbook_contacts(team, agent.profile, day, {20: 40})
    client.force_login(supervisor)
    page = client.get(_url("month", team, month))
    rows = [r for r in page.context["rows"] if r["suggestion"].differs]
    first = rows[0]["suggestion"]
    response = client.post(
        _url("apply", team, month), {"shift": [first.key], "fingerprint": page.context["fingerprint"]}, follow=True
    )
    assert "1 shifts of" in response.content.decode()
    shift = DutyShift.objects.get(team=team, date=first.shift.date, shift_type_id=first.shift.shift_type_id)
    assert shift.headcount == first.agents


def test_target_out_of_range_is_refused_with_a_message(client, supervisor, team):
    client.force_login(supervisor)
    response = client.post(
        _url("target", team), {"answered_pct": 120, "answer_seconds": 20, "handling_seconds": 240}, follow=True
    )
    assert "The service target was not saved" in response.content.decode()
    assert not ServiceTarget.objects.exists()
    client.post(_url("target", team), {"answered_pct": 90, "answer_seconds": 15, "handling_seconds": 300})
    assert ServiceTarget.objects.get(team=team).answered_pct == 90
