"""Demo duty days: logbooks of the past 5 weeks of the published demo rosters, written through the real services
(with the time of the event as `now`): sign-ins (a few late, a few absent), equipment checks, inquiries,
complaints and business tasks in Chinese, promised replies (a few still open), signed handovers, summaries,
reviewed logbooks with record-accuracy marks, and the discipline acknowledgement. Idempotent: a logbook that
exists is skipped. A no-op when no roster is published yet."""

import random
import uuid
from datetime import date, timedelta

from django.utils import timezone

from dutydesk.models import Profile, Team
from dutydesk.queries import leads_of, supervisors_of
from logbook import services
from logbook.models import DisciplineAcknowledgement, DisciplineKind, DisciplineRecord, Entry, Logbook
from logbook.queries import equipment_of
from roster.queries import published_assignments

DAYS_BACK = 35
DEMO_NAMESPACE = uuid.UUID("6f1c3a52-6a43-4d0e-9a0c-1d0b6c1f2e11")

CUSTOMERS = ["王女士", "李先生", "张女士", "刘先生", "陈女士", "杨先生", "赵女士", "黄先生", "周女士", "吴先生"]
COURIERS = ["顺丰", "中通", "圆通", "韵达", "京东物流", "邮政"]
# (kind, category, task_type, contents, outcomes); {n} an order number, {d} a number of days, {c} a courier.
TEMPLATES = [
    (
        "inquiry",
        "logistics",
        "",
        ["咨询订单{n}物流到哪里了", "询问{c}快递为什么{d}天没有更新", "问包裹显示已签收但没收到"],
        ["已查询物流，预计明天送达", "已告知客户联系{c}网点", "已提交物流部核实"],
    ),
    (
        "inquiry",
        "refund_progress",
        "",
        ["询问退款进度，订单{n}", "退款申请{d}天了还没到账", "问退款为什么被驳回"],
        ["已告知退款3个工作日内原路退回", "已催财务加急处理", "已解释驳回原因并指导重新申请"],
    ),
    (
        "task",
        "order_change",
        "order_change",
        ["要求修改收货地址，订单{n}", "修改订单规格为大号", "合并两个订单一起发货"],
        ["已修改地址", "仓库已拦截，改好后重新发货", "已发货无法修改，已告知客户"],
    ),
    (
        "task",
        "refund_progress",
        "refund",
        ["办理退款，商品{d}天未发货", "七天无理由退货退款", "申请仅退款，订单{n}"],
        ["退款已提交", "已同意退货，等待寄回", "已退款到原支付账户"],
    ),
    (
        "task",
        "logistics",
        "order_lookup",
        ["查询订单{n}状态", "核对发票信息和订单金额", "查询优惠券使用记录"],
        ["已查到并告知客户", "已补开发票", "已解释优惠规则"],
    ),
    (
        "complaint",
        "logistics_delay",
        "",
        ["投诉物流延迟{d}天，{c}一直不派送", "大促订单物流延迟严重", "投诉快递员态度差不送上门"],
        ["已联系物流部加急，补偿优惠券", "已升级处理，明天回复", "已向{c}投诉"],
    ),
    (
        "complaint",
        "product_quality",
        "",
        ["投诉商品质量问题，收到破损", "衣服有色差要求退换", "家电使用{d}天就坏了"],
        ["同意换货", "已安排售后上门检测", "补偿20元并退货"],
    ),
    (
        "complaint",
        "slow_refund",
        "",
        ["投诉退款慢，已经{d}天", "退款迟迟不到账要求赔偿"],
        ["已催财务，承诺明天回复", "已加急处理"],
    ),
    (
        "complaint",
        "service_attitude",
        "",
        ["投诉客服态度不好，挂断电话", "投诉上一位客服答复敷衍"],
        ["已道歉并记录", "已转组长处理"],
    ),
]
DEMANDS = {
    "logistics_delay": "要求尽快送达并补偿运费",
    "product_quality": "要求换货或退款",
    "slow_refund": "要求当天退款到账",
    "service_attitude": "要求道歉并处理该客服",
}
DEPARTMENTS = {
    "logistics_delay": "物流部",
    "product_quality": "售后部、质检部",
    "slow_refund": "财务部",
    "service_attitude": "客服部",
}
HOT_ISSUES = [
    "退款咨询集中，多为七天无理由退货",
    "物流延迟投诉增多，主要是偏远地区",
    "大促订单修改地址需求多",
    "发票类咨询增多",
    "无明显热点",
]
SUGGESTIONS = ["建议物流部提供延迟订单清单", "建议更新退款话术模板", "建议夜班增加一名人员", "", ""]


