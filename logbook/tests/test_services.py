import uuid
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from dutydesk.models import Role
from dutydesk.notifications.models import NoticeKind, Notification
from logbook import services
from logbook.models import DisciplineKind, DisciplineRecord, Entry, EntryStatus, Handover, Logbook
from logbook.services import DutyError
from roster.models import DutyShift
from testdata import acknowledged, inquiry_data, make_person, open_entry, publish, running_shift, signed_in, write_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(team):
    return make_person(Role.AGENT, team, username="colleague", name="赵敏")


def notices(kind):
    return sorted(
        (n.recipient.user.username, n.dedupe_key.split(":")[0])
        for n in Notification.objects.filter(kind=kind).select_related("recipient__user")
    )


# --- sign-in ---------------------------------------------------------------------------------------------------


def test_sign_in_on_time_opens_logbook_without_records(team, agent):
    shift = running_shift(team, started_minutes_ago=-20)
    publish(team, [(agent, shift)], keep=True)
    logbook = services.sign_in(shift, profile=acknowledged(agent))
    assert (logbook.is_on_duty, logbook.late_minutes, DisciplineRecord.objects.count()) == (True, 0, 0)


def test_sign_in_late_records_late_and_sign_out_needs_explanation(team, agent):
    shift = running_shift(team, started_minutes_ago=7, hours=1)
    publish(team, [(agent, shift)], keep=True)
    logbook = services.sign_in(shift, profile=acknowledged(agent))
    assert logbook.late_minutes == 7
    assert list(DisciplineRecord.objects.values_list("kind", flat=True)) == [DisciplineKind.LATE]
    with pytest.raises(DutyError, match="迟到说明"):
        services.sign_out(logbook, profile=agent.profile, now=shift.ends_at)
    services.file_late_explanation(logbook, profile=agent.profile, explanation="地铁故障")
    logbook = services.sign_out(logbook, profile=agent.profile, now=shift.ends_at)
    assert (logbook.signed_out_at, logbook.late_explanation) == (shift.ends_at, "地铁故障")


def test_sign_in_someone_elses_shift_refused(team, agent, colleague):
    shift = running_shift(team, started_minutes_ago=-20)
    publish(team, [(colleague, shift)], keep=True)
    with pytest.raises(DutyError, match="不在此班次"):
        services.sign_in(shift, profile=acknowledged(agent))
    assert Logbook.objects.count() == 0


def test_sign_in_shift_of_another_day_refused(team, agent):
    tomorrow = running_shift(team, started_minutes_ago=-24 * 60)
    yesterday = running_shift(team, started_minutes_ago=24 * 60)
    publish(team, [(agent, tomorrow), (agent, yesterday)], keep=True)
    acknowledged(agent)
    with pytest.raises(DutyError, match="30 分钟"):
        services.sign_in(tomorrow, profile=agent.profile)
    with pytest.raises(DutyError, match="已经结束"):
        services.sign_in(yesterday, profile=agent.profile)
    assert Logbook.objects.filter(signed_in_at__isnull=False).count() == 0


def test_sign_in_needs_discipline_acknowledgement_and_only_once(team, agent):
    shift = running_shift(team, started_minutes_ago=-20)
    publish(team, [(agent, shift)], keep=True)
    with pytest.raises(DutyError, match="纪律确认书"):
        services.sign_in(shift, profile=agent.profile)
    services.sign_discipline_acknowledgement(profile=agent.profile)
    services.sign_discipline_acknowledgement(profile=agent.profile)
    services.sign_in(shift, profile=agent.profile)
    with pytest.raises(DutyError, match="已经签到"):
        services.sign_in(shift, profile=agent.profile)


# --- attendance during the shift -------------------------------------------------------------------------------


def test_leave_post_notifies_lead_and_supervisors_and_return_records_time(team, agent, lead, supervisor, overseer):
    logbook = signed_in(team, agent)
    away = services.leave_post(logbook, profile=agent.profile, reason="去洗手间")
    assert notices(NoticeKind.ABSENCE_ALERT) == [
        ("lead", "left-post"),
        ("overseer", "left-post"),
        ("supervisor", "left-post"),
    ]
    with pytest.raises(DutyError):
        services.leave_post(logbook, profile=agent.profile, reason="again")
    back = services.return_to_post(logbook, profile=agent.profile)
    assert (back.pk, back.ended_at >= away.started_at) == (away.pk, True)


