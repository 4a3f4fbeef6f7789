"""Demo people data: employee numbers and chat ids for everyone, each team's support directory, a training history
(lectures, a case study, a drill, an external course) with attendance, a session coming up, a failed and a passed
qualification check, a reward granted for excellent months, and one agent leaving next month. Idempotent (keyed on
employee numbers, topics and names) and deterministic."""

import zlib
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from appraisal.models import AgentScore
from dutydesk.models import Profile, Qualification, Role, Team
from logbook.models import Logbook
from people.models import (
    Attendance,
    CheckResult,
    ContactKind,
    QualificationCheck,
    SupportContact,
    TrainingInvitation,
    TrainingKind,
    TrainingReward,
    TrainingSession,
)
from people.services import PeopleError, members, qualification, training
from roster.models import AssignmentRole
from roster.queries import published_assignments

PREFIX = {Role.AGENT: "1", Role.LEAD: "2", Role.SUPERVISOR: "3", Role.MANAGER: "4"}

DIRECTORY = [
    # (kind, name, contact, phone, wecom, hours, note)
    (
        ContactKind.HOTLINE,
        "技术支持热线",
        "值班工程师",
        "400-820-6688",
        "it-oncall",
        "每天 00:00-24:00",
        "系统登录、工单系统、电话条故障",
    ),
    (ContactKind.DEPARTMENT, "订单中心", "周敏", "021-62345678", "zhoumin", "每天 09:00-22:00", "改地址、拆单、补发"),
    (
        ContactKind.DEPARTMENT,
        "财务部（退款）",
        "孙丽",
        "021-62345690",
        "sunli",
        "周末 09:00-18:00",
        "超过 500 元的退款审批",
    ),
    (ContactKind.DEPARTMENT, "跨境物流部", "何超", "021-62345712", "hechao", "每天 10:00-24:00", "清关、退运、海外仓"),
    (
        ContactKind.DEPARTMENT,
        "VIP客户经理",
        "林雪梅",
        "13917705521",
        "linxuemei",
        "每天 09:00-21:00",
        "VIP 客户投诉升级",
    ),
]

SESSIONS = [
    # (days before today, hour, topic, kind, provider, trainer, place, link)
    (75, 14, "退款新规解读：七天无理由与运费险", TrainingKind.LECTURE, "", "王芳", "3楼培训室", ""),
    (47, 10, "投诉案例复盘：双11延迟发货", TrainingKind.CASE_STUDY, "", "李娜", "3楼培训室", ""),
    (33, 15, "系统故障应急演练", TrainingKind.DRILL, "", "技术支持部", "客服中心大厅", ""),
    (
        19,
        9,
        "客户沟通技巧与情绪管理",
        TrainingKind.EXTERNAL,
        "华夏服务培训中心",
        "陈静老师",
        "",
        "https://meeting.example.com/j/58213",
    ),
]
UPCOMING = ("年终大促预案与话术", TrainingKind.LECTURE, "", "王芳", "3楼培训室")


def _rng_pick(*parts, modulo: int) -> int:
    return zlib.crc32("|".join(str(p) for p in parts).encode()) % modulo


def load(*, today: date) -> None:
    _numbers_and_ids()
    manager = Profile.objects.filter(role=Role.MANAGER).order_by("pk").first()
    for team in Team.objects.filter(slug__in=["team-east", "team-south"]).order_by("slug"):
        supervisor = Profile.objects.filter(team=team, role=Role.SUPERVISOR).order_by("pk").first()
        if supervisor is None:
            continue
        _directory(team)
        _training(team, supervisor, today)
        _checks(team, today)
        _shadow_sign_ins(team, today)
        if manager is not None:
            _reward(team, manager)
    _leaver(today)
    # The hourly job's first run: leads are asked about the new hires whose shadow shifts are done.
    qualification.ask_for_checks()


@transaction.atomic
def _numbers_and_ids() -> None:
    for profile in Profile.objects.filter(employee_number="").select_related("user").order_by("user__username"):
        digits = "".join(c for c in profile.user.username if c.isdigit()) or "1"
        profile.employee_number = f"DD{PREFIX[profile.role]}{int(digits):03d}"
        profile.wecom_id = profile.user.username
        if profile.team and profile.team.slug == "team-south":
            profile.feishu_id = f"ou_{zlib.crc32(profile.user.username.encode()):08x}"
        else:
            profile.dingtalk_id = f"dd{zlib.crc32(profile.user.username.encode()) % 10**8:08d}"
        profile.save(update_fields=["employee_number", "wecom_id", "feishu_id", "dingtalk_id"])


def _directory(team) -> None:
    for order, (kind, name, contact, phone, wecom, hours, note) in enumerate(DIRECTORY, start=1):
        SupportContact.objects.update_or_create(
            team=team,
            name=name,
            defaults={
                "kind": kind,
                "contact": contact,
                "phone": phone,
                "wecom_id": wecom,
                "hours": hours,
                "note": note,
                "order": order,
            },
        )


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


