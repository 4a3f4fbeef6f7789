"""Issue #27 point 3: stored texts are message keys rendered in the reader's language (dutydesk.texts), and a
notice goes out in its recipient's language, not its sender's."""

import pytest
from django.test import Client
from django.utils import timezone, translation

from dutydesk import texts
from dutydesk.models import Profile
from dutydesk.notifications.models import Channel, NoticeKind, Notification, Outbox
from dutydesk.notifications.services import notify
from logbook.models import DisciplineKind, DisciplineRecord


def test_a_text_renders_in_the_active_language_with_nested_texts_and_lists():
    from people import texts as people_texts

    text = people_texts.fields(["phone", "skills", "no_label_field"])
    with translation.override("en"):
        assert str(text) == "Phone, Skills, no_label_field"
    with translation.override("zh-hans"):
        assert str(text) == "手机、技能、no_label_field"
    again = texts.from_json(text.as_json())
    with translation.override("en"):
        assert texts.render(again.as_json()) == "Phone, Skills, no_label_field"


def test_an_unknown_key_or_an_old_row_shows_the_text_stored_beside_it():
    assert texts.render({}, "旧的通知") == "旧的通知"
    assert texts.render({"key": "no.such.key", "params": {}}, "旧的通知") == "旧的通知"
    assert texts.render(None) == ""


@pytest.mark.django_db
def test_bell_shows_a_notice_in_the_readers_language_and_emails_it_in_the_recipients(team, agent, supervisor):
    from roster import texts as roster_texts

    Profile.objects.filter(pk=agent.profile.pk).update(language="en")
    agent.profile.refresh_from_db()
    notify(
        [agent.profile, supervisor.profile],
        kind=NoticeKind.ROSTER_PUBLISHED,
        subject=roster_texts.PUBLISHED(team="华东客服组", month="2027-01"),
        body=roster_texts.PUBLISHED_BODY(),
        dedupe_key="test:published",
    )
    stored = Notification.objects.get(recipient=supervisor.profile)
    assert stored.subject == "华东客服组：2027-01 排班表已发布"  # the site's language, for old readers and the admin
    for language, expected in (("en", "华东客服组: the roster of 2027-01 is published"), ("zh-hans", stored.subject)):
        client = Client()
        client.cookies["django_language"] = language
        client.force_login(supervisor)
        assert expected in client.get("/notifications/").content.decode()
    emails = dict(Outbox.objects.filter(channel=Channel.EMAIL).values_list("recipient_id", "subject"))
    assert emails == {
        agent.profile.pk: "华东客服组: the roster of 2027-01 is published",
        supervisor.profile.pk: "华东客服组：2027-01 排班表已发布",
    }


@pytest.mark.django_db
def test_language_switch_of_a_signed_in_person_is_kept_for_their_emails(client, agent):
    client.force_login(agent)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    agent.profile.refresh_from_db()
    assert agent.profile.language == "en"
    from dutydesk.audit.models import AuditEvent
    from dutydesk.notifications.services import set_language_preference

    set_language_preference(profile=agent.profile, language="en")  # the same choice again records nothing
    recorded = AuditEvent.objects.filter(action="notifications.language").values_list("actor_name", "after")
    assert list(recorded) == [(agent.profile.name, {"language": "en"})]


@pytest.mark.django_db
def test_absence_reason_written_by_the_job_is_shown_in_the_readers_language(team, agent):
    from logbook import texts as logbook_texts

    note, note_text = texts.stored(logbook_texts.ABSENCE_NOTE())
    record = DisciplineRecord.objects.create(
        profile=agent.profile,
        kind=DisciplineKind.ABSENCE,
        date=timezone.localdate(),
        note=note,
        note_text=note_text,
    )
    with translation.override("en"):
        assert record.shown_note == "Not signed in 15 minutes after the start: absence from post."
    with translation.override("zh-hans"):
        assert record.shown_note == "班次开始 15 分钟后仍未签到，记为脱岗。"
