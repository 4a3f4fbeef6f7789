from datetime import date, timedelta

import pytest
from django.utils import timezone

from dutydesk.models import Role
from dutydesk.tests.factories import make_person
from logbook import services
from logbook.models import DisciplineRecord
from logbook.queries import MonthlyLogbookInputs, monthly_inputs
from logbook.tests.factories import on_duty, open_entry

pytestmark = pytest.mark.django_db


def test_monthly_inputs_counts_promises_marks_and_discipline_in_three_queries(team, agent, lead,
                                                                               django_assert_num_queries):
    logbook = on_duty(team, agent, started_minutes_ago=60, hours=2)
    on_time = open_entry(logbook, hours=1)
    open_entry(logbook, hours=1)  # never answered
    services.answer_entry(on_time, profile=agent.profile, answer="已回电")
    services.sign_out(logbook, profile=agent.profile, early_leave_reason="家中急事")
    services.write_summary(logbook, profile=agent.profile, hot_issues="无", suggestions="")
    services.submit_logbook(logbook, profile=agent.profile)
    services.review_logbook(logbook, reviewer=lead.profile, accuracy="few_errors")
    DisciplineRecord.objects.create(profile=agent.profile, kind="demerit", date=logbook.duty_shift.date, note="x")
    DisciplineRecord.objects.create(profile=agent.profile, kind="late", date=date(2020, 1, 1), note="long ago")
    nobody = make_person(Role.AGENT, team)
    today = timezone.localdate()
    with django_assert_num_queries(3):
        inputs = monthly_inputs([agent.profile.pk, nobody.profile.pk], today - timedelta(days=2),
                                today + timedelta(days=2))
    assert inputs == {
        agent.profile.pk: MonthlyLogbookInputs(promised_replies_due=2, promised_replies_on_time=1,
                                               accuracy_marks=("few_errors",),
                                               discipline={"early_leave": 1, "demerit": 1}),
        nobody.profile.pk: MonthlyLogbookInputs(),
    }


def test_search_entries_newest_first_pages_and_teams(team, other_team, agent):
    from logbook.queries import search_entries
    from logbook.tests.factories import write_entry

    logbook = on_duty(team, agent)
    older = write_entry(logbook, content="客户催退款")
    newer = write_entry(logbook, content="退款进度查询")
    write_entry(logbook, content="物流延迟")
    assert [e.pk for e in search_entries("退款", team_ids=[team.pk], limit=1)] == [newer.pk]  # the newest rows
    assert [e.pk for e in search_entries("退款", team_ids=[team.pk], limit=1, offset=1)] == [older.pk]  # the index
    assert [e.pk for e in search_entries("退款", team_ids=[team.pk, other_team.pk])] == [newer.pk, older.pk]
    assert search_entries("退款", team_ids=[other_team.pk]) == []
    assert search_entries("款退", team_ids=[team.pk]) == []
    assert [e.pk for e in search_entries("款", team_ids=[team.pk])] == [newer.pk, older.pk]


def test_open_items_by_shift_lists_the_teams_open_promises_masked_for_reminders(team, other_team, agent,
                                                                                 django_assert_num_queries):
    from logbook.queries import open_items_by_shift
    from logbook.tests.factories import running_shift

    logbook = on_duty(team, agent)
    open_entry(logbook, hours=3, customer_ref="13812345678", content="退款进度，客户电话 13912345678")
    elsewhere = running_shift(other_team)
    later = running_shift(team, started_minutes_ago=-600)
    with django_assert_num_queries(2):
        items = open_items_by_shift([later.id, elsewhere.id])
    assert items[elsewhere.id] == []
    [text] = items[later.id]
    # R-LOG-4: no full phone number in a notice.
    assert "13812345678" not in text and "13912345678" not in text
    assert "138****5678" in text and "退款进度" in text
