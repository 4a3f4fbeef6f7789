"""Sample values for the access tests: the token pages' URL arguments, and data for every API endpoint to answer
(a published roster with leave and a swap, a sign-in, a discipline record, a duty statement)."""

from datetime import date

from django.utils import timezone

from api import services, webhooks
from api.models import DeliveryStatus, WebhookDelivery, WebhookEvent
from compensation.models import DutyStatement, StatementLine
from dutydesk import events
from dutydesk.models import Skill
from logbook.models import DisciplineRecord, Logbook
from testdata import file_leave, leave_setup, proposed_swap

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
    agent, b = setup.people["A"], setup.people["B"]
    file_leave(agent, [setup.shift(0)], kind="sick", reason="发烧 13812345678")
    # B gives their night of day 2 away to F (who is given the skill it needs): a give-away has no shift taken back,
    # which the API's swap schema must show (take_shift null). Waiting for F, filed through leave.services.
    setup.people["F"].skills.add(Skill.objects.get(code="refund"))
    proposed_swap(b, setup.shift(2, "night"), setup.people["F"])
    Logbook.objects.create(duty_shift=setup.shift(0), profile=agent, team=team, signed_in_at=setup.shift(0).starts_at)
    DisciplineRecord.objects.create(profile=agent, kind="late", date=DAYS[0], duty_shift=setup.shift(0), note="迟到")
    statement = DutyStatement.objects.create(team=team, month=MONTH, computed_at=timezone.now())
    StatementLine.objects.create(statement=statement, profile=agent, shifts=2)
    return {"team": team.slug, "month": f"{MONTH:%Y-%m}", "year": MONTH.year, "person": agent.pk, "setup": setup}
