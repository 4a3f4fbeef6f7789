"""调休 (comp-time leave) through the leave flow: filing needs enough balance, the final approval takes it in the
same transaction as the roster change, and two approvals spending one balance at once: one succeeds (real threads,
each with its own PostgreSQL connection)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from compensation import queries
from compensation.models import CompTimeEntry, EntryKind
from compensation.tests.factories import earned
from dutydesk.models import Role
from dutydesk.testing import errors_of, run_together
from leave import kinds
from leave import services as leave_services
from leave.models import LeaveRequest, LeaveState, LeaveType
from leave.services import RequestError
from roster.models import DutyShift, Roster, ShiftType
from testdata import duty_shift, holders, leave_setup, make_person, publish

D = Decimal
pytestmark = pytest.mark.usefixtures("english")  # messages asserted in the source language


def give_balance(team, profile, hours) -> None:
    earned(profile, duty_shift(team, date(2026, 9, 5)), hours)  # never expires


def file(setup, index: int) -> LeaveRequest:
    return leave_services.request_leave(
        profile=setup.people["A"],
        duty_shift_ids=[setup.shift(index).pk],
        kind=LeaveType.COMP_TIME,
        reason="用调休陪家人",
    )


@pytest.mark.django_db
def test_comp_time_is_a_leave_kind_while_compensation_provides_its_rules():
    assert (LeaveType.COMP_TIME, "Comp-time leave") in [(v, str(label)) for v, label in kinds.choices()]
    assert kinds.rules_for(LeaveType.COMP_TIME) is not None


@pytest.mark.django_db
def test_filing_beyond_the_balance_is_refused_and_nothing_is_filed(team, agent, lead):
    setup = leave_setup(team, agent, lead)
    give_balance(team, agent.profile, "8.5")
    with pytest.raises(RequestError, match=r"needs 9\.00 hours, the balance is 8\.50 hours"):
        file(setup, 0)
    assert LeaveRequest.objects.count() == 0


@pytest.mark.django_db
def test_leave_form_offers_comp_time_and_refuses_it_beyond_the_balance_in_chinese(client, team, agent, lead):
    setup = leave_setup(team, agent, lead)
    give_balance(team, agent.profile, 6)
    client.force_login(agent)
    with translation.override("zh-hans"):
        page = client.get("/roster/requests/leave/new/?kind=comp_time").content.decode()
        assert '<option value="comp_time" selected>调休</option>' in page
        response = client.post(
            "/roster/requests/leave/new/",
            {"shifts": [setup.shift(0).pk], "kind": "comp_time", "reason": "陪家人", "proposed_substitute": ""},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert "调休余额不足：此次请假需要 9.00 小时，余额 6.00 小时。" in response.content.decode()
    assert LeaveRequest.objects.count() == 0


@pytest.mark.django_db
def test_approval_takes_the_hours_with_the_roster_change(team, agent, lead, supervisor):
    setup = leave_setup(team, agent, lead)
    give_balance(team, agent.profile, 12)
    leave = file(setup, 0)
    leave_services.approve_leave_as_lead(leave, actor=lead.profile)
    assert queries.balance_of(agent.profile) == D("12.00")  # nothing taken before the final approval
    leave_services.approve_leave_as_supervisor(
        leave, actor=supervisor.profile, substitutes={setup.shift(0).pk: setup.people["L"].pk}
    )
    used = CompTimeEntry.objects.get(kind=EntryKind.USED)
    assert (used.hours, used.leave, used.created_by) == (D("-9.00"), leave, supervisor.profile)
    assert queries.balance_of(agent.profile) == D("3.00")
    assert holders(setup.shift(0)) == ["李娜", "王磊"]


@pytest.mark.django_db
def test_approval_refused_when_the_balance_no_longer_covers_it_and_the_roster_stays(team, agent, lead, supervisor):
    setup = leave_setup(team, agent, lead)
    give_balance(team, agent.profile, 9)
    first, second = file(setup, 0), file(setup, 2)  # each 9 h; the balance covers one
    for leave in (first, second):
        leave_services.approve_leave_as_lead(leave, actor=lead.profile)
    leave_services.approve_leave_as_supervisor(
        first, actor=supervisor.profile, substitutes={setup.shift(0).pk: setup.people["L"].pk}
    )
    version = Roster.objects.get(pk=setup.roster.pk).published_version_id
    with pytest.raises(RequestError, match=r"Not enough comp time"):
        leave_services.approve_leave_as_supervisor(
            second, actor=supervisor.profile, substitutes={setup.shift(2).pk: setup.people["L"].pk}
        )
    assert LeaveRequest.objects.get(pk=second.pk).state == LeaveState.AWAITING_SUPERVISOR
    assert Roster.objects.get(pk=setup.roster.pk).published_version_id == version
    assert "张伟" in holders(setup.shift(2))
    assert queries.balance_of(agent.profile) == D("0.00")


@pytest.mark.django_db
def test_other_kinds_of_leave_need_no_balance(team, agent, lead):
    setup = leave_setup(team, agent, lead)
    leave = leave_services.request_leave(
        profile=setup.people["A"], duty_shift_ids=[setup.shift(0).pk], kind="sick", reason="发烧"
    )
    assert leave.state == LeaveState.AWAITING_LEAD


def shift_next_month(setup, team):
    """A day shift of the month after the setup's, held by A and B in its own published roster: approving leave
    from it locks another roster row than the setup's, so only the comp-time account serialises the two."""
    day = (setup.days[0].replace(day=1) + timedelta(days=40)).replace(day=1)
    day += timedelta(days=(5 - day.weekday()) % 7)
    kind = ShiftType.objects.get(team=team, key="day")
    starts, ends = DutyShift.bounds(day, kind)
    shift = DutyShift.objects.create(
        team=team, date=day, shift_type=kind, starts_at=starts, ends_at=ends, headcount=kind.headcount
    )
    publish(team, [(setup.people[letter], shift) for letter in "AB"], by=setup.people["L"])
    return shift