def test_early_leave_needs_reason_records_and_notifies(team, agent, lead, supervisor, overseer):
    logbook = signed_in(team, agent)
    with pytest.raises(DutyError, match="提前"):
        services.sign_out(logbook, profile=agent.profile)
    services.sign_out(logbook, profile=agent.profile, early_leave_reason="身体不适，已告知主管")
    assert list(DisciplineRecord.objects.values_list("kind", "note")) == [
        (DisciplineKind.EARLY_LEAVE, "身体不适，已告知主管")
    ]
    assert notices(NoticeKind.ABSENCE_ALERT) == [
        ("lead", "early-leave"),
        ("overseer", "early-leave"),
        ("supervisor", "early-leave"),
    ]


def test_night_break_offered_after_two_hours_only(team, agent):
    logbook = signed_in(team, agent, started_minutes_ago=130, is_night=True)
    services.take_night_break(logbook, profile=agent.profile)
    with pytest.raises(DutyError, match="休息"):
        services.take_night_break(logbook, profile=agent.profile)
    assert logbook.breaks.count() == 1


def test_equipment_check_needs_every_item(team, agent):
    logbook = signed_in(team, agent)
    with pytest.raises(DutyError, match="耳机"):
        services.check_equipment(logbook, profile=agent.profile, items=["电脑"], expected=["电脑", "耳机"])
    logbook = services.check_equipment(
        logbook, profile=agent.profile, items=["电脑", "耳机"], expected=["电脑", "耳机"]
    )
    assert logbook.equipment_checked == ["电脑", "耳机"]


# --- entries ---------------------------------------------------------------------------------------------------


def test_record_entry_double_submit_creates_one_entry(team, agent):
    logbook = signed_in(team, agent)
    token = uuid.uuid4()
    first, created = services.record_entry(logbook, author=agent.profile, client_token=token, data=inquiry_data())
    again, created_again = services.record_entry(
        logbook, author=agent.profile, client_token=str(token), data=inquiry_data(content="changed")
    )
    assert (created, created_again, again.pk, Entry.objects.count()) == (True, False, first.pk, 1)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"status": "open", "promised_reply_at": None}, "回复时间必须晚于现在"),
        ({"kind": "complaint", "demand": ""}, "诉求"),
        ({"kind": "complaint", "content": "  "}, "客户"),
        ({"kind": "task", "task_type": ""}, "业务"),
        ({"kind": "nonsense"}, "类型"),
    ],
)
def test_record_entry_bad_input_refused_without_change(team, agent, overrides, message):
    logbook = signed_in(team, agent)
    with pytest.raises(DutyError, match=message):
        services.record_entry(logbook, author=agent.profile, client_token=uuid.uuid4(), data=inquiry_data(**overrides))
    assert Entry.objects.count() == 0


def test_record_entry_promise_in_the_past_refused(team, agent):
    logbook = signed_in(team, agent)
    with pytest.raises(DutyError, match="回复时间必须晚于现在"):
        services.record_entry(
            logbook,
            author=agent.profile,
            client_token=uuid.uuid4(),
            data=inquiry_data(status="open", promised_reply_at=timezone.now() - timedelta(minutes=1)),
        )
    assert Entry.objects.count() == 0


def test_record_entry_in_another_agents_logbook_refused(team, agent, colleague):
    logbook = signed_in(team, agent)
    acknowledged(colleague)
    with pytest.raises(DutyError, match="别人的"):
        services.record_entry(logbook, author=colleague.profile, client_token=uuid.uuid4(), data=inquiry_data())
    assert Entry.objects.count() == 0


def test_complaint_with_all_fields_is_searchable_and_edited_by_author_only(team, agent, colleague):
    logbook = signed_in(team, agent)
    complaint = write_entry(
        logbook,
        kind="complaint",
        category="logistics_delay",
        content="快递三天没有更新物流延迟",
        demand="要求补偿运费",
        departments="物流部、售后部",
        progress="已联系物流部",
        result_told="已告知客户明天回复",
    )
    with pytest.raises(DutyError, match="作者"):
        services.update_entry(complaint, editor=colleague.profile, data=inquiry_data())
    complaint.refresh_from_db()
    assert (complaint.kind, complaint.demand) == ("complaint", "要求补偿运费")
    services.update_entry(
        complaint,
        editor=agent.profile,
        data=inquiry_data(kind="complaint", content="快递五天没有更新", demand="要求补偿运费"),
    )
    complaint.refresh_from_db()
    assert complaint.content == "快递五天没有更新"
    assert "快递五天没有更新" in complaint.search_text and "三天" not in complaint.search_text
    assert "'五天'" in complaint.search and "'三天'" not in complaint.search


