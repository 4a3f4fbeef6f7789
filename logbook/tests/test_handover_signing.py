"""R-LOG-5 and issue #11 item 2: signing a handover never loses what the outgoing agent typed."""

import pytest

from logbook import services
from logbook.models import Handover
from testdata import signed_in

pytestmark = pytest.mark.django_db


def _form(handover, **text):
    return {
        "open_items": handover.open_items,
        "important": "",
        "notes": "",
        "based_on": services.handover_digest(handover),
        **text,
    }


@pytest.fixture
def handover(team, agent):
    return services.prepare_handover(signed_in(team, agent), profile=agent.profile)


def test_sign_saves_the_text_on_the_form_in_the_same_request(client, agent, handover):
    client.force_login(agent)
    response = client.post(
        f"/logbook/team-east/handovers/{handover.pk}/sign/",
        _form(handover, important="系统今晚22点升级", notes="打印机缺纸"),
    )
    assert response.status_code == 302
    handover.refresh_from_db()
    assert (handover.important, handover.notes, handover.outgoing_signed_at is not None) == (
        "系统今晚22点升级",
        "打印机缺纸",
        True,
    )


def test_sign_without_the_form_fields_is_refused_and_keeps_the_saved_text(client, agent, handover):
    services.save_handover(handover, profile=agent.profile, open_items="", important="已保存的内容", notes="")
    client.force_login(agent)
    response = client.post(f"/logbook/team-east/handovers/{handover.pk}/sign/", follow=True)
    assert "页面已过期" in response.content.decode()
    handover.refresh_from_db()
    assert (handover.important, handover.outgoing_signed_at) == ("已保存的内容", None)


def test_sign_from_a_stale_window_is_refused_and_shows_what_was_typed(client, agent, handover):
    stale = _form(handover, important="旧窗口里写的")
    services.save_handover(handover, profile=agent.profile, open_items="", important="另一个窗口刚保存", notes="")
    client.force_login(agent)
    response = client.post(f"/logbook/team-east/handovers/{handover.pk}/sign/", stale)
    page = response.content.decode()
    assert response.status_code == 400
    assert "旧窗口里写的" in page and "在另一个窗口中被修改" in page
    handover.refresh_from_db()
    assert (handover.important, handover.outgoing_signed_at) == ("另一个窗口刚保存", None)


def test_double_click_on_sign_signs_once_and_says_so(client, agent, handover):
    client.force_login(agent)
    form = _form(handover, important="两次点击")
    client.post(f"/logbook/team-east/handovers/{handover.pk}/sign/", form)
    signed_at = Handover.objects.get(pk=handover.pk).outgoing_signed_at
    response = client.post(f"/logbook/team-east/handovers/{handover.pk}/sign/", form, follow=True)
    assert "已作为交班人签字" in response.content.decode()
    assert Handover.objects.get(pk=handover.pk).outgoing_signed_at == signed_at


def test_outgoing_signature_asks_the_next_shifts_agents_to_sign(team, agent, lead):
    # Issue 23: "a handover waiting for your signature" reaches the incoming agent (bell, and a personal message).
    from datetime import timedelta

    from dutydesk.notifications.models import NoticeKind, Notification
    from testdata import acknowledged, publish, running_shift

    first = running_shift(team, started_minutes_ago=20, hours=8)
    second = running_shift(team, started_minutes_ago=20 - 8 * 60, hours=8, key="next", day=first.date)
    publish(team, [(agent, first), (lead, second)], keep=True)
    acknowledged(agent)
    logbook = services.sign_in(first, profile=agent.profile, now=first.starts_at - timedelta(minutes=20))
    handover = services.prepare_handover(logbook, profile=agent.profile)
    assert handover.to_shift_id == second.pk
    services.sign_handover_outgoing(handover, profile=agent.profile)
    notices = Notification.objects.filter(kind=NoticeKind.REQUEST_WAITING)
    assert [(n.recipient_id, n.url) for n in notices] == [
        (lead.profile.pk, f"/logbook/{team.slug}/handovers/{handover.pk}/")
    ]
