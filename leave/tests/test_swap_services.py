"""leave.services, swaps (R-SWAP-1, R-SWAP-2): every transition, re-checks, bad input."""

from datetime import timedelta

import pytest

from dutydesk.models import Role
from dutydesk.notifications.models import NoticeKind, Notification
from leave import services
from leave.models import LeaveRequest, SwapRequest, SwapState
from roster.models import Roster, VersionKind
from roster.services import Replacement, revise_published
from testdata import holders, leave_setup, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(team, agent, lead, supervisor):
    return leave_setup(team, agent, lead)


def propose(setup, give, colleague, take=None, who="A", **extra):
    return services.propose_swap(
        profile=setup.people[who],
        give_shift_id=give.pk,
        colleague_id=setup.people[colleague].pk,
        take_shift_id=take.pk if take else None,
        reason=extra.pop("reason", "家里有事"),
        **extra,
    )


def states(swap) -> list[tuple[str, str, str]]:
    return [(e.actor.name, e.from_state, e.to_state) for e in swap.events.order_by("id")]


def test_exchange_accepted_and_recorded_changes_both_shifts(setup, lead):
    swap = propose(setup, setup.shift(0), "D", setup.shift(1))
    assert swap.state == SwapState.AWAITING_COLLEAGUE
    assert Notification.objects.get(kind=NoticeKind.REQUEST_WAITING).recipient == setup.people["D"]
    services.accept_swap(swap, actor=setup.people["D"], note="可以")
    services.record_swap(swap, actor=lead.profile, note="已登记")
    swap.refresh_from_db()
    assert swap.state == SwapState.APPROVED and swap.decided_at is not None
    assert holders(setup.shift(0)) == ["孙杰", "王磊"]
    assert holders(setup.shift(1)) == ["张伟", "赵敏"]
    version = Roster.objects.get(pk=setup.roster.pk).published_version
    assert (version.number, version.kind) == (2, VersionKind.SWAP)
    assert states(swap) == [
        ("张伟", "", "awaiting_colleague"),
        ("孙杰", "awaiting_colleague", "awaiting_lead"),
        ("李娜", "awaiting_lead", "approved"),
    ]
    assert set(
        Notification.objects.filter(kind=NoticeKind.ROSTER_CHANGED).values_list("recipient__name", flat=True)
    ) == {"张伟", "孙杰"}


def test_same_day_exchange_of_day_and_night(setup, lead):
    swap = propose(setup, setup.shift(0), "C", setup.shift(0, "night"))
    services.accept_swap(swap, actor=setup.people["C"])
    services.record_swap(swap, actor=lead.profile)
    assert (holders(setup.shift(0)), holders(setup.shift(0, "night"))) == (["王磊", "赵敏"], ["张伟"])


def test_give_away_to_free_colleague(setup, lead):
    swap = propose(setup, setup.shift(0), "L")
    services.accept_swap(swap, actor=setup.people["L"])
    second_lead = make_person(Role.LEAD, setup.roster.team, name="第二组长").profile
    with pytest.raises(services.RequestError):
        services.record_swap(swap, actor=lead.profile)  # L is part of the swap: another lead records it
    services.record_swap(swap, actor=second_lead)
    assert holders(setup.shift(0)) == ["李娜", "王磊"]


def test_declined_swap_changes_nothing(setup):
    swap = propose(setup, setup.shift(0), "D", setup.shift(1))
    services.decline_swap(swap, actor=setup.people["D"], reason="那天有事")
    assert SwapRequest.objects.get(pk=swap.pk).state == SwapState.DECLINED
    assert holders(setup.shift(0)) == ["张伟", "王磊"]
    assert Notification.objects.get(recipient=setup.people["A"], kind=NoticeKind.REQUEST_DECIDED).body == "那天有事"


def test_lead_rejects_signed_swap_with_reason(setup, lead):
    swap = propose(setup, setup.shift(0), "D", setup.shift(1))
    services.accept_swap(swap, actor=setup.people["D"])
    with pytest.raises(services.RequestError):
        services.reject_swap(swap, actor=lead.profile, reason="")
    services.reject_swap(swap, actor=lead.profile, reason="口头调班不算")
    assert SwapRequest.objects.get(pk=swap.pk).state == SwapState.REJECTED
    assert holders(setup.shift(0)) == ["张伟", "王磊"]


def test_withdraw_swap_until_recorded(setup, lead):
    swap = propose(setup, setup.shift(0), "D", setup.shift(1))
    services.accept_swap(swap, actor=setup.people["D"])
    with pytest.raises(services.RequestError):
        services.withdraw_request(swap, actor=setup.people["D"])  # only the requester
    services.withdraw_request(swap, actor=setup.people["A"])
    assert SwapRequest.objects.get(pk=swap.pk).state == SwapState.WITHDRAWN
    with pytest.raises(services.RequestError, match="张伟"):
        services.record_swap(swap, actor=lead.profile)


