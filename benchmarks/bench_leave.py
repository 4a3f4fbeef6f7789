"""Leave and swaps at the size of a real team: 22 duty staff, a published month of 9 duty days x 2 shifts, 30 open
leave requests. Times the approver's queue (with ranked substitutes), a swap form's options, and a final approval
that writes a new roster version.

The month is the first from the month after next (so every shift is more than 24 h away, R-LEAVE-1) that has 9
weekend days, and its first 9: the same size of month on any date the benchmark runs (a month of 4 weekends has
only 8, which once left the swap's shift, row 40, out of a December run).
"""

import time as clock

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dutydesk.models import Role
from dutydesk.months import add_months, month_days, month_start, next_month
from leave import coverage, queries, services
from roster.models import DutyShift
from testdata import make_person, make_team, publish, refund_shift_types

DUTY_DAYS = 9


def duty_days(today=None) -> list:
    """The first DUTY_DAYS weekend days of the first month from the month after next that has that many."""
    month = add_months(month_start(today or timezone.localdate()), 2)
    while True:
        weekend = [day for day in month_days(month) if day.weekday() >= 5]
        if len(weekend) >= DUTY_DAYS:
            return weekend[:DUTY_DAYS]
        month = next_month(month)


def _team():
    team = make_team("基准客服组", "bench-leave")
    kinds, refund = refund_shift_types(team)
    lead = make_person(Role.LEAD, team, name="基准组长", skills=[refund]).profile
    supervisor = make_person(Role.SUPERVISOR, team, name="基准主管", oversees=[team]).profile
    staff = [make_person(Role.AGENT, team, name=f"客服{i:02d}", skills=[refund]).profile for i in range(20)] + [lead]
    days = duty_days()
    held, shifts, turn = [], [], 0
    for day in days:
        on_day = set()
        for _key, kind in kinds.items():
            starts, ends = DutyShift.bounds(day, kind)
            shift = DutyShift.objects.create(
                team=team,
                date=day,
                shift_type=kind,
                starts_at=starts,
                ends_at=ends,
                is_night=kind.is_night,
                headcount=kind.headcount + 1,
            )
            shifts.append(shift)
            for _ in range(shift.headcount):
                while staff[turn % len(staff)].pk in on_day:
                    turn += 1
                person = staff[turn % len(staff)]
                on_day.add(person.pk)
                held.append((person, shift))
                turn += 1
    version = publish(team, held, by=supervisor)
    rows = list(version.assignments.select_related("profile", "duty_shift").order_by("pk"))
    return team, lead, supervisor, rows


def _ms(action) -> tuple[float, object]:
    start = clock.perf_counter()
    result = action()
    return (clock.perf_counter() - start) * 1000, result


def main() -> None:
    team, lead, supervisor, rows = _team()
    filed = []
    for a in rows[:30]:
        filed.append(
            services.request_leave(profile=a.profile, duty_shift_ids=[a.duty_shift_id], kind="sick", reason="基准")
        )
    reset_queries()  # a full query log would shift what CaptureQueriesContext counts
    with CaptureQueriesContext(connection) as captured:
        took, queue = _ms(lambda: coverage.queue_for(team, lead))
    assert len(queue["leaves"]) == len([f for f in filed if f.profile_id != lead.pk])
    print(f"BENCH roster.leave.queue.requests30.ms {took:.0f} ms")
    print(f"BENCH roster.leave.queue.requests30.queries {len(captured.captured_queries)} queries")
    give = rows[40]
    took, options = _ms(lambda: coverage.swap_options(give.profile, give.duty_shift))
    print(f"BENCH roster.swap.options.colleagues21.ms {took:.0f} ms")
    leave = next(f for f in filed if f.profile_id != lead.pk)
    services.approve_leave_as_lead(leave, actor=lead)
    item = coverage.leave_items([queries.leave_requests().get(pk=leave.pk)])[0]
    substitute = item.shifts[0].suggestions[0].agent_id
    took, _ = _ms(
        lambda: services.approve_leave_as_supervisor(
            leave, actor=supervisor, substitutes={item.shifts[0].shift.pk: substitute}
        )
    )
    print(f"BENCH roster.leave.final_approval.ms {took:.0f} ms")
