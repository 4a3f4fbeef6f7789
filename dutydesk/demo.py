"""The demo organisation: two teams of a Chinese e-commerce service department.

Every function is idempotent (keyed on usernames, slugs and codes), so `load_demo` may run on every `make run`.
Deterministic: the same names, skills and dates every time.
"""

import random
from datetime import date
from functools import cache

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction

from dutydesk.models import Profile, Qualification, Role, Skill, Team

DEMO_PASSWORD = "dutydesk-demo"

SKILLS = [
    ("refund", "退款处理"),
    ("cross-border", "跨境退货"),
    ("vip", "VIP专线"),
    ("order-change", "订单变更"),
]
TEAMS = [("team-east", "华东客服组"), ("team-south", "华南客服组")]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "秀英",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀兰",
    "霞",
    "平",
    "刚",
    "桂英",
    "晓东",
    "雪梅",
    "文静",
    "子涵",
    "浩然",
    "欣怡",
    "梓萱",
    "宇航",
    "思远",
    "佳怡",
    "俊杰",
    "雨桐",
    "志强",
    "海燕",
    "建华",
    "婷婷",
    "晨曦",
]
AGENTS_PER_TEAM = 20
NEW_HIRES_PER_TEAM = 3


@cache
def _password_hash() -> str:
    # Hashing is slow by design; hash once and share it among the demo people.
    return make_password(DEMO_PASSWORD)


def _person(username: str, name: str, role: Role, team: Team | None, **extra) -> Profile:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.com", "password": _password_hash()}
    )
    profile, _ = Profile.objects.update_or_create(
        user=user, defaults={"name": name, "role": role, "team": team, **extra}
    )
    return profile


def _names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in names:
            names.append(name)
    return names


@transaction.atomic
def load_people() -> None:
    rng = random.Random(2026)
    skills = {code: Skill.objects.update_or_create(code=code, defaults={"name": name})[0] for code, name in SKILLS}
    teams = [Team.objects.update_or_create(slug=slug, defaults={"name": name})[0] for slug, name in TEAMS]
    names = _names(rng, 2 + len(teams) * (AGENTS_PER_TEAM + 2) + 1)

    manager = _person("manager", names.pop(), Role.MANAGER, None)
    manager.oversees.set(teams)
    agent_number = 0
    for index, team in enumerate(teams, start=1):
        supervisor = _person(f"supervisor{index}", names.pop(), Role.SUPERVISOR, team)
        supervisor.oversees.set([team])
        for lead_number in (2 * index - 1, 2 * index):
            lead = _person(f"lead{lead_number}", names.pop(), Role.LEAD, team, hire_date=date(2021, 3, lead_number))
            lead.skills.set(skills.values())
        for position in range(AGENTS_PER_TEAM):
            agent_number += 1
            new_hire = position >= AGENTS_PER_TEAM - NEW_HIRES_PER_TEAM
            hire_date = date(2026, 10, 8) if new_hire else date(2019 + rng.randrange(7), rng.randrange(1, 13), 1)
            agent = _person(
                f"agent{agent_number:02d}",
                names.pop(),
                Role.AGENT,
                team,
                hire_date=hire_date,
                qualification=Qualification.NEW_HIRE if new_hire else Qualification.QUALIFIED,
                qualified_on=None if new_hire else hire_date,
                phone=f"138{rng.randrange(10**8):08d}",
            )
            # Everyone handles refunds; a share also holds the specialist skills.
            held = [skills["refund"]] + [
                skills[c] for c in ("cross-border", "vip", "order-change") if rng.random() < 0.45
            ]
            agent.skills.set(held)


# Each app adds its part in a module with load(*, today) -> None, idempotent. Order matters: later parts build on
# earlier ones (leave needs published rosters, logbooks need rosters, appraisals need logbooks).
DEMO_MODULES = [
    "workcalendar.demo",
    "roster.demo",
    "leave.demo",
    "market.demo",
    "dutydesk.notifications.demo",
    "logbook.demo",
    "appraisal.demo",
    "people.demo",
    "compensation.demo",
    "forecast.demo",
    "dutydesk.sso.demo",
    "api.demo",
]


def load(today: date | None = None) -> None:
    import importlib

    from django.utils import timezone

    today = today or timezone.localdate()
    load_people()
    for name in DEMO_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        module.load(today=today)
