"""Hostile input at the boundary: extreme addresses and query values, dimension bombs, giant CSV cells, formulas in
names. Each answers with a clear message or 400/404, never a 500 and never a stalled server (issue #11, 4-7)."""

import base64
import io
import re
import uuid
import zipfile
from datetime import date
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from appraisal.models import SurveyResult
from dutydesk.models import Role
from dutydesk.permissions import ACTIONS, role_of
from dutydesk.spreadsheets import workbook_bytes
from dutydesk.tests.test_access import PUBLIC, _fill, app_urls, url_samples
from testdata import make_person

pytestmark = pytest.mark.django_db

# Months a converter must refuse (404): the probes of the report and the edges of what a date can hold.
IMPOSSIBLE_MONTHS = ["9999-12", "0001-01", "0000-01", "2026-13", "2026-00"]
# Query parameters read by some view (grep request.GET), each with values that broke or could break one.
QUERY_PARAMETERS = ["day", "page", "old", "new", "shift", "give", "run", "sort", "dir", "period", "draft"]
EXTREME_VALUES = ["9999-12-31", "0001-01-01", "99999999999999999999", "-1", "0", "x", "2026-02-30", "1e309"]
FORMULA = '=HYPERLINK("http://x","y")'


def _get_urls(samples, **overrides):
    """(url, view) of every page answering GET, with the samples and `overrides` filled in."""
    for name, route, view in app_urls():
        if name in PUBLIC or "GET" not in getattr(view, "access_methods", ()):
            continue
        yield _fill(route, {**samples, **overrides}), route, view


@pytest.mark.parametrize("month", IMPOSSIBLE_MONTHS)
def test_every_month_url_answers_404_for_an_impossible_month(client, people, team, month):
    samples = url_samples(team, people)
    checked = []
    for who in ("supervisor", "agent"):
        client.force_login(people[who])
        for url, route, view in _get_urls(samples, month=month):
            if "month" not in route or role_of(people[who]) not in ACTIONS[view.access_action]:
                continue
            response = client.get(url)
            assert response.status_code == 404, (url, who, response.status_code)
            checked.append(url)
    assert len(checked) >= 14


@pytest.mark.parametrize("value", EXTREME_VALUES)
def test_every_page_survives_extreme_query_values(people, team, value):
    samples = url_samples(team, people)
    query = "?" + urlencode({"q": "退款", **{name: value for name in QUERY_PARAMETERS}})
    failures = []
    for who in ("supervisor", "agent", "manager"):
        client = Client(raise_request_exception=False)
        client.force_login(people[who])
        for url, _route, view in _get_urls(samples):
            if role_of(people[who]) not in ACTIONS[view.access_action]:
                continue
            status = client.get(url + query).status_code
            if status >= 500:
                failures.append((url, who, status))
    assert failures == []


@pytest.mark.parametrize("character", ["\x00", "\x1f"])
def test_every_page_answers_a_control_character_in_its_query_with_a_message(people, team, character):
    """Issue #22 item 5: `?q=%00` gave a 500 on the members, skills and training pages."""
    samples = url_samples(team, people)
    query = "?" + urlencode({"q": f"退款{character}"})
    answers = set()
    for who in ("supervisor", "agent", "manager"):
        client = Client(raise_request_exception=False)
        client.force_login(people[who])
        for url, _route, view in _get_urls(samples):
            if role_of(people[who]) in ACTIONS[view.access_action]:
                response = client.get(url + query)
                answers.add((response.status_code, "控制字符" in response.content.decode()))
    assert answers == {(400, True)}


def test_a_control_character_in_a_form_field_a_field_name_or_an_address_is_a_message(client, team, supervisor):
    client.force_login(supervisor)
    members = reverse("people:members", kwargs={"team": team.slug})
    sent = [
        client.post("/accounts/login/", {"username": "agent\x00", "password": "x"}),
        client.post(members, {"na\x00me": "x"}),
        client.get("/people/team%00east/"),
    ]
    assert [(r.status_code, "控制字符" in r.content.decode()) for r in sent] == [(400, True)] * 3


def test_tabs_and_line_breaks_in_a_form_field_pass(client, team, supervisor):
    client.force_login(supervisor)
    response = client.get(reverse("people:members", kwargs={"team": team.slug}) + "?q=%E5%BC%A0%09%0A")
    assert response.status_code == 200


