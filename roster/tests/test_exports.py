"""The Excel sheet (names down, dates across) and the iCalendar feed."""

from io import BytesIO

import pytest
from django.urls import reverse
from icalendar import Calendar
from openpyxl import load_workbook

from roster import queries, services, team_services
from testdata import MONTH, WEEKENDS, laid_out_month, make_agents

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


# --- issue 25 item 5: a feed that calendar apps keep in step -------------------------------------------------------


def test_feed_entries_raise_the_sequence_on_each_change_and_cancel_what_was_taken_away():
    from roster.feed import Entry, entries

    history = [{1: "member", 2: "member"}, {1: "backup", 2: "member", 3: "member"}, {1: "backup", 3: "member"}]
    assert entries(history) == {1: Entry(1, 1, False), 2: Entry(2, 1, True), 3: Entry(3, 0, False)}
    # Taken away and given back: one event, its sequence raised twice, confirmed again.
    assert entries([{5: "member"}, {}, {5: "member"}]) == {5: Entry(5, 2, False)}
    assert entries([]) == {}


def test_ical_feed_keeps_uids_raises_sequence_cancels_removed_shifts_in_the_team_zone(client, agent, lead, team):
    from datetime import timedelta

    from django.utils import timezone

    from roster.models import AssignmentRole
    from testdata import leave_setup, publish

    today = timezone.localdate()
    days = [today + timedelta(days=n) for n in (3, 4, 5)]
    setup = leave_setup(team, agent, lead, days=days, plan={(0, "day"): "A", (1, "day"): "A", (2, "day"): "B"})
    # Version 2: the agent's first shift becomes a backup role, the second is taken away, the third is given.
    me = agent.profile
    publish(team, [(me, setup.shift(0), AssignmentRole.BACKUP), (me, setup.shift(2))], by=lead)
    token = team_services.calendar_feed_for(me).token
    body = client.get(reverse("roster:feed", kwargs={"token": token})).content
    feed = Calendar.from_ical(body)
    events = {str(e["uid"]): e for e in feed.walk("VEVENT")}
    uid = lambda index: f"dutyshift-{setup.shift(index).id}-profile-{me.id}@dutydesk"  # noqa: E731
    assert set(events) == {uid(0), uid(1), uid(2)}
    assert (int(events[uid(0)]["sequence"]), str(events[uid(0)]["status"])) == (1, "CONFIRMED")
    assert (int(events[uid(1)]["sequence"]), str(events[uid(1)]["status"])) == (1, "CANCELLED")
    assert (int(events[uid(2)]["sequence"]), str(events[uid(2)]["status"])) == (0, "CONFIRMED")
    assert events[uid(1)]["dtstart"].dt == setup.shift(1).starts_at
    # In the team's zone, with its definition; calendar apps are asked to fetch again every hour.
    assert "DTSTART;TZID=Asia/Shanghai:" in body.decode()
    assert [str(z["tzid"]) for z in feed.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in body.decode() and "X-PUBLISHED-TTL:PT1H" in body.decode()
