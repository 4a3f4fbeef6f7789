"""The Excel sheet (names down, dates across) and the iCalendar feed."""

from io import BytesIO

import pytest
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from roster import queries, services, team_services
from roster.tests.factories import MONTH, WEEKENDS, laid_out_month, make_agents

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(team, agent, lead, supervisor):
    make_agents(team, 3)
    roster = laid_out_month(team)
    services.generate_draft(roster, actor=supervisor.profile)
    services.publish_roster(roster, actor=supervisor.profile, expected_revision=None, accept_provisional=True)
    roster.refresh_from_db()
    return roster


def test_excel_has_names_down_and_dates_across(client, agent, team, published):
    client.force_login(agent)
    response = client.get(reverse("roster:excel", kwargs={"team": team.slug, "month": f"{MONTH:%Y-%m}"}))
    sheet = load_workbook(BytesIO(response.content)).active
    header = [c.value for c in sheet[3]]
    names = [sheet.cell(row=r, column=1).value for r in range(4, sheet.max_row + 1)]
    assert header == ["姓名", *[f"{d:%m-%d}" for d in WEEKENDS], "值班次数"]
    assert names == [p.name for p in queries.duty_staff(team)]
    agent_row = 4 + names.index("张伟")
    shifts = {
        sheet.cell(row=3, column=c).value: sheet.cell(row=agent_row, column=c).value
        for c in range(2, len(WEEKENDS) + 2)
        if sheet.cell(row=agent_row, column=c).value
    }
    mine = {
        f"{a.date:%m-%d}": a.duty_shift.shift_type.name
        for a in published.published_version.assignments.filter(profile=agent.profile).select_related(
            "duty_shift__shift_type"
        )
    }
    assert shifts == mine
    assert response["Content-Disposition"] == f'attachment; filename="roster-{team.slug}-2027-03.xlsx"'


def test_excel_of_unpublished_month_says_so(client, agent, team):
    client.force_login(agent)
    response = client.get(reverse("roster:excel", kwargs={"team": team.slug, "month": "2027-04"}))
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet.cell(row=3, column=1).value == "本月排班表尚未发布。"


def test_ical_feed_events_have_times_and_teammates(client, agent, team, published):
    token = team_services.calendar_feed_for(agent.profile).token
    feed = Calendar.from_ical(client.get(reverse("roster:feed", kwargs={"token": token})).content)
    events = sorted(feed.walk("VEVENT"), key=lambda e: e["dtstart"].dt)
    mine = list(queries.shifts_of(agent.profile, start=MONTH))
    assert [(e["dtstart"].dt, e["dtend"].dt) for e in events] == [
        (a.duty_shift.starts_at, a.duty_shift.ends_at) for a in mine
    ]
    assert all(str(e["summary"]).startswith("值班: ") for e in events)
    assert len({str(e["uid"]) for e in events}) == len(mine)