def test_board_far_day_and_search_far_page_answer_404(client, people, team):
    client.force_login(people["supervisor"])
    assert client.get(f"/logbook/{team.slug}/board/?day=9999-12-31").status_code == 404
    assert client.get(f"/logbook/{team.slug}/board/?day=0001-01-01").status_code == 404
    assert client.get(f"/logbook/{team.slug}/search/?q=退款&page=99999999999999999999").status_code == 404
    assert client.get(f"/logbook/{team.slug}/search/?q=退款&page=2").status_code == 200


# --- Hostile spreadsheets in (items 4, 5): the survey import's preview and import steps ---------------------------


def _with_dimension(content: bytes, dimension: str) -> bytes:
    """The same workbook declaring a dimension it does not fill: 1.5 KB that claims 17 billion cells."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"'.encode(), data)
                assert dimension.encode() in data
            target.writestr(item, data)
    return out.getvalue()


def _survey_workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    return workbook_bytes(book)


@pytest.fixture
def surveys_url(team, agent, supervisor, client):
    from testdata import on_duty

    on_duty(team, [agent.profile], [date(2026, 10, 3)])
    client.force_login(supervisor)
    return reverse("appraisal:surveys", kwargs={"team": team.slug})


def test_dimension_bomb_survey_is_previewed_from_its_real_rows(client, surveys_url):
    bomb = _with_dimension(_survey_workbook([["agent", "date", "score"], ["agent", "2026-10-03", 5]]), "A1:XFD1048576")
    assert len(bomb) < 10_000
    response = client.post(
        surveys_url, {"step": "preview", "scale": "five", "file": SimpleUploadedFile("bomb.xlsx", bomb)}
    )
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (len(preview.rows), preview.errors) == (1, [])
    client.post(surveys_url, {"step": "import", **response.context["confirm_form"].initial})
    assert SurveyResult.objects.count() == 1


@pytest.mark.parametrize("step", ["preview", "import"])
def test_csv_cell_of_200_kb_is_refused_with_a_message_at_preview_and_import(client, surveys_url, step):
    content = ('agent,date,score\nagent,2026-10-03,"' + "5" * 200_000 + '"\n').encode()
    if step == "preview":
        response = client.post(
            surveys_url,
            {"step": "preview", "scale": "five", "file": SimpleUploadedFile("long.csv", content)},
            follow=True,
        )
    else:  # a forged confirm step carrying the file back
        response = client.post(
            surveys_url,
            {"step": "import", "scale": "five", "file_name": "long.csv", "content": base64.b64encode(content).decode()},
            follow=True,
        )
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert "单元格过长" in page, page[:2000]
    assert SurveyResult.objects.count() == 0


@pytest.mark.parametrize("builder", ["wide_row", "shared_strings"])
def test_workbook_bombs_are_refused_with_a_message_at_both_upload_sites(client, surveys_url, team, builder):
    """Issue #22 item 4: the HR import and the survey upload, the two pages that read a spreadsheet."""
    from dutydesk.tests import hostile_files
    from people.models import PeopleImport

    content = getattr(hostile_files, f"{builder}_workbook")()
    expected = {"wide_row": "超过 1024 个单元格", "shared_strings": "解压后超过 30 MB"}[builder]
    survey = client.post(
        surveys_url, {"step": "preview", "scale": "five", "file": SimpleUploadedFile("bomb.xlsx", content)}
    )
    people = client.post(
        reverse("people:import", kwargs={"team": team.slug}), {"file": SimpleUploadedFile("bomb.xlsx", content)}
    )
    for response in (survey, people):
        assert response.status_code in (200, 400)
        assert expected in response.content.decode()
    assert (SurveyResult.objects.count(), PeopleImport.objects.count()) == (0, 0)


def test_nul_in_an_hr_csv_cell_is_a_message_not_a_500(team, supervisor):
    """Issue #22 item 5: it was a 500 (PostgreSQL cannot store a NUL)."""
    from people.models import PeopleImport
    from people.tests.factories import csv_bytes, hr_rows

    rows = hr_rows(2)
    rows[1][1] = "员工\x0002"
    client = Client(raise_request_exception=False)
    client.force_login(supervisor)
    response = client.post(
        reverse("people:import", kwargs={"team": team.slug}), {"file": SimpleUploadedFile("hr.csv", csv_bytes(rows))}
    )
    assert response.status_code == 400
    assert "第 3 行的单元格里有控制字符" in response.content.decode()
    assert PeopleImport.objects.count() == 0