def test_only_named_colleague_accepts(setup):
    swap = propose(setup, setup.shift(0), "D", setup.shift(1))
    for who in ("A", "C", "L"):
        with pytest.raises(services.RequestError):
            services.accept_swap(swap, actor=setup.people[who])
    assert SwapRequest.objects.get(pk=swap.pk).state == SwapState.AWAITING_COLLEAGUE


def test_lead_cannot_record_before_colleague_signs(setup, lead):
    swap = propose(setup, setup.shift(0), "D", setup.shift(1))
    with pytest.raises(services.RequestError):
        services.record_swap(swap, actor=lead.profile)
    assert holders(setup.shift(0)) == ["张伟", "王磊"]


def test_record_refused_when_roster_changed(setup, lead, supervisor):
    swap = propose(setup, setup.shift(0), "D", setup.shift(1))
    services.accept_swap(swap, actor=setup.people["D"])
    revise_published(
        setup.roster,
        [Replacement(setup.shift(1).pk, setup.people["D"].pk, setup.people["L"].pk)],
        actor=supervisor.profile,
        kind=VersionKind.REVISION,
        reason="调整",
    )
    with pytest.raises(services.RequestError):
        services.record_swap(swap, actor=lead.profile)
    assert SwapRequest.objects.get(pk=swap.pk).state == SwapState.AWAITING_LEAD
    assert Roster.objects.get(pk=setup.roster.pk).published_version.number == 2


def test_accept_refused_when_roster_changed(setup, supervisor):
    swap = propose(setup, setup.shift(0), "L")
    # L was given B's night of d0 meanwhile: L can no longer take A's day shift that day.
    revise_published(
        setup.roster,
        [Replacement(setup.shift(0, "night").pk, setup.people["C"].pk, setup.people["L"].pk)],
        actor=supervisor.profile,
        kind=VersionKind.REVISION,
        reason="调整",
    )
    with pytest.raises(services.RequestError, match="李娜"):
        services.accept_swap(swap, actor=setup.people["L"])
    assert SwapRequest.objects.get(pk=swap.pk).state == SwapState.AWAITING_COLLEAGUE


# --- bad input ----------------------------------------------------------------------------------------------


def test_swap_with_oneself_is_refused(setup):
    with pytest.raises(services.RequestError):
        propose(setup, setup.shift(0), "A", setup.shift(2))
    assert SwapRequest.objects.count() == 0


def test_swap_with_new_hire_is_refused(setup):
    with pytest.raises(services.RequestError, match="违反排班规则.*周新"):  # R-SWAP-1, said in words
        propose(setup, setup.shift(0), "E")
    assert SwapRequest.objects.count() == 0


def test_swap_with_colleague_lacking_skill_is_refused(setup):
    with pytest.raises(services.RequestError, match="吴丽"):
        propose(setup, setup.shift(0), "F")
    assert SwapRequest.objects.count() == 0


def test_swap_with_other_team_is_refused(setup, outsider):
    with pytest.raises(services.RequestError):
        services.propose_swap(
            profile=setup.people["A"], give_shift_id=setup.shift(0).pk, colleague_id=outsider.profile.pk
        )
    assert SwapRequest.objects.count() == 0


def test_swap_of_someone_elses_shift_is_refused(setup):
    with pytest.raises(services.RequestError):
        propose(setup, setup.shift(1), "L")  # C and D's shift, not A's
    with pytest.raises(services.RequestError):
        propose(setup, setup.shift(0), "D", setup.shift(3))  # B and C's shift, not D's
    assert SwapRequest.objects.count() == 0


def test_swap_giving_to_busy_colleague_is_refused(setup):
    with pytest.raises(services.RequestError):
        propose(setup, setup.shift(0), "C")  # C works the night of d0
    assert SwapRequest.objects.count() == 0


def test_swap_of_started_shift_is_refused(setup):
    with pytest.raises(services.RequestError):
        propose(setup, setup.shift(0), "L", now=setup.shift(0).starts_at + timedelta(minutes=1))
    assert SwapRequest.objects.count() == 0


def test_swap_breaking_consecutive_nights_is_refused(team, agent, lead):
    # D works nights d0..d2; taking A's night of d3 would make 4 in a row (R-ROSTER-3).
    plan = {(0, "night"): "D", (1, "night"): "D", (2, "night"): "D", (3, "night"): "A", (3, "day"): "BC"}
    setup = leave_setup(team, agent, lead, plan=plan)
    with pytest.raises(services.RequestError, match="孙杰"):
        propose(setup, setup.shift(3, "night"), "D")
    assert SwapRequest.objects.count() == 0


def test_second_open_swap_or_leave_on_same_shift_is_refused(setup):
    propose(setup, setup.shift(0), "L")
    with pytest.raises(services.RequestError):
        propose(setup, setup.shift(0), "D", setup.shift(1))
    with pytest.raises(services.RequestError):
        services.request_leave(profile=setup.people["A"], duty_shift_ids=[setup.shift(0).pk], kind="sick", reason="x")
    assert (SwapRequest.objects.count(), LeaveRequest.objects.count()) == (1, 0)
