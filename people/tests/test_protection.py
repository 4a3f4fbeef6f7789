"""Protection periods (R-LAW-4): recorded by supervisors and managers, refused when they make no sense, seen by the
person, their supervisors and managers only, and kept by the roster from then on."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from dutydesk.models import ProtectionKind, ProtectionPeriod
from people.services import PeopleError
from people.services import protection as services
from roster import queries
from roster import services as roster_services
from testdata import MONTH, WEEKENDS, laid_out_month, make_agents

pytestmark = pytest.mark.django_db


def _url(name, team, person, **extra):
    return reverse(f"people:{name}", kwargs={"team": team.slug, "person": person.pk, **extra})


def test_a_period_that_ends_before_it_starts_is_refused_with_a_message_and_nothing_saved(
    client, team, supervisor, agent
):
    client.force_login(supervisor)
    response = client.post(
        _url("protection-add", team, agent.profile),
        {"kind": "pregnancy", "starts_on": "2027-03-10", "ends_on": "2027-03-01"},
        follow=True,
    )
    assert "保护期的结束日期早于开始日期，未保存任何内容。" in response.content.decode()
    assert ProtectionPeriod.objects.count() == 0
    # The service refuses it too, whoever calls it.
    with pytest.raises(PeopleError, match="2027-03-01"):
        services.record_protection(
            agent.profile,
            actor=supervisor.profile,
            kind="nursing",
            starts_on=date(2027, 3, 10),
            ends_on=date(2027, 3, 1),
        )
    assert ProtectionPeriod.objects.count() == 0


def test_supervisor_records_a_period_and_an_overlapping_one_is_refused(client, team, supervisor, agent):
    client.force_login(supervisor)
    page = client.post(
        _url("protection-add", team, agent.profile),
        {"kind": "pregnancy", "starts_on": "2027-03-01", "ends_on": "2027-05-31"},
        follow=True,
    ).content.decode()
    [period] = ProtectionPeriod.objects.all()
    assert (period.kind, period.starts_on, period.ends_on, period.recorded_by) == (
        ProtectionKind.PREGNANCY,
        date(2027, 3, 1),
        date(2027, 5, 31),
        supervisor.profile,
    )
    assert "怀孕7个月以上 · 2027-03-01 – 2027-05-31" in page.split('data-testid="protection-periods"')[1]
    again = client.post(
        _url("protection-add", team, agent.profile),
        {"kind": "nursing", "starts_on": "2027-05-01", "ends_on": "2028-04-30"},
        follow=True,
    ).content.decode()
    assert "已有一段 2027-03-01 至 2027-05-31 的保护期" in again
    assert ProtectionPeriod.objects.count() == 1


def test_remove_twice_says_it_is_gone(client, team, supervisor, agent):
    period = services.record_protection(
        agent.profile, actor=supervisor.profile, kind="nursing", starts_on=date(2027, 3, 1), ends_on=date(2027, 9, 1)
    )
    client.force_login(supervisor)
    url = _url("protection-remove", team, agent.profile, period=period.pk)
    client.post(url)
    second = client.post(url, follow=True).content.decode()
    assert ProtectionPeriod.objects.count() == 0
    assert "这段保护期已经删除，未做任何更改。" in second


def test_only_the_person_supervisors_and_managers_see_it(client, team, supervisor, manager, agent, lead, outsider):
    services.record_protection(
        agent.profile, actor=supervisor.profile, kind="nursing", starts_on=date(2027, 3, 1), ends_on=date(2027, 9, 1)
    )
    person = _url("person", team, agent.profile)
    for user, status in ((supervisor, 200), (manager, 200), (lead, 403), (outsider, 404)):
        client.force_login(user)
        response = client.get(person)
        assert response.status_code == status
        assert ("2027-03-01 – 2027-09-01" in response.content.decode()) == (status == 200)
    client.force_login(agent)
    assert "2027-03-01 – 2027-09-01" in client.get(reverse("people:mine")).content.decode()
    client.force_login(lead)  # a teammate's own page shows nothing of it
    assert 'data-testid="my-protection"' not in client.get(reverse("people:mine")).content.decode()
    assert client.post(_url("protection-add", team, agent.profile), {}).status_code == 403


def test_the_roster_keeps_a_protected_person_off_nights_and_weekend_duty(team, supervisor, agent, lead):
    make_agents(team, 5)
    roster = laid_out_month(team)
    services.record_protection(
        agent.profile,
        actor=supervisor.profile,
        kind="pregnancy",
        starts_on=MONTH - timedelta(days=30),
        ends_on=WEEKENDS[-1] + timedelta(days=60),
    )
    roster_services.generate_draft(roster, actor=supervisor.profile)

    draft = queries.draft_of(roster)
    assert not draft.assignments.filter(profile=agent.profile).exists()  # every duty day is a weekend
    assert roster_services.draft_violations(roster) == []


def test_recording_and_removing_a_period_are_in_the_history_of_those_who_may_know(
    client, team, supervisor, manager, agent, lead
):
    from dutydesk.audit.models import AuditEvent

    client.force_login(supervisor)
    client.post(
        _url("protection-add", team, agent.profile),
        {"kind": "nursing", "starts_on": "2027-03-01", "ends_on": "2027-09-01"},
    )
    period = ProtectionPeriod.objects.get()
    client.post(_url("protection-remove", team, agent.profile, period=period.pk))
    recorded, removed = AuditEvent.objects.filter(action__startswith="people.protection").order_by("id")
    assert (recorded.action, recorded.actor_id, recorded.after) == (
        "people.protection",
        supervisor.profile.pk,
        {"kind": "nursing", "starts_on": "2027-03-01", "ends_on": "2027-09-01"},
    )
    assert (removed.action, removed.actor_id, removed.before) == (
        "people.protection_remove",
        supervisor.profile.pk,
        recorded.after,
    )
    # A refused period (it ends before it starts) records nothing.
    client.post(
        _url("protection-add", team, agent.profile),
        {"kind": "nursing", "starts_on": "2027-03-10", "ends_on": "2027-03-01"},
    )
    assert AuditEvent.objects.filter(action__startswith="people.protection").count() == 2
    shown = 'data-action="people.protection"'
    for user, url in (
        (agent, reverse("audit:mine")),
        (supervisor, reverse("audit:team", kwargs={"team": team.slug})),
        (manager, reverse("audit:search")),
    ):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert shown in page and "记录保护期" in page.split('data-testid="history"')[1], user
    client.force_login(lead)  # a teammate's history tells nothing of it
    assert shown not in client.get(reverse("audit:mine")).content.decode()
