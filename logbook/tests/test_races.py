"""Two requests at the same moment, in real threads on their own database connections."""

import uuid

import pytest

from dutydesk.models import Role
from dutydesk.testing import run_together
from logbook import services
from logbook.models import Entry
from logbook.services import DutyError
from testdata import acknowledged, inquiry_data, make_person, publish, running_shift, signed_in


@pytest.mark.django_db(transaction=True)
def test_double_submit_at_once_writes_one_entry(team, agent):
    logbook = signed_in(team, agent)
    token = uuid.uuid4()
    results = run_together(
        *[lambda: services.record_entry(logbook, author=agent.profile, client_token=token, data=inquiry_data())] * 2
    )
    assert sorted(created for _, created in results) == [False, True]
    assert Entry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_incoming_agents_sign_at_once_one_wins(team, agent):
    first, second = (make_person(Role.AGENT, team, username=name) for name in ("in1", "in2"))
    logbook = signed_in(team, agent, started_minutes_ago=60)
    later = running_shift(team, started_minutes_ago=-30, day=logbook.duty_shift.date)
    publish(team, [(first, later), (second, later)], keep=True)
    acknowledged(first), acknowledged(second)
    handover = services.prepare_handover(logbook, profile=agent.profile)
    services.sign_handover_outgoing(handover, profile=agent.profile)
    results = run_together(
        lambda: services.sign_handover_incoming(handover, profile=first.profile),
        lambda: services.sign_handover_incoming(handover, profile=second.profile),
    )
    assert sorted(type(r).__name__ for r in results) == ["DutyError", "Handover"]
    assert "锁定" in str(next(r for r in results if isinstance(r, DutyError)))
    handover.refresh_from_db()
    assert handover.incoming_id in {first.profile.pk, second.profile.pk}
