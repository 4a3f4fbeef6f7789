from datetime import date, timedelta

import pytest
from django.utils import timezone

from dutydesk.models import Role
from logbook import services
from logbook.models import DisciplineRecord
from logbook.queries import MonthlyLogbookInputs, monthly_inputs
from testdata import make_person, open_entry, signed_in

pytestmark = pytest.mark.django_db


def test_monthly_inputs_counts_promises_marks_and_discipline_in_three_queries(
    team, agent, lead, django_assert_num_queries
):
    logbook = signed_in(team, agent, started_minutes_ago=60, hours=2)
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
        inputs = monthly_inputs(
            [agent.profile.pk, nobody.profile.pk], today - timedelta(days=2), today + timedelta(days=2)
        )
    assert inputs == {
        agent.profile.pk: MonthlyLogbookInputs(
            promised_replies_due=2,
            promised_replies_on_time=1,
            accuracy_marks=("few_errors",),
            discipline={"early_leave": 1, "demerit": 1},
        ),
        nobody.profile.pk: MonthlyLogbookInputs(),
    }


def test_search_entries_newest_first_pages_and_teams(team, other_team, agent):
    from logbook.queries import search_entries
    from testdata import write_entry

    logbook = signed_in(team, agent)
    older = write_entry(logbook, content="客户催退款")
    newer = write_entry(logbook, content="退款进度查询")
    write_entry(logbook, content="物流延迟")
    assert [e.pk for e in search_entries("退款", team_ids=[team.pk], limit=1)] == [newer.pk]  # the newest rows
    assert [e.pk for e in search_entries("退款", team_ids=[team.pk], limit=1, offset=1)] == [older.pk]  # the index
    assert [e.pk for e in search_entries("退款", team_ids=[team.pk, other_team.pk])] == [newer.pk, older.pk]
    assert search_entries("退款", team_ids=[other_team.pk]) == []
    assert search_entries("款退", team_ids=[team.pk]) == []
    assert [e.pk for e in search_entries("款", team_ids=[team.pk])] == [newer.pk, older.pk]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("订单123", {"exact"}),  # not 订单号123456: the parts must be next to each other
        ("3天", {"thirteen"}),  # 13天 holds 3天; "10天 … 3个工作日" does not
        ("订单１２３", {"exact"}),  # full-width digits are the same digits
        ("app", {"myapp"}),  # a word found inside a longer one, not only from its start
        ("456", {"order_no"}),  # a digit run from the middle of a number
        ("DD12", {"code"}),
        ("dd12", {"code"}),  # as ILIKE: case does not matter
        ("天", {"thirteen", "ten"}),
        ("退款 进度", set()),  # as typed, space included: no entry has it
        ("进度", {"ten"}),
    ],
)
def test_search_finds_exactly_what_ctrl_f_finds(team, agent, query, expected):
    from logbook.queries import search_entries
    from testdata import write_entry

    logbook = signed_in(team, agent)
    entries = {
        "order_no": write_entry(logbook, content="客户询问订单号123456的物流", outcome="已处理"),
        "exact": write_entry(logbook, content="订单123已拦截", outcome="已处理"),
        "thirteen": write_entry(logbook, content="已经13天没有更新", outcome="已处理"),
        "ten": write_entry(logbook, content="10天内退款", outcome="3个工作日到账，告知退款进度"),
        "myapp": write_entry(logbook, content="客户在myapp里下单失败", outcome="已处理"),
        "code": write_entry(logbook, content="催发货", outcome="单号DD12-778已加急"),
    }
    found = {e.pk for e in search_entries(query, team_ids=[team.pk])}
    assert found == {entries[name].pk for name in expected}


def test_search_never_matches_across_two_fields_nor_finds_phone_numbers(team, agent):
    from logbook.queries import search_entries
    from testdata import write_entry

    logbook = signed_in(team, agent)
    write_entry(logbook, content="客户要求退款", outcome="进度已告知", customer_phone="13812345678")
    assert search_entries("退款进度", team_ids=[team.pk]) == []  # 退款 ends one field, 进度 starts the next
    assert search_entries("13812345678", team_ids=[team.pk]) == []  # R-LOG-4: not searchable


def test_open_items_by_shift_lists_the_teams_open_promises_masked_for_reminders(
    team, other_team, agent, django_assert_num_queries
):
    from logbook.queries import open_items_by_shift
    from testdata import running_shift

    logbook = signed_in(team, agent)
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