def test_open_item_carried_to_next_shift_and_answered_there(team, agent, colleague):
    first = signed_in(team, agent)
    item = open_entry(first, content="客户询问退款何时到账")
    second = signed_in(team, colleague, started_minutes_ago=5, shift=running_shift(team, started_minutes_ago=5))
    from logbook.queries import open_items

    assert [e.pk for e in open_items(team, exclude_shift=second.duty_shift)] == [item.pk]
    services.answer_entry(item, profile=colleague.profile, answer="已回电告知三个工作日内到账")
    with pytest.raises(DutyError, match="已经回复"):
        services.answer_entry(item, profile=agent.profile, answer="again")
    item.refresh_from_db()
    assert (item.status, item.answered_by_id) == (EntryStatus.DONE, colleague.profile.pk)


# --- handover --------------------------------------------------------------------------------------------------


def _two_shifts(team, agent, colleague):
    out_shift = running_shift(team, started_minutes_ago=8 * 60 - 10, hours=8)
    in_shift = running_shift(team, started_minutes_ago=-10, hours=6, day=out_shift.date)
    publish(team, [(agent, out_shift), (colleague, in_shift)], keep=True)
    acknowledged(agent), acknowledged(colleague)
    outgoing = services.sign_in(out_shift, profile=agent.profile, now=out_shift.starts_at - timedelta(minutes=20))
    return outgoing, in_shift


def test_sign_out_with_open_items_needs_signed_handover_unless_last_shift(team, agent, colleague):
    outgoing, in_shift = _two_shifts(team, agent, colleague)
    open_entry(outgoing, content="13912345678 客户要求改地址")
    with pytest.raises(DutyError, match="交接"):
        services.sign_out(outgoing, profile=agent.profile, now=outgoing.duty_shift.ends_at)
    handover = services.prepare_handover(outgoing, profile=agent.profile)
    assert "139****5678 客户要求改地址" in handover.open_items and "13912345678" not in handover.open_items
    # The customer's own data is not copied into the text (the page lists the entries through the one rule).
    assert "DD202611230001" not in handover.open_items and "DD****0001" not in handover.open_items
    assert handover.to_shift_id == in_shift.pk
    services.sign_handover_outgoing(handover, profile=agent.profile)
    services.sign_out(outgoing, profile=agent.profile, now=outgoing.duty_shift.ends_at)


def test_last_shift_of_day_signs_out_with_open_items(team, agent):
    logbook = signed_in(team, agent, started_minutes_ago=60, hours=1)
    logbook.duty_shift.ends_at = timezone.now()
    open_entry(logbook)
    assert services.is_last_shift_of_day(logbook.duty_shift) is True
    services.sign_out(logbook, profile=agent.profile, now=logbook.duty_shift.ends_at)


def test_handover_each_signs_for_themselves_then_locked_in_service_and_database(team, agent, colleague, lead):
    outgoing, in_shift = _two_shifts(team, agent, colleague)
    handover = services.prepare_handover(outgoing, profile=agent.profile)
    with pytest.raises(DutyError, match="交班人尚未签字"):
        services.sign_handover_incoming(handover, profile=colleague.profile)
    with pytest.raises(DutyError, match="只能为自己"):
        services.sign_handover_outgoing(handover, profile=colleague.profile)
    services.save_handover(handover, profile=agent.profile, open_items="无", important="系统20点升级", notes="")
    services.sign_handover_outgoing(handover, profile=agent.profile)
    with pytest.raises(DutyError, match="下一班"):
        services.sign_handover_incoming(handover, profile=lead.profile)
    with pytest.raises(DutyError, match="接班"):
        services.sign_handover_incoming(handover, profile=agent.profile)
    services.sign_handover_incoming(handover, profile=colleague.profile)
    with pytest.raises(DutyError, match="锁定|不能再修改"):
        services.save_handover(handover, profile=agent.profile, open_items="x", important="x", notes="x")
    with pytest.raises(DutyError):
        services.delete_handover(handover, profile=agent.profile)
    # R-LOG-5 in the database: no update, no delete, by anyone.
    with pytest.raises(IntegrityError), transaction.atomic():
        Handover.objects.filter(pk=handover.pk).update(important="改过")
    with pytest.raises(IntegrityError), transaction.atomic():
        Handover.objects.filter(pk=handover.pk).delete()
    handover.refresh_from_db()
    assert (handover.important, handover.incoming_id, handover.is_locked) == (
        "系统20点升级",
        colleague.profile.pk,
        True,
    )


# --- summary, reports, review ------------------------------------------------------------------------------------


def test_submit_needs_sign_out_and_summary(team, agent):
    logbook = signed_in(team, agent, started_minutes_ago=60, hours=1)
    with pytest.raises(DutyError, match="签退"):
        services.submit_logbook(logbook, profile=agent.profile)
    services.sign_out(logbook, profile=agent.profile, now=logbook.duty_shift.ends_at)
    with pytest.raises(DutyError, match="小结"):
        services.submit_logbook(logbook, profile=agent.profile)
    services.write_summary(logbook, profile=agent.profile, hot_issues="退款咨询多", suggestions="")
    logbook = services.submit_logbook(logbook, profile=agent.profile)
    assert logbook.submitted_at is not None


