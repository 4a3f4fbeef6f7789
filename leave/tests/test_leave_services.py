"""leave.services, leave requests: every transition, the re-checks on approval, every bad input."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dutydesk.models import Role
from dutydesk.notifications.models import NoticeKind, Notification
from leave import coverage, queries, services
from leave.models import EmergencyCall, LeaveRequest, LeaveShift, LeaveState, RequestEvent
from roster.models import Roster, VersionKind
from roster.services import Replacement, revise_published
from testdata import holders, leave_setup, make_person, soon_setup

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(team, agent, lead, supervisor):
    return leave_setup(team, agent, lead)


def file(setup, *shifts, who="A", **extra):
    extra.setdefault("kind", "personal")
    extra.setdefault("reason", "家里有事")
    return services.request_leave(profile=setup.people[who], duty_shift_ids=[s.pk for s in shifts], **extra)


def history(leave) -> list[tuple[str, str, str, str]]:
    return [(e.actor.name, e.from_state, e.to_state, e.note) for e in leave.events.order_by("id")]


def test_request_leave_waits_for_lead_and_notifies_leads(setup, lead):
    leave = file(setup, setup.shift(0))
    assert (leave.state, leave.emergency) == (LeaveState.AWAITING_LEAD, False)
    assert history(leave) == [("张伟", "", "awaiting_lead", "家里有事")]
    assert list(LeaveShift.objects.filter(leave=leave).values_list("duty_shift_id", "is_open")) == [
        (setup.shift(0).pk, True)
    ]
    assert list(
        Notification.objects.filter(kind=NoticeKind.REQUEST_WAITING).values_list("recipient__name", flat=True)
    ) == ["李娜"]


def test_two_level_approval_with_substitute_changes_roster(setup, lead, supervisor, overseer):
    leave = file(setup, setup.shift(0), setup.shift(2))
    services.approve_leave_as_lead(leave, actor=lead.profile, note="同意")
    assert leave.state == LeaveState.AWAITING_SUPERVISOR
    # Both supervisors of the team are asked: the one whose team it is and the one who oversees it.
    assert sorted(
        Notification.objects.filter(dedupe_key=f"leave:{leave.pk}:lead-approved").values_list(
            "recipient__name", flat=True
        )
    ) == sorted(["王芳", "钱红"])
    services.approve_leave_as_supervisor(
        leave,
        actor=supervisor.profile,
        note="批准",
        substitutes={setup.shift(0).pk: setup.people["L"].pk, setup.shift(2).pk: None},
    )
    leave.refresh_from_db()
    assert leave.state == LeaveState.APPROVED and leave.decided_at is not None
    assert holders(setup.shift(0)) == ["李娜", "王磊"]
    assert holders(setup.shift(2)) == ["孙杰"]  # R-LEAVE-4: no substitute, the shift shows under-covered
    roster = Roster.objects.get(pk=setup.roster.pk)
    assert (roster.published_version.number, roster.published_version.kind) == (2, VersionKind.LEAVE)
    assert history(leave) == [
        ("张伟", "", "awaiting_lead", "家里有事"),
        ("李娜", "awaiting_lead", "awaiting_supervisor", "同意"),
        ("王芳", "awaiting_supervisor", "approved", "批准"),
    ]
    assert list(leave.shifts.values_list("substitute__name", "is_open")) == [("李娜", False), (None, False)]
    assert queries.leave_dates(setup.roster.team, setup.days[0], setup.days[-1]) == {
        setup.people["A"].pk: {setup.days[0], setup.days[2]}
    }
    decided = Notification.objects.filter(kind=NoticeKind.REQUEST_DECIDED).values_list("recipient__name", "dedupe_key")
    assert sorted(decided) == sorted(
        [
            ("张伟", f"leave:{leave.pk}:lead-ok"),
            ("张伟", f"leave:{leave.pk}:approved"),
            ("李娜", f"leave:{leave.pk}:approved:leads"),
        ]
    )
    assert Notification.objects.filter(recipient=setup.people["L"], kind=NoticeKind.ROSTER_CHANGED).count() == 2
    assert (setup.shift(2), 1) in coverage.under_covered(setup.roster.team, today=setup.days[0])


def test_reject_by_lead_keeps_roster_and_tells_the_reason(setup, lead):
    leave = file(setup, setup.shift(0))
    services.reject_leave(leave, actor=lead.profile, reason="当天大促，人手不足")
    leave.refresh_from_db()
    assert leave.state == LeaveState.REJECTED
    assert history(leave)[-1] == ("李娜", "awaiting_lead", "rejected", "当天大促，人手不足")
    assert holders(setup.shift(0)) == ["张伟", "王磊"]
    assert (
        Notification.objects.get(recipient=setup.people["A"], kind=NoticeKind.REQUEST_DECIDED).body
        == "当天大促，人手不足"
    )
    assert list(leave.shifts.values_list("is_open", flat=True)) == [False]


def test_reject_by_supervisor_after_lead(setup, lead, supervisor):
    leave = file(setup, setup.shift(0))
    services.approve_leave_as_lead(leave, actor=lead.profile)
    services.reject_leave(leave, actor=supervisor.profile, reason="请先找好替班")
    assert LeaveRequest.objects.get(pk=leave.pk).state == LeaveState.REJECTED


def test_reject_without_reason_is_refused(setup, lead):
    leave = file(setup, setup.shift(0))
    with pytest.raises(services.RequestError):
        services.reject_leave(leave, actor=lead.profile, reason="  ")
    assert LeaveRequest.objects.get(pk=leave.pk).state == LeaveState.AWAITING_LEAD


def test_withdraw_until_decided(setup, lead):
    leave = file(setup, setup.shift(0))
    services.approve_leave_as_lead(leave, actor=lead.profile)
    services.withdraw_request(leave, actor=setup.people["A"])
    assert LeaveRequest.objects.get(pk=leave.pk).state == LeaveState.WITHDRAWN
    # The shift is free for a new request once the old one is closed.
    assert file(setup, setup.shift(0)).state == LeaveState.AWAITING_LEAD


def test_withdraw_after_decision_is_refused(setup, lead):
    leave = file(setup, setup.shift(0))
    services.reject_leave(leave, actor=lead.profile, reason="不行")
    with pytest.raises(services.RequestError, match="李娜"):
        services.withdraw_request(leave, actor=setup.people["A"])
    assert LeaveRequest.objects.get(pk=leave.pk).state == LeaveState.REJECTED


def test_withdraw_by_someone_else_is_refused(setup):
    leave = file(setup, setup.shift(0))
    with pytest.raises(services.RequestError):
        services.withdraw_request(leave, actor=setup.people["B"])
    assert LeaveRequest.objects.get(pk=leave.pk).state == LeaveState.AWAITING_LEAD


def test_double_approval_says_who_decided(setup, lead):
    leave = file(setup, setup.shift(0))
    services.approve_leave_as_lead(leave, actor=lead.profile)
    stale = LeaveRequest.objects.get(pk=leave.pk)
    stale.state = LeaveState.AWAITING_LEAD  # the page the second click came from
    with pytest.raises(services.RequestError, match="李娜"):
        services.approve_leave_as_lead(stale, actor=lead.profile)
    assert RequestEvent.objects.filter(leave=leave).count() == 2


# --- who may decide ---------------------------------------------------------------------------------------------


def test_nobody_approves_their_own_request(team, agent, lead, supervisor):
    setup = leave_setup(team, agent, lead, plan={(0, "day"): "LB", (0, "night"): "C"})
    leave = file(setup, setup.shift(0), who="L")
    with pytest.raises(services.RequestError):
        services.approve_leave_as_lead(leave, actor=lead.profile)
    assert LeaveRequest.objects.get(pk=leave.pk).state == LeaveState.AWAITING_LEAD
    other_lead = make_person(Role.LEAD, team, name="第二组长").profile
    services.approve_leave_as_lead(leave, actor=other_lead)
    assert LeaveRequest.objects.get(pk=leave.pk).state == LeaveState.AWAITING_SUPERVISOR


def test_lead_of_another_team_is_refused(setup, other_team):
    leave = file(setup, setup.shift(0))
    stranger = make_person(Role.LEAD, other_team, name="外组组长").profile
    with pytest.raises(services.RequestError):
        services.approve_leave_as_lead(leave, actor=stranger)
    assert LeaveRequest.objects.get(pk=leave.pk).state == LeaveState.AWAITING_LEAD


def test_supervisor_not_overseeing_is_refused(setup, lead, outsider):
    leave = file(setup, setup.shift(0))
    services.approve_leave_as_lead(leave, actor=lead.profile)
    with pytest.raises(services.RequestError):
        services.approve_leave_as_supervisor(leave, actor=outsider.profile, substitutes={})
    assert LeaveRequest.objects.get(pk=leave.pk).state == LeaveState.AWAITING_SUPERVISOR


def test_supervisor_cannot_skip_the_lead(setup, supervisor):
    leave = file(setup, setup.shift(0))
    with pytest.raises(services.RequestError, match="“"):
        services.approve_leave_as_supervisor(leave, actor=supervisor.profile, substitutes={})
    assert LeaveRequest.objects.get(pk=leave.pk).state == LeaveState.AWAITING_LEAD


def test_agent_cannot_approve(setup):
    leave = file(setup, setup.shift(0))
    with pytest.raises(services.RequestError):
        services.approve_leave_as_lead(leave, actor=setup.people["B"])
    assert LeaveRequest.objects.get(pk=leave.pk).state == LeaveState.AWAITING_LEAD


# --- approval re-checks the roster as it is now ---------------------------------------------------------------


def test_approval_refused_when_shift_changed(setup, lead, supervisor):
    leave = file(setup, setup.shift(0))
    services.approve_leave_as_lead(leave, actor=lead.profile)
    # Meanwhile a revision gave A's shift to L.
    revise_published(
        setup.roster,
        [Replacement(setup.shift(0).pk, setup.people["A"].pk, setup.people["L"].pk)],
        actor=supervisor.profile,
        kind=VersionKind.REVISION,
        reason="调整",
    )
    with pytest.raises(services.RequestError, match="张伟"):
        services.approve_leave_as_supervisor(leave, actor=supervisor.profile, substitutes={})
    leave.refresh_from_db()
    assert leave.state == LeaveState.AWAITING_SUPERVISOR
    assert Roster.objects.get(pk=setup.roster.pk).published_version.number == 2
    assert leave.events.count() == 2


def test_lead_approval_refused_when_shift_changed(setup, lead, supervisor):
    leave = file(setup, setup.shift(0))
    revise_published(
        setup.roster,
        [Replacement(setup.shift(0).pk, setup.people["A"].pk, setup.people["L"].pk)],
        actor=supervisor.profile,
        kind=VersionKind.REVISION,
        reason="调整",
    )
    with pytest.raises(services.RequestError, match="张伟"):
        services.approve_leave_as_lead(leave, actor=lead.profile)
    assert LeaveRequest.objects.get(pk=leave.pk).state == LeaveState.AWAITING_LEAD


def test_approval_refused_when_substitute_became_unavailable(setup, lead, supervisor):
    leave = file(setup, setup.shift(0))
    services.approve_leave_as_lead(leave, actor=lead.profile)
    # D was free on d0 when the request was made; now D works the night shift that day.
    revise_published(
        setup.roster,
        [Replacement(setup.shift(0, "night").pk, setup.people["C"].pk, setup.people["D"].pk)],
        actor=supervisor.profile,
        kind=VersionKind.REVISION,
        reason="调整",
    )
    with pytest.raises(services.RequestError, match="孙杰"):
        services.approve_leave_as_supervisor(
            leave, actor=supervisor.profile, substitutes={setup.shift(0).pk: setup.people["D"].pk}
        )
    assert LeaveRequest.objects.get(pk=leave.pk).state == LeaveState.AWAITING_SUPERVISOR
    assert holders(setup.shift(0)) == ["张伟", "王磊"]
    assert Roster.objects.get(pk=setup.roster.pk).published_version.number == 2


def test_approval_refused_for_unqualified_substitute(setup, lead, supervisor):
    leave = file(setup, setup.shift(0))
    services.approve_leave_as_lead(leave, actor=lead.profile)
    with pytest.raises(services.RequestError, match="周新"):
        services.approve_leave_as_supervisor(
            leave, actor=supervisor.profile, substitutes={setup.shift(0).pk: setup.people["E"].pk}
        )
    assert holders(setup.shift(0)) == ["张伟", "王磊"]


def test_approval_refused_for_substitute_of_another_team(setup, lead, supervisor, outsider):
    leave = file(setup, setup.shift(0))
    services.approve_leave_as_lead(leave, actor=lead.profile)
    with pytest.raises(services.RequestError):
        services.approve_leave_as_supervisor(
            leave, actor=supervisor.profile, substitutes={setup.shift(0).pk: outsider.profile.pk}
        )
    assert LeaveRequest.objects.get(pk=leave.pk).state == LeaveState.AWAITING_SUPERVISOR


# --- bad input when filing -----------------------------------------------------------------------------------


def test_leave_for_someone_elses_shift_is_refused(setup):
    with pytest.raises(services.RequestError):
        file(setup, setup.shift(1))  # C and D's day shift
    assert LeaveRequest.objects.count() == 0


def test_leave_for_unknown_shift_is_refused(setup):
    with pytest.raises(services.RequestError):
        services.request_leave(profile=setup.people["A"], duty_shift_ids=[999999], kind="sick", reason="x")
    assert LeaveRequest.objects.count() == 0


def test_leave_for_past_shift_is_refused(setup):
    later = setup.shift(0).starts_at + timedelta(hours=2)
    with pytest.raises(services.RequestError, match="已经开始|already started"):
        file(setup, setup.shift(0), now=later)
    assert LeaveRequest.objects.count() == 0


def test_leave_with_short_notice_names_the_rule(setup):
    almost = setup.shift(0).starts_at - timedelta(hours=23)
    with pytest.raises(services.RequestError, match="至少提前 24 小时"):  # R-LEAVE-1, said in words
        file(setup, setup.shift(0), now=almost)
    assert LeaveRequest.objects.count() == 0


def test_notice_follows_the_team_setting(team, agent, lead):
    setup = leave_setup(team, agent, lead, notice_hours=72)
    with pytest.raises(services.RequestError, match="72"):
        file(setup, setup.shift(0), now=setup.shift(0).starts_at - timedelta(hours=48))


def test_overlapping_requests_are_refused(setup):
    first = file(setup, setup.shift(0))
    with pytest.raises(services.RequestError, match=f"#{first.pk}"):
        file(setup, setup.shift(2), setup.shift(0))
    assert LeaveRequest.objects.count() == 1


def test_open_leave_per_shift_is_unique_in_the_database(setup):
    from django.db import IntegrityError, transaction

    first = file(setup, setup.shift(0))
    second = LeaveRequest.objects.create(team=first.team, profile=first.profile, kind="sick", reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        LeaveShift.objects.create(leave=second, duty_shift=setup.shift(0), profile=first.profile)


def test_missing_reason_or_type_is_refused(setup):
    with pytest.raises(services.RequestError):
        file(setup, setup.shift(0), reason=" ")
    with pytest.raises(services.RequestError):
        file(setup, setup.shift(0), kind="holiday")
    with pytest.raises(services.RequestError):
        services.request_leave(profile=setup.people["A"], duty_shift_ids=[], kind="sick", reason="x")
    assert LeaveRequest.objects.count() == 0


def test_proposed_substitute_from_another_team_is_refused(setup, outsider):
    with pytest.raises(services.RequestError):
        file(setup, setup.shift(0), proposed_substitute_id=outsider.profile.pk)
    with pytest.raises(services.RequestError):
        file(setup, setup.shift(0), proposed_substitute_id=setup.people["A"].pk)
    assert LeaveRequest.objects.count() == 0


# --- emergency leave (R-LEAVE-3) ------------------------------------------------------------------------------


def test_emergency_leave_after_recorded_call(team, agent, lead, supervisor, overseer):
    setup = soon_setup(team, agent, lead, starts_in=timedelta(hours=2))
    shift = setup.shift(0)
    with pytest.raises(services.RequestError, match="至少提前 24 小时"):  # R-LEAVE-1, said in words
        file(setup, shift)
    call = services.record_emergency_call(
        actor=lead.profile,
        profile_id=agent.profile.pk,
        duty_shift_id=shift.pk,
        called_at=timezone.now(),
        said="发烧39度，去医院",
    )
    assert queries.open_calls(team)[0].overdue is False
    # The written request may follow until an hour after the start.
    leave = file(setup, shift, kind="sick", reason="发烧", now=shift.starts_at + timedelta(minutes=50))
    assert (leave.emergency, EmergencyCall.objects.get(pk=call.pk).leave_id) == (True, leave.pk)
    assert queries.open_calls(team) == []
    assert Notification.objects.filter(recipient=agent.profile, kind=NoticeKind.REQUEST_WAITING).count() == 1
    assert Notification.objects.filter(recipient=supervisor.profile, kind=NoticeKind.REQUEST_WAITING).count() == 1
    assert Notification.objects.filter(recipient=overseer.profile, kind=NoticeKind.REQUEST_WAITING).count() == 1


def test_emergency_written_request_after_deadline_is_refused_and_overdue(team, agent, lead):
    setup = soon_setup(team, agent, lead, starts_in=timedelta(hours=-2))
    shift = setup.shift(0)
    services.record_emergency_call(
        actor=lead.profile,
        profile_id=agent.profile.pk,
        duty_shift_id=shift.pk,
        called_at=shift.starts_at - timedelta(minutes=40),
        said="家里急事",
        now=shift.starts_at - timedelta(minutes=30),
    )
    with pytest.raises(services.RequestError, match="一小时内"):  # R-LEAVE-3, said in words
        file(setup, shift)
    calls = queries.open_calls(team)
    assert [(c.profile.name, c.overdue) for c in calls] == [("张伟", True)]


def test_emergency_call_by_agent_or_for_others_shift_is_refused(team, agent, lead):
    setup = soon_setup(team, agent, lead, starts_in=timedelta(hours=2))
    with pytest.raises(services.RequestError):
        services.record_emergency_call(
            actor=setup.people["B"],
            profile_id=agent.profile.pk,
            duty_shift_id=setup.shift(0).pk,
            called_at=timezone.now(),
            said="x",
        )
    with pytest.raises(services.RequestError):
        services.record_emergency_call(
            actor=lead.profile,
            profile_id=setup.people["D"].pk,
            duty_shift_id=setup.shift(0).pk,
            called_at=timezone.now(),
            said="x",
        )
    with pytest.raises(services.RequestError):
        services.record_emergency_call(
            actor=lead.profile,
            profile_id=agent.profile.pk,
            duty_shift_id=setup.shift(0).pk,
            called_at=timezone.now() + timedelta(hours=1),
            said="x",
        )
    assert EmergencyCall.objects.count() == 0


def test_emergency_call_too_late_is_refused(team, agent, lead):
    setup = soon_setup(team, agent, lead, starts_in=timedelta(hours=-2))
    with pytest.raises(services.RequestError):
        services.record_emergency_call(
            actor=lead.profile,
            profile_id=agent.profile.pk,
            duty_shift_id=setup.shift(0).pk,
            called_at=timezone.now(),
            said="x",
        )
    assert EmergencyCall.objects.count() == 0


# --- queues -------------------------------------------------------------------------------------------------


def test_queue_ranks_substitutes_oldest_first(setup, lead, supervisor):
    first = file(setup, setup.shift(0))
    second = file(setup, setup.shift(1, "night"), who="B")
    queue = coverage.queue_for(setup.roster.team, lead.profile)
    assert [item.leave.pk for item in queue["leaves"]] == [first.pk, second.pk]
    row = queue["leaves"][0].shifts[0]
    # d0 day: free and qualified are L (0 shifts this month) and D (3); C works the night, E is a new hire,
    # F lacks the skill.
    assert ([(s.name, s.duty_this_month) for s in row.suggestions], row.counted, row.headcount) == (
        [("李娜", 0), ("孙杰", 3)],
        2,
        2,
    )
    assert coverage.queue_for(setup.roster.team, supervisor.profile)["leaves"] == []


def test_substitutes_skip_consecutive_night_limit(team, agent, lead):
    # D works nights d0..d2; taking B's night on d3 would make 4 in a row (R-ROSTER-3).
    plan = {(0, "night"): "D", (1, "night"): "D", (2, "night"): "D", (3, "night"): "B", (3, "day"): "AC"}
    setup = leave_setup(team, agent, lead, plan=plan)
    leave = file(setup, setup.shift(3, "night"), who="B")
    names = [s.name for s in coverage.leave_items([queries.leave_requests().get(pk=leave.pk)])[0].shifts[0].suggestions]
    assert names == ["李娜"]


def test_queue_query_count_is_fixed(setup, lead, django_assert_max_num_queries):
    for index in range(4):
        for letter in {0: "A", 1: "C", 2: "A", 3: "B"}[index]:
            file(setup, setup.shift(index), who=letter)
    with django_assert_max_num_queries(30):
        queue = coverage.queue_for(setup.roster.team, lead.profile)
        assert len(queue["leaves"]) == 4
