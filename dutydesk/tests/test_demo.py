import pytest
from django.contrib.auth.models import User
from django.http import HttpRequest

from dutydesk import demo
from dutydesk.models import Profile, Qualification, Role, Skill, Team
from dutydesk.system import SYSTEM_USERNAME
from roster.models import ShiftType

pytestmark = pytest.mark.django_db


def _counts():
    return {
        "users": User.objects.exclude(username=SYSTEM_USERNAME).count(),
        "teams": Team.objects.count(),
        "skills": Skill.objects.count(),
        "shift_types": ShiftType.objects.count(),
        **{role.value: Profile.objects.filter(role=role).count() for role in Role},
    }


def test_load_demo_twice_adds_nothing_the_second_time():
    demo.load()
    first = _counts()
    demo.load()
    assert _counts() == first
    assert first == {
        "users": 47,
        "teams": 2,
        "skills": 4,
        "shift_types": 4,
        "agent": 40,
        "lead": 4,
        "supervisor": 2,
        "manager": 1,
    }


def test_load_demo_people_can_log_in_and_new_hires_exist(client):
    demo.load()
    assert client.login(request=HttpRequest(), username="agent01", password=demo.DEMO_PASSWORD)
    assert Profile.objects.filter(qualification=Qualification.NEW_HIRE).count() == 6
    # R-ROSTER-1 default shifts: day 09:00-18:00 and night 18:00-24:00 for every team.
    assert sorted(str(s) for s in ShiftType.objects.filter(team__slug="team-east")) == [
        "夜班 18:00-24:00",
        "白班 09:00-18:00",
    ]
