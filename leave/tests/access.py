"""Sample URL arguments of the leave and swap pages for the access-matrix test (dutydesk/tests/test_access.py): a
leave request and a swap request, both waiting, filed through leave.services (testdata) on shifts of a published
October 2026 roster, filed the week before (past shifts: no other page offers them, as the marketplace would a
future one)."""

from datetime import date, datetime, time

from django.utils import timezone

from roster.models import DutyShift, ShiftType
from testdata import file_leave, proposed_swap, publish


def url_samples(team, people) -> dict:
    agent, lead = people["agent"].profile, people["lead"].profile
    kind = ShiftType.objects.create(
        team=team, key="leave-sample", name="夜班", start=time(18), end=time(0), is_night=True
    )
    shifts = {}
    for day in (17, 18, 24, 25):
        starts, ends = DutyShift.bounds(date(2026, 10, day), kind)
        shifts[day] = DutyShift.objects.create(
            team=team, date=date(2026, 10, day), shift_type=kind, starts_at=starts, ends_at=ends, headcount=1
        )
    # The agent holds the 17th and the 24th, the lead the 18th and the 25th (one night a weekend each).
    publish(team, [(agent, shifts[17]), (agent, shifts[24]), (lead, shifts[18]), (lead, shifts[25])], keep=True)
    filed = timezone.make_aware(datetime(2026, 10, 10, 12))
    leave = file_leave(agent, [shifts[17]], kind="sick", reason="发烧", now=filed)
    swap = proposed_swap(agent, shifts[24], lead, shifts[25], reason="家里有事", now=filed)
    return {"leave": leave.pk, "swap": swap.pk}