def entry_data(rng: random.Random) -> dict:
    kind, category, task_type, contents, outcomes = rng.choice(TEMPLATES)
    data = {
        "kind": kind,
        "category": category,
        "task_type": task_type,
        "customer_name": rng.choice(CUSTOMERS),
        "customer_phone": f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
        "customer_ref": f"DD{rng.randrange(10**10):010d}" if rng.random() < 0.6 else "",
        "content": rng.choice(contents).format(
            n=f"DD{rng.randrange(10**6):06d}", d=rng.randrange(2, 15), c=rng.choice(COURIERS)
        ),
        "outcome": rng.choice(outcomes).format(c=rng.choice(COURIERS)),
        "status": "done",
    }
    if kind == "complaint":
        data.update(
            demand=DEMANDS[category],
            departments=DEPARTMENTS[category],
            progress="已联系相关部门跟进",
            result_told=data["outcome"],
        )
    return data


def load(*, today: date) -> None:
    now = timezone.now()
    since = today - timedelta(days=DAYS_BACK)
    assignments = list(
        published_assignments()
        .filter(duty_shift__team__slug__in=["team-east", "team-south"], date__gte=since, duty_shift__ends_at__lt=now)
        .select_related("duty_shift__team", "profile")
        .order_by("duty_shift__starts_at", "profile__name")
    )
    if not assignments:
        return
    done = set(
        Logbook.objects.filter(duty_shift__in={a.duty_shift_id for a in assignments}).values_list(
            "duty_shift_id", "profile_id"
        )
    )
    absences = set(
        DisciplineRecord.objects.filter(kind=DisciplineKind.ABSENCE, date__gte=since).values_list(
            "duty_shift_id", "profile_id"
        )
    )
    reviewers = {
        team.pk: leads_of(team).order_by("user__username").first()
        for team in Team.objects.filter(slug__in=["team-east", "team-south"])
    }
    by_shift: dict[int, list] = {}
    for assignment in assignments:
        by_shift.setdefault(assignment.duty_shift_id, []).append(assignment)
    answers: list[tuple[Entry, object]] = []
    for shift_assignments in by_shift.values():
        shift = shift_assignments[0].duty_shift
        incoming = _next_holder(shift)
        for assignment in shift_assignments:
            key = (shift.pk, assignment.profile_id)
            if key in done or key in absences:
                continue
            # Seeded by what the duty is, not by row ids, so every load of the demo tells the same story.
            rng = random.Random(f"{shift.team.slug}|{shift.starts_at.isoformat()}|{assignment.profile.name}")
            if rng.random() < 0.03:
                services._mark_absent(shift, assignment.profile, now=shift.starts_at + timedelta(minutes=16))
                continue
            answers += _duty(
                shift,
                assignment.profile,
                rng,
                incoming=incoming,
                now=now,
                reviewer=reviewers.get(shift.team_id),
                today=today,
            )
    latest_day = max(a.date for a in assignments)
    for entry, answered_at in sorted(answers, key=lambda pair: pair[1]):
        # The last duty day's promises are still open: the board shows them, some overdue.
        if answered_at < now and entry.logbook.duty_shift.date != latest_day:
            services.answer_entry(
                entry, profile=entry.author, answer="已回电告知处理结果，客户表示认可", now=answered_at
            )
    _manual_records(today)
    _privacy(now)


# R-PIPL-2/-3 in the demo: a few reveals with their reasons, the company keeping customers' data 30 days (the
# shortest period allowed, so that the 5 weeks of demo logbooks have some past it), a dry run and a run.
REVEALS = [
    ("agent", "回访客户，确认退款到账"),
    ("lead", "跟进投诉处理结果"),
    ("agent", "核对收货地址"),
    ("supervisor", "投诉升级，联系客户致歉"),
]
DEMO_RETENTION_DAYS = 30


def _privacy(now) -> None:
    from dutydesk.audit.models import AuditEvent
    from logbook import privacy
    from logbook.models import RetentionRun

    if AuditEvent.objects.filter(action="logbook.reveal").exists() or RetentionRun.objects.exists():
        return
    for team in Team.objects.filter(slug__in=["team-east", "team-south"]).order_by("slug"):
        entries = list(
            Entry.objects.filter(team=team, created_at__gte=now - timedelta(days=20))
            .exclude(customer_phone="")
            .select_related("author")
            .order_by("created_at", "id")[:4]
        )
        viewers = {
            "lead": leads_of(team).order_by("user__username").first(),
            "supervisor": supervisors_of(team).order_by("pk").first(),
        }
        for entry, (who, reason) in zip(entries, REVEALS, strict=False):
            viewer = entry.author if who == "agent" else viewers[who]
            if viewer is not None:
                privacy.reveal_entry(entry, viewer=viewer, reason=reason)
    manager = Profile.objects.filter(role="manager").order_by("user__username").first()
    if manager is not None:
        privacy.set_retention_days(actor=manager, days=DEMO_RETENTION_DAYS)
    privacy.purge_personal_data(dry_run=True, now=now)
    privacy.purge_personal_data(now=now)


