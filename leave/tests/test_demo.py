"""leave.demo: loads its cases through the services, and a second run adds nothing."""

import pytest
from django.utils import timezone

from leave import demo
from leave.models import LeaveRequest, RequestEvent, SwapRequest
from roster.models import RosterVersion
from testdata import leave_setup

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int]:
    return (
        LeaveRequest.objects.count(),
        SwapRequest.objects.count(),
        RequestEvent.objects.count(),
        RosterVersion.objects.count(),
    )


def test_leave_demo_is_idempotent(team, agent, lead, supervisor):
    leave_setup(team, agent, lead)
    demo.load(today=timezone.localdate())
    first = counts()
    states = sorted(LeaveRequest.objects.values_list("state", flat=True))
    demo.load(today=timezone.localdate())
    assert counts() == first, list(LeaveRequest.objects.values_list("reason", "state", "profile__name"))
    assert first[0] >= 4 and "approved" in states and "awaiting_lead" in states