@transaction.atomic
def _training(team, supervisor, today: date) -> None:
    staff = list(Profile.objects.filter(team=team, role__in=[Role.AGENT, Role.LEAD]).order_by("user__username"))
    for days_ago, hour, topic, kind, provider, trainer, place, link in SESSIONS:
        if TrainingSession.objects.filter(team=team, topic=topic).exists():
            continue
        starts = _at(today - timedelta(days=days_ago), hour)
        session = TrainingSession.objects.create(
            team=team,
            topic=topic,
            kind=kind,
            provider=provider,
            trainer=trainer,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place=place,
            link=link,
            created_by=supervisor,
            created_at=starts - timedelta(days=7),
            reminded_at=starts - timedelta(days=1),
        )
        invited = [p for p in staff if kind != TrainingKind.EXTERNAL or _rng_pick(p.pk, topic, modulo=4) == 0]
        rows = []
        for profile in invited:
            share = _rng_pick(profile.user.username, topic, modulo=20)
            attendance = Attendance.ABSENT if share == 0 else Attendance.EXCUSED if share == 1 else Attendance.PRESENT
            rows.append(
                TrainingInvitation(
                    session=session,
                    profile=profile,
                    attendance=attendance,
                    recorded_by=supervisor,
                    recorded_at=starts + timedelta(hours=2),
                )
            )
        TrainingInvitation.objects.bulk_create(rows)
    topic, kind, provider, trainer, place = UPCOMING
    if not TrainingSession.objects.filter(team=team, topic=topic).exists():
        starts = _at(today + timedelta(days=5), 14)
        training.plan_session(
            team=team,
            actor=supervisor,
            invitees=staff,
            now=_at(today, 8),
            values={
                "topic": topic,
                "kind": kind,
                "provider": provider,
                "trainer": trainer,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=2),
                "place": place,
                "link": "",
                "description": "大促期间的排队话术、退款时效承诺和升级路径。请提前阅读知识库相关条目。",
            },
        )


def _checks(team, today: date) -> None:
    """The team's first new hire failed a first check last week (and shadows again); nobody has passed yet in
    team-south, while a lead of team-east passed hers long ago."""
    if QualificationCheck.objects.filter(team=team).exists():
        return
    lead = Profile.objects.filter(team=team, role=Role.LEAD).order_by("pk").first()
    hire = Profile.objects.filter(team=team, qualification=Qualification.NEW_HIRE).order_by("user__username").first()
    if lead is None or hire is None:
        return
    day = today - timedelta(days=7)
    QualificationCheck.objects.create(
        profile=hire,
        team=team,
        result=CheckResult.FAILED,
        date=day,
        examiner=lead,
        recorded_by=lead,
        note="退款流程不熟，跨境退货规则需再跟岗学习。",
    )
    hire.shadowing_since = day + timedelta(days=1)
    hire.save(update_fields=["shadowing_since"])
    if team.slug == "team-east":
        QualificationCheck.objects.create(
            profile=lead,
            team=team,
            result=CheckResult.PASSED,
            date=date(2021, 4, 24),
            examiner=lead,
            recorded_by=lead,
            qualified_from=date(2021, 5, 1),
            note="入职考核通过。",
        )


def _shadow_sign_ins(team, today: date) -> None:
    """The new hires signed in to the shadow shifts they worked (and handed in the logbook), so the new hires page
    counts them: two are ready for their check, the one who failed shadows again."""
    cutoff = _at(today, 0)
    shadows = (
        published_assignments()
        .filter(duty_shift__team=team, role=AssignmentRole.SHADOW, duty_shift__ends_at__lte=cutoff)
        .select_related("duty_shift", "profile")
    )
    for assignment in shadows:
        shift = assignment.duty_shift
        Logbook.objects.get_or_create(
            duty_shift=shift,
            profile=assignment.profile,
            defaults={
                "team": team,
                "signed_in_at": shift.starts_at - timedelta(minutes=15),
                "signed_out_at": shift.ends_at,
                "equipment_checked_at": shift.starts_at - timedelta(minutes=10),
                "submitted_at": shift.ends_at + timedelta(minutes=10),
                "hot_issues": "跟岗学习退款和改地址流程",
            },
        )


def _reward(team, manager) -> None:
    """The manager granted a training opportunity to the first person of the team with the extra reward."""
    score = (
        AgentScore.objects.filter(appraisal__team=team, appraisal__is_current=True, reward_flag=True)
        .select_related("appraisal", "profile")
        .order_by("-appraisal__month", "profile__user__username")
        .first()
    )
    if score is None or TrainingReward.objects.filter(team=team).exists():
        return
    try:
        training.grant_training_reward(
            team=team,
            month=score.appraisal.month,
            profile=score.profile,
            actor=manager,
            note="推荐参加外部服务礼仪课程",
        )
    except PeopleError:
        pass


def _leaver(today: date) -> None:
    """An agent of team-south leaves next month, on the day of her last shift in its published roster: that shift
    is flagged on the roster page for the supervisor to give to someone else."""
    profile = Profile.objects.filter(user__username="agent24").first()
    if profile is None or profile.left_on is not None:
        return
    next_month = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
    last = (
        published_assignments()
        .filter(profile=profile, date__gte=next_month)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    members.mark_left(profile, actor=None, left_on=last or next_month.replace(day=15), today=today, note="个人原因离职")
