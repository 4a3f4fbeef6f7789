"""Sample URL arguments of the leave and swap pages for the access-matrix test (dutydesk/tests/test_access.py)."""

from datetime import date, time

from django.utils import timezone

from leave.models import LeaveRequest, LeaveShift, RequestEvent, SwapRequest
from roster.models import DutyShift, ShiftType


def url_samples(team, people) -> dict:
    agent, lead = people["agent"].profile, people["lead"].profile
    kind = ShiftType.objects.create(
        team=team, key="leave-sample", name="夜班", start=time(18), end=time(0), is_night=True
    )
    starts, ends = DutyShift.bounds(date(2026, 12, 12), kind)
    give = DutyShift.objects.create(
        team=team, date=date(2026, 12, 12), shift_type=kind, starts_at=starts, ends_at=ends, headcount=1
    )
    starts, ends = DutyShift.bounds(date(2026, 12, 13), kind)
    take = DutyShift.objects.create(
        team=team, date=date(2026, 12, 13), shift_type=kind, starts_at=starts, ends_at=ends, headcount=1
    )
    leave = LeaveRequest.objects.create(team=team, profile=agent, kind="sick", reason="发烧", created_at=timezone.now())
    LeaveShift.objects.create(leave=leave, duty_shift=give, profile=agent)
    RequestEvent.objects.create(leave=leave, actor=agent, to_state=leave.state, note="发烧")
    swap = SwapRequest.objects.create(
        team=team, profile=agent, colleague=lead, give_shift=give, take_shift=take, reason="家里有事"
    )
    RequestEvent.objects.create(swap=swap, actor=agent, to_state=swap.state)
    return {"leave": leave.pk, "swap": swap.pk}
