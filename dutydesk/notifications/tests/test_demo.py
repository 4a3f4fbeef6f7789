"""Issue #13 point 9: the demo's notices look like real ones: dated in the past, naming people of the team."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dutydesk import demo
from dutydesk.models import Profile
from dutydesk.notifications import demo as notices_demo
from dutydesk.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_demo_notices_are_never_dated_in_the_future_and_name_only_teammates():
    demo.load_people()
    # Loaded in the morning, noon is still to come: a notice "from today" must not be dated then.
    notices_demo.load(today=timezone.localdate() + timedelta(days=1))
    now = timezone.now()
    team_of = dict(Profile.objects.values_list("name", "team_id"))
    notices = list(Notification.objects.select_related("recipient"))
    assert len(notices) == len(notices_demo.NOTICES)
    for notice in notices:
        assert notice.created_at <= now, notice.subject
        assert notice.read_at is None or notice.read_at <= now
        named = [name for name in team_of if name in notice.subject + notice.body]
        assert {team_of[name] for name in named} <= {notice.recipient.team_id}, (notice.body, named)
    assert any("同班" in n.body for n in notices)  # the names are there, only the right ones
