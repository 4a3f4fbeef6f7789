"""Issue #28 item 2: people.permissions decides who acts, in the services as on the pages (R-ROSTER-6, R-TRAIN-1,
R-TRAIN-2, R-APP-5). Each refusal changes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dutydesk.models import Role
from people.models import Attendance, QualificationCheck, SupportContact, TrainingSession
from people.services import PeopleError, qualification, support, training
from people.tests.factories import make_contact, make_session, new_hire
from testdata import at, make_person

pytestmark = pytest.mark.django_db


def test_training_is_planned_by_supervisors_and_the_manager_and_marked_by_the_team_viewers(
    team, supervisor, lead, agent
):
    with pytest.raises(PeopleError, match="只有主管和经理可以安排"):
        make_session(team, actor=lead.profile, invitees=[agent.profile])
    assert not TrainingSession.objects.exists()
    starts = at(timezone.localdate() + timedelta(days=3), 14)
    session = make_session(team, actor=supervisor.profile, invitees=[agent.profile], starts_at=starts)
    with pytest.raises(PeopleError, match="只有主管和经理可以安排"):
        training.cancel_session(session, actor=lead.profile, now=starts - timedelta(hours=3))
    with pytest.raises(PeopleError, match="只有值班组长、主管和经理可以登记出勤"):
        training.record_attendance(
            session, actor=agent.profile, marks={agent.profile.pk: Attendance.PRESENT}, now=starts
        )
    session.refresh_from_db()
    assert session.cancelled_at is None
    assert list(session.invitations.values_list("attendance", flat=True)) == [Attendance.INVITED]


def test_the_support_directory_is_kept_by_the_supervisor(team, supervisor, lead):
    with pytest.raises(PeopleError, match="只有主管可以维护求助通讯录"):
        make_contact(team, actor=lead.profile)
    contact = make_contact(team, actor=supervisor.profile)
    with pytest.raises(PeopleError, match="只有主管可以维护求助通讯录"):
        support.remove_contact(contact, actor=lead.profile)
    assert SupportContact.objects.filter(pk=contact.pk).exists()


def test_the_check_is_recorded_by_a_lead_or_supervisor_of_the_team(team, other_team, lead, agent):
    hire = new_hire(make_person(Role.AGENT, team, username="hire", name="周新").profile)
    other_lead = make_person(Role.LEAD, other_team, username="other-lead").profile
    for actor in (agent.profile, other_lead):
        with pytest.raises(PeopleError, match="只有本团队的值班组长或主管可以登记上岗考核"):
            qualification.record_check(
                profile=hire, actor=actor, result="failed", day=timezone.localdate(), examiner=lead.profile
            )
    assert not QualificationCheck.objects.exists()
