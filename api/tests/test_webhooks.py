"""Outgoing webhooks (issue 25 item 4): events written with the change, one delivery per endpoint, delivered signed
to a real local receiver (api/tests/receiver.py), retried with backoff, resent; the manager's pages."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from api import delivery, webhooks
from api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent
from dutydesk import events
from dutydesk.audit.models import AuditEvent
from dutydesk.testing import run_together
from leave import services as leave_services
from roster import services as roster_services
from testdata import laid_out_month, leave_setup, make_agents

pytestmark = pytest.mark.usefixtures("english")


def register(manager, url="https://hooks.example.com/dutydesk", chosen=events.EVENTS, team=None, name="薪资系统"):
    return webhooks.register_endpoint(actor=manager.profile, name=name, url=url, chosen_events=list(chosen), team=team)


def emit(name=events.ROSTER_PUBLISHED, team=None, **data):
    with transaction.atomic():
        events.emit(name, team_id=team.pk if team else None, data=data or {"n": 1})


@pytest.mark.django_db
def test_publishing_a_roster_writes_its_event_for_each_endpoint_that_wants_it(team, other_team, supervisor, manager):
    wants = register(manager, chosen=[events.ROSTER_PUBLISHED], name="全部").endpoint
    register(manager, chosen=[events.ROSTER_PUBLISHED], team=other_team, name="别的组")
    register(manager, chosen=[events.LEAVE_DECIDED], name="只要请假")
    make_agents(team, 4)
    roster = laid_out_month(team)
    roster_services.generate_draft(roster, actor=supervisor.profile)
    version = roster_services.publish_roster(
        roster, actor=supervisor.profile, expected_revision=None, accept_provisional=True
    )
    event = WebhookEvent.objects.get()
    assert (event.name, event.team_id, event.data) == (
        "roster.published",
        team.pk,
        {
            "roster": roster.pk,
            "month": f"{roster.month:%Y-%m}",
            "version": 1,
            "previous_version": None,
            "kind": "publication",
            "published_at": version.published_at.isoformat(),
        },
    )
    assert list(WebhookDelivery.objects.values_list("endpoint", "status")) == [(wants.pk, "pending")]


@pytest.mark.django_db
def test_a_final_leave_approval_tells_the_revision_and_the_decision(team, agent, lead, supervisor, manager):
    register(manager, team=team)
    setup = leave_setup(team, agent, lead)
    leave = leave_services.request_leave(
        profile=setup.people["A"], duty_shift_ids=[setup.shift(0).pk], kind="personal", reason="家里有事"
    )
    leave_services.approve_leave_as_lead(leave, actor=lead.profile)
    leave_services.approve_leave_as_supervisor(leave, actor=supervisor.profile, substitutes={})
    names = list(WebhookEvent.objects.order_by("id").values_list("name", flat=True))
    assert names == ["roster.revised", "leave.decided"]  # the lead's step decides nothing yet
    decided = WebhookEvent.objects.get(name="leave.decided").data
    assert {k: decided[k] for k in ("leave", "person", "state")} == {
        "leave": leave.pk,
        "person": setup.people["A"].pk,
        "state": "approved",
    }
    assert decided["shifts"] == [
        {"duty_shift": setup.shift(0).pk, "date": setup.shift(0).date.isoformat(), "substitute": None}
    ]
    assert WebhookDelivery.objects.count() == 2


@pytest.mark.django_db
def test_an_event_goes_with_its_change_when_that_is_rolled_back(manager):
    register(manager)
    with pytest.raises(RuntimeError), transaction.atomic():
        events.emit(events.ROSTER_PUBLISHED, team_id=None, data={})
        raise RuntimeError("the change failed")
    assert (WebhookEvent.objects.count(), WebhookDelivery.objects.count()) == (0, 0)
    with pytest.raises(ValueError), transaction.atomic():
        events.emit("roster.eaten", team_id=None, data={})


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused(manager):
    register(manager)
    with pytest.raises(events.NotInTransaction):
        events.emit(events.ROSTER_PUBLISHED, team_id=None, data={})
    assert WebhookEvent.objects.count() == 0


@pytest.mark.django_db
def test_nothing_is_written_when_no_endpoint_wants_the_event(manager, team):
    register(manager, chosen=[events.HANDOVER_SIGNED])
    emit(events.ROSTER_PUBLISHED, team=team)
    assert WebhookEvent.objects.count() == 0


@pytest.mark.django_db
def test_an_endpoint_of_one_team_gets_only_that_teams_events(manager, team, other_team):
    east = register(manager, team=team, name="东").endpoint
    every = register(manager, name="全部").endpoint
    emit(team=team)
    emit(team=other_team)
    emit(team=None)  # company-wide
    counts = {e.pk: WebhookDelivery.objects.filter(endpoint=e).count() for e in (east, every)}
    assert counts == {east.pk: 1, every.pk: 3}


@pytest.mark.django_db
def test_a_delivery_arrives_signed_and_is_marked_delivered(manager, team, receiver):
    made = register(manager, url=receiver.url("/in?src=dutydesk"), team=team)
    receiver.secret = made.secret
    emit(team=team, month="2027-01")
    row = WebhookDelivery.objects.select_related("event").get()
    assert delivery.send_due() == {"delivered": 1, "failed": 0, "released": 0}
    assert receiver.bad_signatures == 0
    [got] = receiver.received
    assert got == {
        "delivery": str(row.uid),
        "event": "roster.published",
        "path": "/in?src=dutydesk",
        "body": {
            "id": str(row.event.uid),
            "event": "roster.published",
            "occurred_at": row.event.occurred_at.isoformat(),
            "team": team.slug,
            "data": {"month": "2027-01"},
        },
    }
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_status_code, row.last_error) == ("delivered", 1, 204, "")
    assert delivery.send_due() == {"delivered": 0, "failed": 0, "released": 0}  # nothing sent twice
    assert len(receiver.received) == 1


@pytest.mark.django_db
def test_failed_attempts_back_off_then_fail_and_a_resend_delivers_the_same_delivery(manager, receiver, settings):
    settings.API_WEBHOOK_MAX_ATTEMPTS = 3
    made = register(manager, url=receiver.url())
    receiver.secret, receiver.fail_next = made.secret, 3
    emit()
    row = WebhookDelivery.objects.get()
    before = timezone.now()
    assert delivery.send_due()["failed"] == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_status_code, row.last_error) == ("pending", 1, 500, "HTTP 500")
    # The first retry waits API_WEBHOOK_BACKOFF_SECONDS (30): not due before that.
    assert before + timedelta(seconds=30) <= row.next_attempt_at <= timezone.now() + timedelta(seconds=30)
    assert delivery.send_due()["failed"] == 0
    waits = []
    for _attempt in (2, 3):
        WebhookDelivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())  # the wait has passed
        delivery.send_due()
        row.refresh_from_db()
        waits.append(round((row.next_attempt_at - row.last_attempt_at).total_seconds()))
    assert (row.status, row.attempts, waits) == ("failed", 3, [60, 0])
    assert receiver.received == []

    assert webhooks.resend_delivery(row, actor=manager.profile) is True
    assert webhooks.resend_delivery(row, actor=manager.profile) is False  # a double click changes nothing
    assert delivery.send_due()["delivered"] == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("delivered", 1)
    assert [r["delivery"] for r in receiver.received] == [str(row.uid)]
    resend = AuditEvent.objects.get(action="api.webhook_resend")
    assert resend.actor == manager.profile


@pytest.mark.django_db
def test_a_private_address_is_never_connected_to(manager, receiver, settings):
    made = register(manager, url=receiver.url())
    receiver.secret = made.secret
    settings.API_WEBHOOK_ALLOW_LOOPBACK = False  # as in production
    emit()
    assert delivery.send_due()["failed"] == 1
    row = WebhookDelivery.objects.get()
    assert (row.status, row.last_error, receiver.received) == ("pending", "the address is not allowed (scheme)", [])
    # A name that resolves to this machine is refused when connecting, whatever the address rules said before.
    with pytest.raises(delivery.AttemptFailed, match="private or local address"):
        delivery._connect_public(("localhost", receiver.server.server_address[1]), timeout=2)


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_never_share_a_delivery(manager):
    register(manager)
    for n in range(30):
        emit(n=n)
    first, second = run_together(
        lambda: delivery.claim_due(worker="a", limit=20), lambda: delivery.claim_due(worker="b", limit=20)
    )
    a, b = {r.pk for r in first}, {r.pk for r in second}
    assert a.isdisjoint(b) and len(a | b) == 30 and len(a) + len(b) == 30
    assert set(WebhookDelivery.objects.values_list("status", "claimed_by").distinct()) == {
        ("sending", "a"),
        ("sending", "b"),
    }


@pytest.mark.django_db
def test_one_delivery_per_event_and_endpoint_in_the_database_too(manager):
    endpoint = register(manager).endpoint
    emit()
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        WebhookDelivery.objects.create(event=WebhookEvent.objects.get(), endpoint=endpoint)


# --- the manager's pages ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_manager_registers_an_endpoint_and_sees_its_secret_once(client, manager, team):
    client.force_login(manager)
    response = client.post(
        "/api/webhooks/new/",
        {
            "name": "薪资系统",
            "url": "https://payroll.example.com/hooks",
            "events": ["roster.published"],
            "team": team.pk,
        },
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    secret = webhooks.secret_of(endpoint)
    assert secret.startswith("whsec_") and secret in response.content.decode()
    assert secret not in endpoint.secret_encrypted
    assert (endpoint.url, endpoint.events, endpoint.team) == (
        "https://payroll.example.com/hooks",
        ["roster.published"],
        team,
    )
    assert secret not in client.get("/api/webhooks/").content.decode()  # shown once
    created = AuditEvent.objects.get(action="api.webhook_create")
    assert (created.actor, secret in str(created.after)) == (manager.profile, False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["http://payroll.example.com/hooks", "https://10.0.0.8/hooks", "https://169.254.169.254/", "https://intranet/"],
)
def test_an_address_inside_the_network_is_refused_and_nothing_is_registered(client, manager, url):
    client.force_login(manager)
    response = client.post("/api/webhooks/new/", {"name": "内网", "url": url, "events": ["roster.published"]})
    assert response.status_code == 400
    assert WebhookEndpoint.objects.count() == 0
    assert "https" in response.content.decode() or "public" in response.content.decode()


@pytest.mark.django_db
def test_rotating_the_secret_shows_the_new_one_and_signs_with_it(client, manager):
    made = register(manager)
    client.force_login(manager)
    response = client.post(f"/api/webhooks/{made.endpoint.pk}/rotate/")
    new = webhooks.secret_of(WebhookEndpoint.objects.get())
    assert new != made.secret and new in response.content.decode()
    assert AuditEvent.objects.get(action="api.webhook_rotate").actor == manager.profile


@pytest.mark.django_db
def test_the_delivery_log_is_paginated_in_constant_queries(client, manager, django_assert_max_num_queries):
    endpoint = register(manager).endpoint
    for n in range(30):
        emit(n=n)
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        first = client.get(f"/api/webhooks/{endpoint.pk}/")
    second = client.get(f"/api/webhooks/{endpoint.pk}/?page=2")
    assert (
        first.content.decode().count('data-testid="delivery-row"'),
        second.content.decode().count('data-testid="delivery-row"'),
    ) == (25, 5)


@pytest.mark.django_db
def test_resend_and_delete_from_the_pages(client, manager):
    endpoint = register(manager).endpoint
    emit()
    row = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=row.pk).update(status=DeliveryStatus.FAILED, attempts=8)
    client.force_login(manager)
    response = client.post(f"/api/webhooks/{endpoint.pk}/deliveries/{row.pk}/resend/", {"page": "1"})
    assert response.status_code == 302 and response["Location"] == f"/api/webhooks/{endpoint.pk}/?page=1"
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 0)
    client.post(f"/api/webhooks/{endpoint.pk}/deliveries/{row.pk}/resend/")  # already waiting: nothing changes
    assert AuditEvent.objects.filter(action="api.webhook_resend").count() == 1
    assert client.post(f"/api/webhooks/{endpoint.pk}/delete/").status_code == 302
    assert (WebhookEndpoint.objects.count(), WebhookDelivery.objects.count()) == (0, 0)
    assert client.post(f"/api/webhooks/{endpoint.pk}/delete/").status_code == 302  # a second click: a message only
    assert AuditEvent.objects.get(action="api.webhook_delete").actor == manager.profile


@pytest.mark.django_db
def test_the_absence_job_tells_each_absence_once(manager, team, agent):
    from logbook import services as logbook_services
    from logbook.models import DisciplineRecord
    from testdata import publish, running_shift

    register(manager, chosen=[events.ATTENDANCE_ABSENT])
    shift = running_shift(team, started_minutes_ago=16)
    publish(team, [(agent, shift)], keep=True)
    assert logbook_services.mark_absences() == 1
    assert logbook_services.mark_absences() == 0  # run twice: one record, one event
    event = WebhookEvent.objects.get()
    record = DisciplineRecord.objects.get()
    assert (event.name, event.team_id) == ("attendance.absent", team.pk)
    assert {k: v for k, v in event.data.items() if k != "marked_at"} == {
        "discipline_record": record.pk,
        "person": agent.profile.pk,
        "duty_shift": shift.pk,
        "date": shift.date.isoformat(),
    }
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.django_db
def test_each_signature_of_a_handover_is_told_without_its_text(manager, team, agent):
    from logbook import services as logbook_services
    from testdata import acknowledged, make_person, publish, running_shift

    colleague = make_person(team=team, username="colleague", name="赵敏")
    register(manager, chosen=[events.HANDOVER_SIGNED])
    out_shift = running_shift(team, started_minutes_ago=8 * 60 - 10, hours=8)
    in_shift = running_shift(team, started_minutes_ago=-10, hours=6, day=out_shift.date)
    publish(team, [(agent, out_shift), (colleague, in_shift)], keep=True)
    acknowledged(agent), acknowledged(colleague)
    outgoing = logbook_services.sign_in(
        out_shift, profile=agent.profile, now=out_shift.starts_at - timedelta(minutes=20)
    )
    handover = logbook_services.prepare_handover(outgoing, profile=agent.profile)
    logbook_services.save_handover(
        handover, profile=agent.profile, open_items="客户 13912345678", important="", notes=""
    )
    logbook_services.sign_handover_outgoing(handover, profile=agent.profile)
    logbook_services.sign_handover_incoming(handover, profile=colleague.profile)
    told = [
        (e.data["side"], e.data["person"], e.data["complete"], e.data["to_shift"])
        for e in WebhookEvent.objects.order_by("id")
    ]
    assert told == [
        ("outgoing", agent.profile.pk, False, in_shift.pk),
        ("incoming", colleague.profile.pk, True, in_shift.pk),
    ]
    assert "13912345678" not in str(list(WebhookEvent.objects.values_list("data", flat=True)))
