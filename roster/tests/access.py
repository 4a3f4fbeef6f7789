"""Sample URL arguments for the access-matrix test (dutydesk/tests/test_access.py)."""

from datetime import date

from roster.models import CalendarOverride, ShiftType


def url_samples(team, people) -> dict:
    shift = ShiftType.objects.create(team=team, key="sample", name="白班", start="09:00", end="18:00")
    override = CalendarOverride.objects.create(team=team, date=date(2026, 12, 12), kind="promotion", note="双12")
    return {"shift_type": shift.id, "override": override.id, "token": "no-such-token"}
