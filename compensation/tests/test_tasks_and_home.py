"""The nightly jobs (called as the beat calls them) and the home page sections."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from compensation import services, tasks
from compensation.models import CompTimeEntry, DutyStatement
from compensation.tests.factories import earned
from dutydesk.months import add_months
from testdata import duty_shift, publish, rest_day_in, worked

pytestmark = pytest.mark.django_db


def test_nightly_computation_states_this_month_and_last_and_leaves_finalised_months(team, agent, supervisor):
    today = timezone.localdate()
    last = add_months(today.replace(day=1), -1)
    shift = duty_shift(team, rest_day_in(last))
    publish(team, [(agent.profile, shift)], by=supervisor)
    worked(shift, agent.profile)
    tasks.task_compute_open_months()
    assert sorted(DutyStatement.objects.filter(team=team).values_list("month", flat=True)) == [
        last,
        today.replace(day=1),
    ]
    assert CompTimeEntry.objects.get(profile=agent.profile).hours == Decimal("9.00")
    statement = DutyStatement.objects.get(team=team, month=last)
    services.finalise_statement(statement, actor=supervisor.profile)
    computed_at = DutyStatement.objects.get(pk=statement.pk).computed_at
    tasks.task_compute_open_months()
    assert DutyStatement.objects.get(pk=statement.pk).computed_at == computed_at


def test_nightly_expiry_job(team, agent):
    today = timezone.localdate()
    earned(agent.profile, duty_shift(team, today - timedelta(days=200)), 9, expires_on=today)
    tasks.task_expire_comp_time()
    tasks.task_expire_comp_time()
    assert list(CompTimeEntry.objects.filter(kind="expired").values_list("hours", flat=True)) == [Decimal("-9.00")]


def test_home_shows_the_balance_and_the_month_to_confirm_and_the_leads_disputes(client, team, agent, lead, supervisor):
    client.force_login(agent)
    assert 'data-testid="home-compensation"' not in client.get("/").content.decode()  # nothing yet
    today = timezone.localdate()
    last = add_months(today.replace(day=1), -1)
    shift = duty_shift(team, rest_day_in(last))
    publish(team, [(agent.profile, shift)], by=supervisor)
    worked(shift, agent.profile)
    statement = services.compute_statement(team=team, month=last)
    page = client.get("/").content.decode()
    assert "调休余额：<strong>9.00</strong> 小时" in page and "等待确认" in page
    line = statement.lines.get(profile=agent.profile)
    services.respond_to_statement(line, agent=agent.profile, kind="disputed", comment="少算了")
    client.force_login(lead)
    assert "张伟对" in client.get("/").content.decode()
