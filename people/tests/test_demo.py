"""The demo loader for people: numbers and chat ids, support directories, training history, checks, a leaver;
twice adds nothing."""

from datetime import date

import pytest

from dutydesk.demo import load_people
from dutydesk.models import Profile, Team
from people import demo
from people.models import Attendance, QualificationCheck, SupportContact, TrainingInvitation, TrainingSession

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def counts():
    return [
        SupportContact.objects.count(),
        TrainingSession.objects.count(),
        TrainingInvitation.objects.count(),
        QualificationCheck.objects.count(),
        Profile.objects.filter(employee_number="").count(),
    ]


def test_demo_people_data_and_twice_adds_nothing():
    load_people()
    demo.load(today=TODAY)
    first = counts()
    demo.load(today=TODAY)
    assert counts() == first
    east = Team.objects.get(slug="team-east")
    assert list(SupportContact.objects.filter(team=east).values_list("name", flat=True)) == [
        "技术支持热线",
        "订单中心",
        "财务部（退款）",
        "跨境物流部",
        "VIP客户经理",
    ]
    assert first[-1] == 0 and Profile.objects.get(user__username="agent07").employee_number == "DD1007"
    sessions = TrainingSession.objects.filter(team=east)
    assert sessions.count() == 5 and sessions.filter(starts_at__date__gt=TODAY).count() == 1
    attended = TrainingInvitation.objects.filter(session__team=east, attendance=Attendance.PRESENT).count()
    assert attended > 40
    assert Profile.objects.get(user__username="agent24").left_on == date(2026, 12, 15)  # no roster published here
    assert QualificationCheck.objects.filter(result="failed").count() == 2
