"""Issue #13 point 7: a shift's required skills changed under a published roster (R-ROSTER-5). The supervisor is
warned before saving, with the shifts and people concerned; saved anyway, the roster shows them as problems."""

import pytest
from django.urls import reverse

from roster.models import ShiftType
from testdata import leave_setup, make_skill

pytestmark = pytest.mark.django_db


def _form(shift_type, skills, **extra):
    return {
        "key": shift_type.key,
        "name": shift_type.name,
        "start": shift_type.start.strftime("%H:%M"),
        "end": shift_type.end.strftime("%H:%M"),
        "headcount": shift_type.headcount,
        "order": shift_type.order,
        "active": "on",
        "required_skills": [s.pk for s in skills],
        **extra,
    }


def test_new_skill_warns_with_the_shifts_and_people_then_saves_and_flags_the_roster(
    client, team, agent, lead, supervisor
):
    setup = leave_setup(team, agent, lead)
    day = ShiftType.objects.get(team=team, key="day")
    refund, vip = day.required_skills.get(), make_skill("vip", "VIP专线")
    setup.people["D"].skills.add(vip)  # 孙杰 holds it: not listed
    url = reverse("roster:shift-edit", kwargs={"team": team.slug, "shift_type": day.pk})
    client.force_login(supervisor)

    warned = client.post(url, _form(day, [refund, vip]))
    assert warned.status_code == 200
    assert list(day.required_skills.all()) == [refund]  # nothing saved yet
    gaps = [(shift.date, [(p.name, missing) for p, missing in people]) for shift, people in warned.context["gaps"]]
    # DEFAULT_PLAN: day shifts of A+B, C+D, A+D, B+C; 张伟 is A, 王磊 B, 赵敏 C, 孙杰 D.
    assert gaps == [
        (setup.days[0], [("张伟", ["VIP专线"]), ("王磊", ["VIP专线"])]),
        (setup.days[1], [("赵敏", ["VIP专线"])]),
        (setup.days[2], [("张伟", ["VIP专线"])]),
        (setup.days[3], [("王磊", ["VIP专线"]), ("赵敏", ["VIP专线"])]),
    ]
    html = warned.content.decode()
    assert 'data-testid="skill-gaps"' in html and "张伟（缺少 VIP专线）" in html
    assert 'name="accept_skill_gaps"' in html and 'type="checkbox"' in html

    saved = client.post(url, _form(day, [refund, vip], accept_skill_gaps="on"), follow=True)
    assert sorted(s.code for s in day.required_skills.all()) == ["refund", "vip"]
    assert [str(m) for m in saved.context["messages"]] == [
        "班次已保存。4 个已发布班次上有 6 人缺少新要求的技能：排班表会将其标为问题，直到调整为止。"
    ]

    month = client.get(reverse("roster:month", kwargs={"team": team.slug, "month": setup.days[0].replace(day=1)}))
    page = month.content.decode()
    assert 'data-testid="published-problems"' in page
    # Six people lack the skill; the problem list says it once per shift and person, with the dates.
    grid = month.context["grid"]
    assert (grid.problem_count, len(grid.problems), page.count("table-danger problem")) == (6, 3, 6)


def test_a_skill_everyone_on_the_roster_holds_saves_at_once(client, team, agent, lead, supervisor):
    leave_setup(team, agent, lead)
    night = ShiftType.objects.get(team=team, key="night")
    client.force_login(supervisor)
    url = reverse("roster:shift-edit", kwargs={"team": team.slug, "shift_type": night.pk})
    response = client.post(url, _form(night, []), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["班次已保存。"]
    assert list(night.required_skills.all()) == []
