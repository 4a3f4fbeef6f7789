"""Demo notices: a few read and unread ones for demo people; team robots left empty (no outside network).

Every notice is dated in the past (never "in 3 hours" when the demo is loaded in the morning), and the people it
names are members of the recipient's own team (issue #13 point 9).
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from dutydesk.models import Profile, Role, Team
from dutydesk.notifications.models import NoticeKind, Notification, TeamNotificationSettings

# (username, dedupe key, kind, subject, body, days ago, read). {mate1}, {mate2}: two other agents of the recipient's
# team; {team}: the team's name.
NOTICES = [
    (
        "agent01",
        "demo:roster-published",
        NoticeKind.ROSTER_PUBLISHED,
        "下月排班表已发布",
        "{team}下月值班表已发布，请查看自己的班次并确认。",
        3,
        True,
    ),
    (
        "agent01",
        "demo:reminder",
        NoticeKind.SHIFT_REMINDER,
        "值班提醒：周六 白班 09:00-18:00",
        "请于 08:45 前签到。\n本班角色：值班\n同班：{mate1}、{mate2}\n没有待处理事项。",
        0,
        False,
    ),
    (
        "agent01",
        "demo:leave-decided",
        NoticeKind.REQUEST_DECIDED,
        "您的请假申请已批准",
        "客服主管已批准您周日夜班的请假申请，替班人：{mate1}。",
        1,
        False,
    ),
    (
        "agent02",
        "demo:roster-published",
        NoticeKind.ROSTER_PUBLISHED,
        "下月排班表已发布",
        "{team}下月值班表已发布，请查看自己的班次并确认。",
        3,
        False,
    ),
    (
        "agent21",
        "demo:roster-published",
        NoticeKind.ROSTER_PUBLISHED,
        "下月排班表已发布",
        "{team}下月值班表已发布，请查看自己的班次并确认。",
        3,
        True,
    ),
    (
        "agent21",
        "demo:roster-changed",
        NoticeKind.ROSTER_CHANGED,
        "您的班次有调整",
        "因调班，您周六的夜班改为周日白班，请留意。",
        0,
        False,
    ),
    (
        "lead1",
        "demo:request-waiting",
        NoticeKind.REQUEST_WAITING,
        "有一条请假申请待您审批",
        "客服{mate1}申请周日夜班请假，原因：家中有事。",
        0,
        False,
    ),
    (
        "supervisor1",
        "demo:request-waiting",
        NoticeKind.REQUEST_WAITING,
        "有一条调班申请待您审批",
        "值班组长已初审通过，等待您最终审批。",
        1,
        False,
    ),
    (
        "supervisor1",
        "demo:escalated",
        NoticeKind.REPORT_ESCALATED,
        "上报：物流延迟投诉集中",
        "本周末夜班收到多起跨境退货物流延迟投诉，客户 138****5678 等，已记录在值班记录簿。",
        2,
        True,
    ),
]


def _words(profile: Profile) -> dict[str, str]:
    mates = list(
        Profile.objects.filter(team=profile.team_id, role=Role.AGENT)
        .exclude(pk=profile.pk)
        .order_by("user__username")
        .values_list("name", flat=True)[:2]
    )
    mates += ["—"] * (2 - len(mates))
    return {"mate1": mates[0], "mate2": mates[1], "team": profile.team.name if profile.team else ""}


@transaction.atomic
def load(*, today) -> None:
    for team in Team.objects.filter(slug__in=["team-east", "team-south"]):
        TeamNotificationSettings.objects.get_or_create(team=team)  # robot left empty: no outside network
    now = timezone.now()
    noon = datetime.combine(today, time(12), tzinfo=timezone.get_current_timezone())
    profiles = {
        p.user.username: p
        for p in Profile.objects.filter(user__username__in={n[0] for n in NOTICES}).select_related("user", "team")
    }
    for username, key, kind, subject, body, days_ago, read in NOTICES:
        if username not in profiles:
            continue
        # Noon of that day, or a little before now when noon has not come yet.
        created = min(noon - timedelta(days=days_ago), now - timedelta(minutes=30))
        Notification.objects.update_or_create(
            recipient=profiles[username],
            dedupe_key=key,
            defaults={
                "kind": kind,
                "subject": subject,
                "body": body.format(**_words(profiles[username])),
                "created_at": created,
                "read_at": created + timedelta(minutes=20) if read else None,
            },
        )
