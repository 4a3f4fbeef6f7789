"""The calendar's pages and command: a year as twelve months, the import with its preview, the bad files that
change nothing, the provisional notice where a provisional year is used (R-CAL-1)."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from testdata import fill_draft, laid_out_month, make_agents, sample_2027, sample_days
from workcalendar import queries
from workcalendar.models import CalendarYear
from workcalendar.tests.factories import csv_bytes, json_bytes

pytestmark = pytest.mark.usefixtures("english")
YEAR = reverse("workcalendar:year", kwargs={"year": 2027})
IMPORT = reverse("workcalendar:import", kwargs={"year": 2027})
CONFIRM = reverse("workcalendar:import-confirm", kwargs={"year": 2027})
NOTICE = {"source_title": "国务院办公厅关于2027年部分节假日安排的通知（样例）", "source_date": "2026-11-12"}


@pytest.fixture(autouse=True)
def english_pages(client, settings):
    # The pages in English too (the language switcher's cookie), so that the messages asserted are the source's.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def upload(client, content: bytes, name="2027.csv"):
    return client.post(IMPORT, {**NOTICE, "file": SimpleUploadedFile(name, content)}, follow=True)


def token(page: str) -> str:
    return page.split('name="token" value="')[1].split('"')[0]


def days_2027():
    return queries.calendar_of_year(2027).year(2027)


def test_manager_sees_twelve_months_the_status_and_the_forms(client, manager):
    client.force_login(manager)
    page = client.get(YEAR).content.decode()
    assert page.count('class="cal-month card"') == 12
    assert 'data-testid="year-status">Provisional' in page
    assert 'data-testid="calendar-provisional" data-year="2027"' in page
    assert 'data-date="2027-02-05" class="kind-holiday"' in page
    assert all(f'data-testid="{form}"' in page for form in ("import-form", "day-form", "official-form"))


def test_supervisor_reads_the_calendar_without_forms(client, supervisor):
    client.force_login(supervisor)
    page = client.get(YEAR).content.decode()
    assert 'data-testid="year-grid"' in page and 'data-testid="import-form"' not in page
    assert client.post(IMPORT, {**NOTICE}).status_code == 403


def test_import_with_a_bad_row_lists_it_changes_nothing_then_the_fixed_file_imports(client, manager):
    client.force_login(manager)
    bad = [*sample_2027()[:5], ("2027-02-05", "holday", "春节"), *sample_2027()[5:]]
    page = upload(client, csv_bytes(bad)).content.decode()
    assert 'data-testid="import-problems"' in page and 'data-testid="confirm-import"' not in page
    assert "<strong>line 7</strong>: &quot;holday&quot; is not a kind of day" in page
    assert days_2027().status == "provisional"
    page = upload(client, csv_bytes(sample_2027())).content.decode()
    assert 'data-testid="import-changes"' in page and '<tr data-date="2027-01-31">' in page
    assert days_2027().status == "provisional"  # the preview writes nothing
    done = client.post(CONFIRM, {"token": token(page)}, follow=True).content.decode()
    assert "The calendar of 2027 is imported and official" in done
    year = days_2027()
    assert (year.status, year.source.title, year.source.date, dict(year.days)) == (
        "official",
        NOTICE["source_title"],
        date(2026, 11, 12),
        sample_days(),
    )
    # Confirming the same preview again (a double click) changes nothing.
    again = client.post(CONFIRM, {"token": token(page)}, follow=True).content.decode()
    assert "The calendar of 2027 already is as in this file; nothing changed." in again
    assert CalendarYear.objects.get(year=2027).revisions.count() == 2


def test_a_changed_preview_token_is_refused(client, manager):
    client.force_login(manager)
    page = upload(client, csv_bytes(sample_2027())).content.decode()
    forged = token(page)[:-3] + "abc"
    refused = client.post(CONFIRM, {"token": forged}, follow=True).content.decode()
    assert "too old or was changed" in refused
    assert days_2027().status == "provisional"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (csv_bytes(sample_2027(), encoding="gbk"), "2027.csv", "not UTF-8 text"),
        (b"date,kind,name\n" + b"2027-01-01,holiday,x\n" * 600_000, "2027.csv", "larger than 5 MB"),
        (b"<xml/>", "2027.xml", "Import a CSV (.csv) or JSON (.json) file"),
        (b"[{", "2027.json", "The JSON file cannot be read"),
    ],
)
def test_unreadable_files_get_one_message_and_change_nothing(client, manager, content, name, message):
    client.force_login(manager)
    page = upload(client, content, name).content.decode()
    assert message in page and "Nothing was imported." in page
    assert days_2027().status == "provisional" and not CalendarYear.objects.filter(year=2027).exists()


def test_the_managers_audit_search_shows_the_import_in_words(client, manager):
    # Issue 22: the holiday calendar is in the audit trail; a company-wide change, so the manager's search finds it.
    client.force_login(manager)
    preview = upload(client, csv_bytes(sample_2027())).content.decode()
    client.post(CONFIRM, {"token": token(preview)}, follow=True)
    page = client.get(reverse("audit:search"), {"action": "workcalendar.import"}).content.decode()
    assert "Imported the State Council&#x27;s holiday notice" in page
    assert "刘强" in page and "2027 #2" in page
    assert "Provisional" in page and "Official" in page  # the status before and after, by its label
    assert "2027-01-31" in page


def test_json_rows_import_too(client, manager):
    client.force_login(manager)
    page = upload(client, json_bytes(sample_2027()), "2027.json").content.decode()
    assert 'data-testid="import-preview"' in page


def test_a_preview_made_before_another_managers_change_is_refused(client, manager):
    client.force_login(manager)
    page = upload(client, csv_bytes(sample_2027())).content.decode()
    save = reverse("workcalendar:day-save", kwargs={"year": 2027})
    client.post(save, {"date": "2027-03-08", "kind": "holiday", "name": "", "stamp": "not-stored"})
    refused = client.post(CONFIRM, {"token": token(page)}, follow=True).content.decode()
    assert "Someone else changed the calendar of 2027 since you opened it." in refused
    assert days_2027().status == "provisional"


def test_manager_edits_a_day_and_removes_it(client, manager):
    client.force_login(manager)
    save = reverse("workcalendar:day-save", kwargs={"year": 2027})
    page = client.post(save, {"date": "2027-01-31", "kind": "workday", "name": "春节调休上班"}, follow=True)
    assert "Day saved." in page.content.decode()
    assert days_2027().days[date(2027, 1, 31)].kind == "workday"
    wrong_year = client.post(save, {"date": "2028-01-31", "kind": "workday", "name": ""}, follow=True)
    assert "2028-01-31 is not in 2027." in wrong_year.content.decode()
    remove = reverse("workcalendar:day-remove", kwargs={"year": 2027, "calendar_day": "2027-01-31"})
    client.post(remove, follow=True)
    assert date(2027, 1, 31) not in days_2027().days


def test_team_settings_say_next_year_is_not_yet_official(client, supervisor, team):
    client.force_login(supervisor)
    page = client.get(reverse("roster:settings", kwargs={"team": team.slug})).content.decode()
    next_year = timezone.localdate().year + 1  # 2027 or later: the package holds no notice after 2026
    assert f'data-testid="calendar-provisional" data-year="{next_year}"' in page
    assert f"The holidays of {next_year} are not yet official" in page


def test_the_demo_stores_this_year_and_next_and_its_settings_page_says_next_year_is_provisional(
    client, supervisor, team
):
    # Issue 21 item 3: the demo shows next year (2027 in December 2026) provisional, with its notice on the settings.
    from workcalendar import demo

    today = timezone.localdate()
    demo.load(today=today)
    stored = dict(CalendarYear.objects.values_list("year", "status"))
    assert stored[today.year + 1] == "provisional" and today.year in stored
    demo.load(today=today)  # again: nothing new
    assert dict(CalendarYear.objects.values_list("year", "status")) == stored
    client.force_login(supervisor)
    page = client.get(reverse("roster:settings", kwargs={"team": team.slug})).content.decode()
    assert f'data-testid="calendar-provisional" data-year="{today.year + 1}"' in page


def test_draft_of_a_provisional_month_says_so_and_publishing_needs_the_confirmation(client, supervisor, team):
    make_agents(team, 8)
    roster = laid_out_month(team, date(2027, 1, 1))
    fill_draft(roster)
    client.force_login(supervisor)
    draft_url = reverse("roster:draft", kwargs={"team": team.slug, "month": "2027-01"})
    page = client.get(draft_url).content.decode()
    assert 'data-testid="calendar-provisional" data-year="2027"' in page and 'data-testid="accept-provisional"' in page
    publish = reverse("roster:publish", kwargs={"team": team.slug, "month": "2027-01"})
    roster.refresh_from_db()
    refused = client.post(publish, {"revision": roster.draft_revision}, follow=True).content.decode()
    assert "Confirm that you publish it anyway." in refused and roster.versions.filter(number=1).count() == 0
    client.post(publish, {"revision": roster.draft_revision, "accept_provisional": "on"}, follow=True)
    assert roster.versions.get(number=1).provisional_calendar is True


def test_my_shifts_and_the_statement_say_the_year_is_provisional(client, agent, team, supervisor):
    from roster import services

    make_agents(team, 8)
    month = date(timezone.localdate().year + 1, 3, 1)  # ahead of today, in a provisional year
    roster = laid_out_month(team, month)
    fill_draft(roster)
    services.publish_roster(roster, actor=supervisor.profile, expected_revision=None, accept_provisional=True)
    client.force_login(agent)
    page = client.get(reverse("roster:mine")).content.decode()
    if 'data-testid="my-shift"' in page:  # the agent holds a shift of that month
        assert f'data-testid="calendar-provisional" data-year="{month.year}"' in page
    statement = client.get(reverse("compensation:mine-month", kwargs={"month": month})).content.decode()
    assert f'data-testid="calendar-provisional" data-year="{month.year}"' in statement


# --- the command ------------------------------------------------------------------------------------------------


def run(*args) -> str:
    out = StringIO()
    call_command("holiday_calendar", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_command_prints_the_year_as_json(db):
    data = json.loads(run("--year", "2027", "--format", "json"))
    assert (data["year"], data["status"], data["source"]["title"]) == (2027, "provisional", "holidays 0.109")
    assert data["days"][0] == {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}


def test_command_imports_checks_with_dry_run_and_changes_nothing_the_second_time(db, tmp_path):
    notice = tmp_path / "notice-2027.csv"
    notice.write_bytes(csv_bytes(sample_2027()))
    dry = run("--import", str(notice), "--dry-run")
    assert "dry run, nothing written" in dry and days_2027().status == "provisional"
    done = run("--import", str(notice), "--source", NOTICE["source_title"], "--notice-date", "2026-11-12")
    assert "2027: official, revision 2" in done
    assert "already as in the file; nothing changed" in run(
        "--import", str(notice), "--source", NOTICE["source_title"], "--notice-date", "2026-11-12"
    )
    data = json.loads(run("--year", "2027", "--format", "json"))
    assert (data["status"], data["source"]) == ("official", {"title": NOTICE["source_title"], "date": "2026-11-12"})
    # What it prints imports as it is.
    printed = tmp_path / "printed.json"
    printed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert "already as in the file" in run("--import", str(printed))


def test_command_lists_every_bad_row_and_fails(db, tmp_path):
    notice = tmp_path / "bad.csv"
    notice.write_bytes(
        csv_bytes([("2027-01-01", "holiday", "元旦"), ("2027-01-01", "rest", ""), ("2026-05-01", "x", "")])
    )
    err = StringIO()
    with pytest.raises(CommandError, match="3 problem"):
        call_command("holiday_calendar", "--import", str(notice), stdout=StringIO(), stderr=err)
    assert err.getvalue().count("bad.csv, line") == 3
    assert days_2027().status == "provisional"
