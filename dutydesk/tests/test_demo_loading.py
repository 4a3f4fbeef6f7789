"""Issue #11 item 1: the demo loads once, into an empty database, never again; a start on a database holding
anything else changes nothing; with DEBUG off the loader refuses. Started the way `make run` starts it."""

import io

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.utils import timezone

from dutydesk import months
from dutydesk.models import DemoLoad, Team
from roster import queries, services

pytestmark = pytest.mark.django_db


def every_table() -> dict[str, list[tuple]]:
    """Every row of every table (many-to-many tables included), in primary-key order."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models(include_auto_created=True)
    }


def start() -> str:
    """What `make run` does after migrating (dutydesk/devserver.py): the load_demo command."""
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_a_second_start_after_real_work_changes_no_table(settings):
    settings.DEBUG = True
    assert "Demo organisation loaded" in start()
    assert DemoLoad.objects.count() == 1
    # The supervisor works: publishes next month's draft (as in the report) and leaves a revision of this month open.
    supervisor = User.objects.get(username="supervisor1")
    team = Team.objects.get(slug="team-east")
    this_month = months.month_start(timezone.localdate())
    upcoming = queries.roster_for(team, months.next_month(this_month))
    services.publish_roster(
        upcoming, actor=supervisor.profile, expected_revision=upcoming.draft_revision, accept_provisional=True
    )
    services.start_revision(queries.roster_for(team, this_month), actor=supervisor.profile)
    before = every_table()

    assert "nothing was changed" in start()
    assert every_table() == before


def test_a_start_on_a_database_with_other_data_changes_nothing(settings, people):
    settings.DEBUG = True
    before = every_table()
    assert "only loaded into an empty database" in start()
    assert every_table() == before
    assert DemoLoad.objects.count() == 0


def test_the_loader_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    before = every_table()
    with pytest.raises(CommandError, match="DEBUG is off"):
        start()
    assert every_table() == before
