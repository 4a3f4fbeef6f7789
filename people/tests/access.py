"""Sample URL arguments of the people pages for the access-matrix test (dutydesk/tests/test_access.py)."""

from datetime import timedelta

from django.utils import timezone

from dutydesk.models import ProtectionKind, ProtectionPeriod
from people.models import CheckResult, QualificationCheck
from people.tests.factories import make_contact, make_session
from testdata import make_skill


def url_samples(team, people) -> dict:
    agent, lead = people["agent"].profile, people["lead"].profile
    supervisor = people["supervisor"].profile
    skill = make_skill("refund", "退款处理")
    check = QualificationCheck.objects.create(
        profile=agent,
        team=team,
        result=CheckResult.FAILED,
        date=timezone.localdate() - timedelta(days=3),
        examiner=lead,
        recorded_by=lead,
    )
    session = make_session(team, actor=supervisor, invitees=[agent])
    contact = make_contact(team, actor=supervisor)
    period = ProtectionPeriod.objects.create(
        profile=agent,
        kind=ProtectionKind.NURSING,
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=90),
        recorded_by=supervisor,
    )
    return {
        "person": agent.pk,
        "skill": skill.pk,
        "check": check.pk,
        "session": session.pk,
        "contact": contact.pk,
        "period": period.pk,
    }
