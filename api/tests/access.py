"""Sample values for the access tests: the token pages' URL arguments, and data for every API endpoint to answer
(a published roster with leave and a swap, a sign-in, a discipline record, a duty statement)."""

from datetime import date

from django.utils import timezone

from api import services, webhooks
from api.models import DeliveryStatus, WebhookDelivery, WebhookEvent
from compensation.models import DutyStatement, StatementLine
from dutydesk import events
from leave.models import LeaveRequest, LeaveShift, SwapRequest
from leave.tests.factories import leave_setup
from logbook.models import DisciplineRecord, Logbook

MONTH = date(2026, 12, 1)
DAYS = [date(2026, 12, 12), date(2026, 12, 13), date(2026, 12, 19), date(2026, 12, 20)]


def url_samples(team, people) -> dict:
    token = services.create_personal_token(actor=people["agent"].profile, name="sample").token
    endpoint = webhooks.register_endpoint(
        actor=people["manager"].profile,
        name="薪资系统",
        url="https://payroll.example.com/dutydesk/hooks",
        chosen_events=[events.ROSTER_PUBLISHED, events.LEAVE_DECIDED],
    ).endpoint
    event = WebhookEvent.objects.create(name=events.ROSTER_PUBLISHED, team=team, data={"month": "2026-12"})
    delivery = WebhookDelivery.objects.create(
        event=event, endpoint=endpoint, status=DeliveryStatus.FAILED, attempts=8, last_status_code=503
    )
    return {"token_id": token.pk, "endpoint_id": endpoint.pk, "delivery_id": delivery.pk}


def api_samples(team, people) -> dict:
    setup = leave_setup(team, people["agent"], people["lead"], days=DAYS)
    agent, b, c = setup.people["A"], setup.people["B"], setup.people["C"]
    leave = LeaveRequest.objects.create(team=team, profile=agent, kind="sick", reason="发烧 13812345678")
    LeaveShift.objects.create(leave=leave, duty_shift=setup.shift(0), profile=agent)
    # B gives their night of day 1 for C's night of day 0 (the agent's day-2 shift stays free to ask leave for).
    SwapRequest.objects.create(
        team=team, profile=b, colleague=c, give_shift=setup.shift(1, "night"), take_shift=setup.shift(0, "night")
    )
    Logbook.objects.create(duty_shift=setup.shift(0), profile=agent, team=team, signed_in_at=setup.shift(0).starts_at)
    DisciplineRecord.objects.create(profile=agent, kind="late", date=DAYS[0], duty_shift=setup.shift(0), note="迟到")
    statement = DutyStatement.objects.create(team=team, month=MONTH, computed_at=timezone.now())
    StatementLine.objects.create(statement=statement, profile=agent, shifts=2)
    return {"team": team.slug, "month": f"{MONTH:%Y-%m}", "year": MONTH.year, "person": agent.pk, "setup": setup}