def _next_holder(shift):
    following = services.next_shift(shift)
    if following is None or following.date != shift.date:
        return None
    holder = published_assignments().filter(duty_shift=following).order_by("profile__name").first()
    return holder.profile if holder else None


def _duty(shift, profile, rng, *, incoming, now, reviewer, today) -> list:
    """One person's shift, event by event at the times they happened."""
    if not DisciplineAcknowledgement.objects.filter(profile=profile).exists():
        services.sign_discipline_acknowledgement(profile=profile, now=shift.starts_at - timedelta(days=3))
    late = rng.random() < 0.08
    arrived = shift.starts_at + (
        timedelta(minutes=rng.randrange(3, 25)) if late else -timedelta(minutes=rng.randrange(15, 29))
    )
    logbook = services.sign_in(shift, profile=profile, now=arrived)
    if late:
        services.file_late_explanation(
            logbook,
            profile=profile,
            explanation=rng.choice(["地铁临时停运", "暴雨堵车", "家中老人就医，已提前电话告知组长"]),
            now=arrived + timedelta(minutes=5),
        )
    equipment = equipment_of(shift.team)
    services.check_equipment(
        logbook, profile=profile, items=equipment, expected=equipment, now=arrived + timedelta(minutes=3)
    )
    answers = []
    length = (shift.ends_at - max(arrived, shift.starts_at)).total_seconds()
    for index in range(rng.randrange(2, 7)):
        written = max(arrived, shift.starts_at) + timedelta(seconds=length * (index + 1) / 8)
        data = entry_data(rng)
        answer_at = None
        if rng.random() < 0.15:
            promised = written + timedelta(hours=rng.randrange(2, 20))
            data.update(status="open", promised_reply_at=promised, outcome="已记录，承诺回电")
            # Most promises are kept, some late; the newest stay open on the board.
            answer_at = promised + timedelta(minutes=rng.choice([-90, -30, -10, 20, 120]))
        entry, _ = services.record_entry(
            logbook,
            author=profile,
            client_token=uuid.uuid5(DEMO_NAMESPACE, f"{shift.pk}-{profile.pk}-{index}"),
            data=data,
            now=written,
        )
        if answer_at is not None:
            answers.append((entry, answer_at))
    if not services.is_last_shift_of_day(shift):
        handover = services.prepare_handover(logbook, profile=profile, now=shift.ends_at - timedelta(minutes=10))
        services.save_handover(
            handover,
            profile=profile,
            open_items=handover.open_items,
            important=rng.choice(["系统今晚22点升级，期间订单查询较慢", "大促活动今晚结束", "物流部值班电话已更新"]),
            notes="",
        )
        services.sign_handover_outgoing(handover, profile=profile, now=shift.ends_at - timedelta(minutes=5))
        if incoming is not None and incoming.pk != profile.pk:
            services.sign_handover_incoming(handover, profile=incoming, now=shift.ends_at + timedelta(minutes=2))
    services.sign_out(logbook, profile=profile, now=shift.ends_at + timedelta(minutes=rng.randrange(0, 10)))
    services.write_summary(
        logbook, profile=profile, hot_issues=rng.choice(HOT_ISSUES), suggestions=rng.choice(SUGGESTIONS)
    )
    services.submit_logbook(logbook, profile=profile, now=shift.ends_at + timedelta(minutes=15))
    if reviewer is not None and reviewer.pk != profile.pk and shift.date < today - timedelta(days=6):
        services.review_logbook(
            logbook,
            reviewer=reviewer,
            accuracy=rng.choices(["accurate", "few_errors", "many_errors"], weights=[75, 20, 5])[0],
            note=rng.choice(["记录清楚", "部分时间记录不准确", ""]),
            now=shift.ends_at + timedelta(days=1),
        )
    if rng.random() < 0.02:
        services.escalate_report(
            logbook,
            profile=profile,
            title="多名客户反映同一批次商品破损",
            body="本班次共5位客户投诉同一批次玻璃杯破损，建议质检部排查仓库包装。",
            now=shift.ends_at - timedelta(minutes=30),
        )
    return answers


def _manual_records(today: date) -> None:
    """A demerit and an unapproved swap recorded by a supervisor (R-ATT-7)."""
    for team_slug, agent, kind, note in [
        ("team-east", "agent05", DisciplineKind.UNAPPROVED_SWAP, "私下与同事换班，未经组长登记"),
        ("team-south", "agent27", DisciplineKind.DEMERIT, "值班期间多次长时间离岗，记过一次"),
    ]:
        profile = Profile.objects.filter(user__username=agent).first()
        team = Team.objects.filter(slug=team_slug).first()
        supervisor = supervisors_of(team).order_by("pk").first() if team else None
        if profile is None or supervisor is None:
            continue
        DisciplineRecord.objects.get_or_create(
            profile=profile,
            kind=kind,
            note=note,
            duty_shift=None,
            defaults={"date": today - timedelta(days=10), "recorded_by": supervisor},
        )
