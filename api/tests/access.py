"""Sample values for the access tests: the token pages' URL arguments, and data for every API endpoint to answer
(a published roster with leave and a swap, a sign-in, a discipline record, a duty statement)."""

from datetime import date

from django.utils import timezone

from api import services
from compensation.models import DutyStatement, StatementLine
from leave.models import SwapRequest
from logbook.models import DisciplineRecord, Logbook
from testdata import file_leave, leave_setup

MONTH = date(2026, 12, 1)
DAYS = [date(2026, 12, 12), date(2026, 12, 13), date(2026, 12, 19), date(2026, 12, 20)]


def url_samples(team, people) -> dict:
    token = services.create_personal_token(actor=people["agent"].profile, name="sample").token
    return {"token_id": token.pk}


def api_samples(team, people) -> dict:
    setup = leave_setup(team, people["agent"], people["lead"], days=DAYS)
    agent, b, c = setup.people["A"], setup.people["B"], setup.people["C"]
    file_leave(agent, [setup.shift(0)], kind="sick", reason="发烧 13812345678")
    # B gives their night of day 1 for C's night of day 0 (the agent's day-2 shift stays free to ask leave for). Written
    # by hand, waiting for C: leave.services refuses the exchanges tried on leave_setup's plan (the weekly rest day,
    # two shifts on a date), and the API's swap schema does not take a give-away yet (take_date required).
    SwapRequest.objects.create(
        team=team, profile=b, colleague=c, give_shift=setup.shift(1, "night"), take_shift=setup.shift(0, "night")
    )
    Logbook.objects.create(duty_shift=setup.shift(0), profile=agent, team=team, signed_in_at=setup.shift(0).starts_at)
    DisciplineRecord.objects.create(profile=agent, kind="late", date=DAYS[0], duty_shift=setup.shift(0), note="迟到")
    statement = DutyStatement.objects.create(team=team, month=MONTH, computed_at=timezone.now())
    StatementLine.objects.create(statement=statement, profile=agent, shifts=2)
    return {"team": team.slug, "month": f"{MONTH:%Y-%m}", "year": MONTH.year, "person": agent.pk, "setup": setup}
