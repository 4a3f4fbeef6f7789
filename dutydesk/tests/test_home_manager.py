"""The manager's home page: every team's next roster and latest appraisal month (R-APP-6, R-ROSTER-2)."""

from datetime import date

import pytest
from django.utils import timezone

from appraisal import services as appraisal_services
from dutydesk.months import next_month
from roster import services
from testdata import evaluate, make_shift_types, on_duty, weekends

pytestmark = pytest.mark.django_db


def test_manager_home_lists_next_months_roster_of_every_team(client, manager, team, other_team):
    for each in (team, other_team):
        make_shift_types(each)
        services.prepare_month(each, next_month(timezone.localdate()))
    client.force_login(manager)
    page = client.get("/").content.decode()
    assert "华东客服组" in page and "华南客服组" in page
    assert "须在" in page  # the publish deadline (R-ROSTER-2) of a roster not yet published


def test_manager_home_shows_a_computed_month_waiting_to_be_finalised(client, manager, supervisor, agent, team):
    month = date(2026, 10, 1)
    [shift] = on_duty(team, [agent.profile], weekends(month, 1))
    evaluate(shift, agent.profile, supervisor.profile)
    appraisal_services.compute_appraisal(team=team, month=month, actor=supervisor.profile)
    client.force_login(manager)
    page = client.get("/").content.decode()
    assert 'data-testid="home-appraisal-teams"' in page
    assert "2026-10" in page and "待你定稿" in page


def test_manager_home_without_data_keeps_the_empty_state(client, manager):
    client.force_login(manager)
    assert "各组的排班和月度考核会显示在这里" in client.get("/").content.decode()