# --- Formula injection out (item 6): every Excel export ---------------------------------------------------------


def _formula_cells(content: bytes) -> list[str]:
    """Cells Excel would evaluate: openpyxl's formula type, and any <f> element in the sheet XML itself."""
    book = load_workbook(io.BytesIO(content))
    found = [
        f"{sheet.title}!{cell.coordinate}"
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name):
                found.append(name)
    return found


def test_roster_workbook_writes_formula_names_as_text(client, team, agent, lead, supervisor):
    from roster import services
    from roster.models import ShiftType
    from testdata import MONTH, laid_out_month, make_agents

    make_person(Role.AGENT, team, username="formula", name=FORMULA)
    make_agents(team, 3)
    roster = laid_out_month(team)
    ShiftType.objects.filter(team=team).update(name=FORMULA)
    services.generate_draft(roster, actor=supervisor.profile)
    services.publish_roster(roster, actor=supervisor.profile, expected_revision=None, accept_provisional=True)
    client.force_login(supervisor)
    response = client.get(reverse("roster:excel", kwargs={"team": team.slug, "month": f"{MONTH:%Y-%m}"}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    texts = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert texts.count(FORMULA) > 1  # the person's name and the shifts held, all as the text typed
    assert _formula_cells(response.content) == []


def test_appraisal_workbook_writes_formula_names_as_text(client, team, supervisor, manager):
    from appraisal import services
    from testdata import evaluate, on_duty, weekends

    month = date(2026, 10, 1)
    person = make_person(Role.AGENT, team, username="formula", name=FORMULA).profile
    shifts = on_duty(team, [person], weekends(month, 1))
    evaluate(shifts[0], person, supervisor.profile)
    services.compute_appraisal(team=team, month=month)
    team.name = FORMULA
    team.save()
    client.force_login(manager)
    response = client.get(reverse("appraisal:export", kwargs={"team": team.slug, "month": month}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert FORMULA in [sheet.cell(row=3, column=2).value]
    assert _formula_cells(response.content) == []


# --- Unbounded text (item 9) ---------------------------------------------------------------------------------

FORM_MODULES = [
    "logbook.forms",
    "roster.forms",
    "leave.forms",
    "appraisal.forms",
    "dutydesk.notifications.forms",
    "people.forms",
    "compensation.forms",
]


def test_every_text_field_of_every_form_has_a_length_limit():
    import importlib
    import inspect

    from django import forms

    unbounded = []
    for name in FORM_MODULES:
        for _, form in inspect.getmembers(importlib.import_module(name), inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == name:
                unbounded += [
                    f"{form.__name__}.{field_name}"
                    for field_name, field in form.base_fields.items()
                    if type(field) is forms.CharField and field.max_length is None
                ]
    assert unbounded == []


# Written by the system from bounded inputs, never typed by a person.
# Written by the system, not typed: bounded by what it is made of (logbook.Entry.search_text: the entry's limited
# fields, normalised for the search).
SYSTEM_TEXT = {
    "notifications.Notification.body",
    "notifications.Outbox.body",
    "roster.GenerationRun.error",
    "logbook.Entry.search_text",
}


def test_every_free_text_column_is_limited_in_the_database():
    from django.db import models

    unbounded = []
    for model in apps.get_models():
        if model._meta.app_label not in {
            "dutydesk",
            "notifications",
            "roster",
            "logbook",
            "appraisal",
            "people",
            "compensation",
        }:
            continue
        checks = {c.name for c in model._meta.constraints}
        for field in model._meta.get_fields():
            label = f"{model._meta.label}.{field.name}"
            if isinstance(field, models.TextField) and label not in SYSTEM_TEXT:
                if field.max_length is None or not any(n.endswith(f"_{field.name}_length") for n in checks):
                    unbounded.append(label)
    assert unbounded == []


def test_a_megabyte_escalation_report_is_refused_and_nobody_is_sent_it(client, team, agent, supervisor):
    from dutydesk.notifications.models import Notification
    from logbook.models import Report
    from testdata import signed_in

    book = signed_in(team, agent)
    client.force_login(agent)
    response = client.post(
        reverse("logbook:report", kwargs={"team": team.slug, "logbook": book.pk}),
        {"title": "系统故障", "body": "x" * 1_000_000},
        follow=True,
    )
    assert "不超过 4000 字符" in response.content.decode()
    # Past the request size Django reads at all, the answer is a plain 400 page that says why, never a 500.
    huge = client.post(
        reverse("logbook:report", kwargs={"team": team.slug, "logbook": book.pk}),
        {"title": "系统故障", "body": "客" * 1_000_000},
    )
    assert huge.status_code == 400 and "太大" in huge.content.decode()
    assert (Report.objects.count(), Notification.objects.count()) == (0, 0)


def test_the_database_refuses_an_oversized_report_written_past_the_form(team, agent):
    from django.db import IntegrityError, transaction

    from logbook.models import Report
    from testdata import signed_in

    book = signed_in(team, agent)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(logbook=book, author=agent.profile, title="x", body="客" * 4001)


def test_a_promised_reply_on_9999_12_31_is_refused(client, team, agent):
    from logbook.models import Entry
    from testdata import signed_in

    book = signed_in(team, agent)
    client.force_login(agent)
    response = client.post(
        reverse("logbook:entry-new", kwargs={"team": team.slug, "logbook": book.pk}),
        {
            "client_token": str(uuid.uuid4()),
            "kind": "inquiry",
            "category": "logistics",
            "content": "何时退款",
            "status": "open",
            "promised_reply_at": "9999-12-31T23:59",
        },
    )
    assert response.status_code == 400
    assert "30 天内" in response.content.decode()
    assert Entry.objects.count() == 0


# --- Team robot addresses (item 11): https on port 443 of the platform's robot host, nothing else -------------

WECOM = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"


@pytest.mark.parametrize(
    "address, allowed",
    [
        (WECOM, True),
        ("https://qyapi.weixin.qq.com:443/cgi-bin/webhook/send?key=x", True),
        ("https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=x", False),
        ("https://qyapi.weixin.qq.com:99999/cgi-bin/webhook/send?key=x", False),
        ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", False),
        ("https://admin:pw@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", False),
        ("https://qyapi.weixin.qq.com.example.net/cgi-bin/webhook/send?key=x", False),
        ("https://oapi.dingtalk.com/robot/send?access_token=x", False),  # another platform's host
        ("http://127.0.0.1:8080/wecom?key=x", False),  # the tests' sink, refused in production
    ],
)
def test_team_robot_address_rules(client, settings, supervisor, team, address, allowed):
    from dutydesk.notifications.models import TeamNotificationSettings

    settings.ROBOT_WEBHOOK_ALLOW_LOOPBACK = False
    client.force_login(supervisor)
    response = client.post(
        reverse("notifications:team-settings", args=[team.slug]),
        {"reminder_hours": "24, 1", "signin_minutes": "15", "webhook_platform": "wecom", "webhook_url": address},
    )
    saved = TeamNotificationSettings.objects.filter(team=team).exclude(webhook_url="").exists()
    assert (saved, response.status_code == 302) == (allowed, allowed), response.status_code
    if not allowed:
        assert "这不是企业微信的机器人地址" in response.content.decode()


def test_a_robot_address_saved_past_the_form_is_never_posted_to(settings, team):
    from dutydesk.notifications.models import Channel, NoticeKind, Outbox, OutboxStatus
    from dutydesk.notifications.sending import send_due
    from dutydesk.notifications.tests.factories import robot
    from dutydesk.notifications.tests.sinks import RobotSink

    settings.ROBOT_WEBHOOK_ALLOW_LOOPBACK = False  # as in production: the loopback sink is not a robot host
    with RobotSink() as sink:
        robot(team, sink)
        Outbox.objects.create(
            team=team,
            key="test:1",
            channel=Channel.WEBHOOK,
            kind=NoticeKind.ROSTER_PUBLISHED,
            subject="通知",
            body="排班表已发布",
        )
        assert send_due(time_budget=10)["failed"] == 1
        row = Outbox.objects.get()
        assert (sink.accepted, row.status, "not an allowed https address" in row.last_error) == (
            [],
            OutboxStatus.PENDING,
            True,
        )
