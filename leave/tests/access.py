"""Sample URL arguments of the leave and swap pages for the access-matrix test (dutydesk/tests/test_access.py): a
leave request and a swap request, both waiting, filed through leave.services (testdata) on shifts of a published
December 2026 roster."""

from datetime import date, time

from roster.models import DutyShift, ShiftType
from testdata import file_leave, proposed_swap, publish


def url_samples(team, people) -> dict:
    agent, lead = people["agent"].profile, people["lead"].profile
    kind = ShiftType.objects.create(
        team=team, key="leave-sample", name="夜班", start=time(18), end=time(0), is_night=True
    )
    shifts = {}
    for day in (12, 13, 19, 20):
        starts, ends = DutyShift.bounds(date(2026, 12, day), kind)
        shifts[day] = DutyShift.objects.create(
            team=team, date=date(2026, 12, day), shift_type=kind, starts_at=starts, ends_at=ends, headcount=1
        )
    # The agent holds the 12th and the 19th, the lead the 13th and the 20th (one night a weekend each).
    publish(team, [(agent, shifts[12]), (agent, shifts[19]), (lead, shifts[13]), (lead, shifts[20])], keep=True)
    leave = file_leave(agent, [shifts[12]], kind="sick", reason="发烧")
    swap = proposed_swap(agent, shifts[19], lead, shifts[20], reason="家里有事")
    return {"leave": leave.pk, "swap": swap.pk}
