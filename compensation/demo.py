"""Demo duty hours and compensation, built on the published demo rosters and duty days through the real services:
each team's policy (team-east: comp time 1:1, expiring after 6 months; team-south: rest days paid 2.0, holidays
paid 3.0 and also comp time, expiring after 12 months), one personal exception, the statements of the two months
before `today` confirmed, disputed, resolved and finalised, this month's open statement with a dispute waiting,
an appraisal reward granted as comp time, and 调休 taken through the leave flow (one approved by the lead and the
supervisor, one waiting for the lead). Idempotent: finalised months, granted rewards and leave requests (keyed on
their reason) are left alone; a no-op where no roster is published yet."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from compensation import queries, services
from compensation.models import CompensationPolicy, PolicyException, ResponseKind, StatementResponse
from dutydesk.models import Profile, Role, Team
from dutydesk.months import add_months
from roster.queries import published_assignments

POLICIES = {
    "team-east": {},  # the defaults: comp time 1:1, holidays paid 3.0, expiry 6 months
    "team-south": {
        "rest_day_treatment": "overtime_pay",
        "rest_day_multiplier": Decimal("2.00"),
        "holiday_comp_time": True,
        "holiday_ratio": Decimal("1.00"),
        "expiry_months": 12,
    },
}
EXCEPTION = (
    "team-east",
    "本人申请：休息日值班按2倍折算加班费，不计调休（经主管同意）",
    {"rest_day_treatment": "overtime_pay"},
)
DISPUTES = [
    "月中那个周六我18:20才签退，实际工时应该算满。",
    "国庆值班那天的签到时间记录有误，我是8:40到岗的。",
]
RESOLUTIONS = [
    "已核对：班次到18:00为止，超出部分不计入值班工时，按系统记录计算。",
    "已调取门禁记录核实，签到时间已更正，重新计算后无差异。",
]


def load(*, today: date) -> None:
    end_of_today = datetime.combine(today, time(23, 59), tzinfo=timezone.get_default_timezone())
    now = min(timezone.now(), end_of_today)
    this_month = today.replace(day=1)
    months = [add_months(this_month, -2), add_months(this_month, -1), this_month]
    for team in Team.objects.filter(slug__in=POLICIES).order_by("slug"):
        supervisor = Profile.objects.filter(team=team, role=Role.SUPERVISOR).order_by("user__username").first()
        lead = Profile.objects.filter(team=team, role=Role.LEAD).order_by("user__username").first()
        if supervisor is None or lead is None:
            continue
        _policy(team, supervisor)
        if not published_assignments().filter(duty_shift__team=team, date__gte=months[0]).exists():
            continue
        for month in months:
            statement = queries.current_statement(team, month)
            if statement is not None and statement.is_finalised:
                continue
            statement = services.compute_statement(team=team, month=month, actor=supervisor, now=now)
            if month == this_month:
                _responses(statement, lead, resolve=False)
            else:
                _responses(statement, lead, resolve=True)
                services.finalise_statement(statement, actor=supervisor, today=today)
        _comp_time_leave(team, lead, supervisor, now)
        services.compute_statement(team=team, month=this_month, actor=supervisor, now=now)  # with the leave taken
    _rewards()


def _policy(team, supervisor) -> None:
    if not CompensationPolicy.objects.filter(team=team).exists():
        services.update_policy(team=team, actor=supervisor, values=POLICIES[team.slug])
    slug, reason, values = EXCEPTION
    if team.slug != slug or PolicyException.objects.filter(profile__team=team).exists():
        return
    person = Profile.objects.filter(team=team, role=Role.AGENT, user__username="agent03").first()
    if person is not None:
        services.set_exception(profile=person, actor=supervisor, values=values, reason=reason)


def _responses(statement, lead, *, resolve: bool) -> None:
    """Most people with shifts confirm; one disputes, and in a month to be finalised the team lead resolves it."""
    if StatementResponse.objects.filter(line__statement=statement).exists():
        return
    lines = [line for line in queries.statement_lines(statement) if line.shifts and line.profile_id != lead.pk]
    if len(lines) < 2:
        return
    index = statement.month.month % 2
    disputed = lines[1]
    response = services.respond_to_statement(
        disputed, agent=disputed.profile, kind=ResponseKind.DISPUTED, comment=DISPUTES[index]
    )
    if resolve:
        services.resolve_dispute(response, actor=lead, resolution=RESOLUTIONS[index])
    for line in lines[2 : len(lines) - 3]:  # a few have not answered yet
        services.respond_to_statement(line, agent=line.profile, kind=ResponseKind.CONFIRMED)


def _rewards() -> None:
    """A manager grants one extra reward (R-APP-5) of each team as comp time, if the appraisal demo gave one."""
    manager = Profile.objects.filter(role=Role.MANAGER).order_by("user__username").first()
    if manager is None:
        return
    for team in Team.objects.filter(slug__in=POLICIES).order_by("slug"):
        candidates = queries.reward_candidates(team)
        if not candidates or any(granted for _score, granted in candidates):
            continue
        score, _granted = candidates[0]
        services.grant_reward(score, actor=manager, hours=queries.policy_of(team).reward_hours)


COMP_TIME_LEAVE = [("用国庆值班攒的调休回老家看望父母", True), ("孩子开学，想用调休陪一天", False)]


def _comp_time_leave(team, lead, supervisor, now) -> None:
    """Two people with enough comp time take a coming shift off as 调休: one approved at both levels (with the
    first suggested substitute), one waiting for the team lead."""
    from leave import coverage
    from leave import queries as leave_queries
    from leave import services as leave_services
    from leave.models import LeaveRequest, LeaveShift, LeaveType

    taken = set(LeaveShift.objects.filter(leave__team=team, is_open=True).values_list("profile_id", flat=True))
    slots = (
        published_assignments()
        .filter(
            duty_shift__team=team,
            profile__role=Role.AGENT,
            role="member",
            duty_shift__starts_at__gte=now + timedelta(days=2),
        )
        .select_related("duty_shift__shift_type", "profile")
        .order_by("duty_shift__starts_at", "profile_id")
    )
    for reason, approve in COMP_TIME_LEAVE:
        if LeaveRequest.objects.filter(team=team, reason=reason).exists():
            continue
        slot = next(
            (
                a
                for a in slots
                if a.profile_id not in taken
                and services.comp_time_refusal(profile=a.profile, duty_shifts=[a.duty_shift]) is None
            ),
            None,
        )
        if slot is None:
            return
        taken.add(slot.profile_id)
        leave = leave_services.request_leave(
            profile=slot.profile, duty_shift_ids=[slot.duty_shift_id], kind=LeaveType.COMP_TIME, reason=reason, now=now
        )
        if not approve:
            continue
        leave_services.approve_leave_as_lead(leave, actor=lead, note="同意，调休余额充足")
        item = coverage.leave_items([leave_queries.leave_requests().get(pk=leave.pk)])[0]
        substitutes = {row.shift.pk: next((s.agent_id for s in row.suggestions), None) for row in item.shifts}
        leave_services.approve_leave_as_supervisor(
            leave, actor=supervisor, substitutes=substitutes, note="同意调休，已安排替班"
        )