@pytest.mark.django_db(transaction=True)
def test_two_approvals_spending_one_balance_at_once_one_succeeds(team, agent, lead, supervisor):
    setup = leave_setup(team, agent, lead)
    later = shift_next_month(setup, team)
    other = make_person(Role.SUPERVISOR, team, name="第二主管", oversees=[team]).profile
    give_balance(team, agent.profile, 9)
    first = file(setup, 0)
    second = leave_services.request_leave(
        profile=setup.people["A"], duty_shift_ids=[later.pk], kind=LeaveType.COMP_TIME, reason="用调休陪家人"
    )
    for leave in (first, second):
        leave_services.approve_leave_as_lead(leave, actor=lead.profile)
    outcomes = run_together(
        lambda: leave_services.approve_leave_as_supervisor(
            LeaveRequest.objects.get(pk=first.pk),
            actor=supervisor.profile,
            substitutes={setup.shift(0).pk: setup.people["L"].pk},
        ),
        lambda: leave_services.approve_leave_as_supervisor(
            LeaveRequest.objects.get(pk=second.pk), actor=other, substitutes={later.pk: setup.people["L"].pk}
        ),
    )
    errors = errors_of(outcomes)
    assert len(errors) == 1 and isinstance(errors[0], RequestError), outcomes
    assert "Not enough comp time" in str(errors[0])
    states = sorted(LeaveRequest.objects.filter(pk__in=[first.pk, second.pk]).values_list("state", flat=True))
    assert states == [LeaveState.APPROVED, LeaveState.AWAITING_SUPERVISOR]
    assert list(CompTimeEntry.objects.filter(kind=EntryKind.USED).values_list("hours", flat=True)) == [D("-9.00")]
    assert queries.balance_of(agent.profile) == D("0.00")
    # One roster changed, the other not: the refused approval took its roster change back with it.
    assert sorted(Roster.objects.filter(team=team).values_list("published_version__number", flat=True)) == [1, 2]
