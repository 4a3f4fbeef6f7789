"""Two approvers at once on real PostgreSQL, each in its own thread and connection: one decision, one
"already decided by …", one roster change."""

import pytest

from dutydesk.models import Role
from dutydesk.testing import run_together
from leave import services
from leave.models import LeaveRequest, LeaveState, RequestEvent, SwapRequest, SwapState
from roster.models import Roster
from testdata import holders, leave_setup, make_person

pytestmark = pytest.mark.usefixtures("english")  # assert on the English source text


def split(outcomes) -> tuple[list, list[str]]:
    errors = [str(o) for o in outcomes if isinstance(o, Exception)]
    assert all(isinstance(o, services.RequestError) for o in outcomes if isinstance(o, Exception)), outcomes
    return [o for o in outcomes if not isinstance(o, Exception)], errors


@pytest.mark.django_db(transaction=True)
def test_two_leads_approve_at_once_one_decision(team, agent, lead, supervisor):
    setup = leave_setup(team, agent, lead)
    second = make_person(Role.LEAD, team, name="第二组长").profile
    leave = services.request_leave(
        profile=setup.people["A"], duty_shift_ids=[setup.shift(0).pk], kind="sick", reason="发烧"
    )
    done, errors = split(
        run_together(
            lambda: services.approve_leave_as_lead(LeaveRequest.objects.get(pk=leave.pk), actor=lead.profile),
            lambda: services.approve_leave_as_lead(LeaveRequest.objects.get(pk=leave.pk), actor=second),
        )
    )
    assert (len(done), len(errors)) == (1, 1)
    winner = RequestEvent.objects.get(leave=leave, to_state=LeaveState.AWAITING_SUPERVISOR).actor.name
    assert winner in errors[0] and "Already decided by" in errors[0]
    assert LeaveRequest.objects.get(pk=leave.pk).state == LeaveState.AWAITING_SUPERVISOR
    assert RequestEvent.objects.filter(leave=leave).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_supervisors_approve_at_once_one_roster_change(team, agent, lead, supervisor):
    setup = leave_setup(team, agent, lead)
    other = make_person(Role.SUPERVISOR, team, name="第二主管", oversees=[team]).profile
    leave = services.request_leave(
        profile=setup.people["A"], duty_shift_ids=[setup.shift(0).pk], kind="sick", reason="发烧"
    )
    services.approve_leave_as_lead(leave, actor=lead.profile)
    subs = {setup.shift(0).pk: setup.people["L"].pk}
    other_subs = {setup.shift(0).pk: setup.people["D"].pk}
    done, errors = split(
        run_together(
            lambda: services.approve_leave_as_supervisor(
                LeaveRequest.objects.get(pk=leave.pk), actor=supervisor.profile, substitutes=subs
            ),
            lambda: services.approve_leave_as_supervisor(
                LeaveRequest.objects.get(pk=leave.pk), actor=other, substitutes=other_subs
            ),
        )
    )
    assert (len(done), len(errors)) == (1, 1)
    assert "Already decided by" in errors[0]
    assert LeaveRequest.objects.get(pk=leave.pk).state == LeaveState.APPROVED
    roster = Roster.objects.get(pk=setup.roster.pk)
    assert roster.published_version.number == 2  # one new version, not two
    assert len(holders(setup.shift(0))) == 2 and "张伟" not in holders(setup.shift(0))


@pytest.mark.django_db(transaction=True)
def test_double_click_on_record_swap_records_once(team, agent, lead, supervisor):
    setup = leave_setup(team, agent, lead)
    swap = services.propose_swap(
        profile=setup.people["A"],
        give_shift_id=setup.shift(0).pk,
        colleague_id=setup.people["D"].pk,
        take_shift_id=setup.shift(1).pk,
    )
    services.accept_swap(swap, actor=setup.people["D"])
    done, errors = split(
        run_together(
            lambda: services.record_swap(SwapRequest.objects.get(pk=swap.pk), actor=lead.profile),
            lambda: services.record_swap(SwapRequest.objects.get(pk=swap.pk), actor=lead.profile),
        )
    )
    assert (len(done), len(errors)) == (1, 1)
    assert "李娜" in errors[0]
    assert SwapRequest.objects.get(pk=swap.pk).state == SwapState.APPROVED
    assert Roster.objects.get(pk=setup.roster.pk).published_version.number == 2
    assert holders(setup.shift(1)) == ["张伟", "赵敏"]