def test_escalate_report_reaches_supervisors_and_manager_masked(team, agent, lead, supervisor, overseer, manager):
    logbook = signed_in(team, agent)
    services.escalate_report(
        logbook, profile=agent.profile, title="大量物流延迟投诉", body="客户13812345678等20人投诉顺丰延迟"
    )
    assert notices(NoticeKind.REPORT_ESCALATED) == [
        ("manager", "report"),
        ("overseer", "report"),
        ("supervisor", "report"),
    ]
    assert set(Notification.objects.values_list("body", flat=True)) == {"客户138****5678等20人投诉顺丰延迟"}


def test_review_by_lead_of_submitted_logbook_only(team, agent, lead, colleague):
    logbook = signed_in(team, agent, started_minutes_ago=60, hours=1)
    with pytest.raises(DutyError, match="尚未提交"):
        services.review_logbook(logbook, reviewer=lead.profile, accuracy="accurate")
    services.sign_out(logbook, profile=agent.profile, now=logbook.duty_shift.ends_at)
    services.write_summary(logbook, profile=agent.profile, hot_issues="无", suggestions="")
    services.submit_logbook(logbook, profile=agent.profile)
    with pytest.raises(DutyError, match="不能审阅"):
        services.review_logbook(logbook, reviewer=colleague.profile, accuracy="accurate")
    logbook = services.review_logbook(logbook, reviewer=lead.profile, accuracy="few_errors", note="时间记录有误")
    assert (logbook.accuracy, logbook.reviewed_by_id) == ("few_errors", lead.profile.pk)


# --- R-ATT-3 ---------------------------------------------------------------------------------------------------


def test_mark_absences_marks_once_and_alerts_lead_and_supervisors_once(
    team, agent, colleague, lead, supervisor, overseer
):
    shift = running_shift(team, started_minutes_ago=16)
    publish(team, [(agent, shift), (colleague, shift)], keep=True)
    acknowledged(colleague)
    services.sign_in(shift, profile=colleague.profile)
    assert services.mark_absences() == 1
    assert services.mark_absences() == 0
    assert list(DisciplineRecord.objects.filter(kind="absence").values_list("profile__name", flat=True)) == ["张伟"]
    assert notices(NoticeKind.ABSENCE_ALERT) == [
        ("lead", "absence"),
        ("overseer", "absence"),
        ("supervisor", "absence"),
    ]


def test_mark_absences_waits_fifteen_minutes(team, agent):
    shift = running_shift(team, started_minutes_ago=14)
    publish(team, [(agent, shift)], keep=True)
    assert (services.mark_absences(), DisciplineRecord.objects.count()) == (0, 0)


def test_emergency_call_after_the_absence_mark_turns_it_into_emergency_leave(team, agent, lead, supervisor):
    # Issue #27 point 7 (R-LEAVE-3): marked absent 15 minutes after the start, the lead records the phone call
    # 30 minutes after it: no absence stays, and the lead's confirmation says so.
    from leave import services as requests_services

    shift = running_shift(team, started_minutes_ago=30)
    publish(team, [(agent, shift)], keep=True)
    assert services.mark_absences() == 1
    call = requests_services.record_emergency_call(
        actor=lead.profile,
        profile_id=agent.profile.pk,
        duty_shift_id=shift.pk,
        called_at=timezone.now(),
        said="孩子急病，正在医院",
    )
    assert DisciplineRecord.objects.filter(kind="absence").count() == 0
    assert len(call.effects) == 1 and "紧急电话" in call.effects[0]
    from dutydesk.audit.models import AuditEvent

    withdrawn = AuditEvent.objects.get(action="logbook.absence_excused")
    assert (withdrawn.actor_name, withdrawn.before) == (lead.profile.name, {"kind": "absence"})
    assert services.mark_absences() == 0  # the job does not mark it again: a call is recorded for that shift


def test_absence_job_skips_someone_whose_call_is_recorded(team, agent, lead):
    from leave import services as requests_services

    shift = running_shift(team, started_minutes_ago=5)
    publish(team, [(agent, shift)], keep=True)
    requests_services.record_emergency_call(
        actor=lead.profile, profile_id=agent.profile.pk, duty_shift_id=shift.pk, called_at=timezone.now(), said="发烧"
    )
    DutyShift.objects.filter(pk=shift.pk).update(starts_at=timezone.now() - timedelta(minutes=20))
    assert (services.mark_absences(), DisciplineRecord.objects.count()) == (0, 0)
