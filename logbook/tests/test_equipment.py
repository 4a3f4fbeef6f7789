"""The team's pre-shift equipment checklist (issue 6, R-ATT-1): the supervisor sets it, agents tick it."""

import pytest

from dutydesk.models import Role
from logbook import rules, services
from logbook.models import EquipmentItem
from logbook.queries import equipment_of
from logbook.services import DutyError
from testdata import make_person

pytestmark = pytest.mark.django_db

URL = "/logbook/team-east/equipment/"


def items_of(team) -> list[tuple[int, str]]:
    return list(EquipmentItem.objects.filter(team=team).order_by("order").values_list("order", "name"))


# --- services --------------------------------------------------------------------------------------------------


def test_set_equipment_items_replaces_the_list_in_order(team, supervisor):
    services.set_equipment_items(team, ["电脑", "耳机", "工单系统"], actor=supervisor.profile)
    services.set_equipment_items(team, [" 工单系统 ", "电脑"], actor=supervisor.profile)
    assert (items_of(team), equipment_of(team)) == ([(1, "工单系统"), (2, "电脑")], ["工单系统", "电脑"])


def test_set_equipment_items_empty_list_goes_back_to_the_default(team, supervisor):
    services.set_equipment_items(team, ["电脑"], actor=supervisor.profile)
    services.set_equipment_items(team, [], actor=supervisor.profile)
    assert (items_of(team), equipment_of(team)) == ([], [str(i) for i in rules.DEFAULT_EQUIPMENT])


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["电脑", "  "], "每一项都需要填写名称。"),
        (["耳机", "电脑", "耳机 "], "“耳机”在清单中出现了两次。"),
        ([f"项目{n}" for n in range(21)], "检查清单最多 20 项，当前有 21 项。"),
        (["长" * 61], f"项目名称“{'长' * 61}”超过 60 个字符。"),
    ],
)
def test_set_equipment_items_refused_changes_nothing(team, supervisor, names, message):
    services.set_equipment_items(team, ["电脑", "电话"], actor=supervisor.profile)
    with pytest.raises(DutyError) as refused:
        services.set_equipment_items(team, names, actor=supervisor.profile)
    assert (str(refused.value), items_of(team)) == (message, [(1, "电脑"), (2, "电话")])


def test_set_equipment_items_refused_to_a_lead_and_another_teams_supervisor(team, lead, outsider):
    for actor in (lead, outsider):
        with pytest.raises(DutyError) as refused:
            services.set_equipment_items(team, ["电脑"], actor=actor.profile)
        assert str(refused.value) == "只有本组的客服主管可以设置设备检查清单。"
    assert items_of(team) == []


def test_set_equipment_items_by_a_supervisor_overseeing_the_team(team, other_team):
    overseer = make_person(Role.SUPERVISOR, other_team, username="overseer", oversees=[other_team, team])
    services.set_equipment_items(team, ["电脑"], actor=overseer.profile)
    assert items_of(team) == [(1, "电脑")]


# --- the page --------------------------------------------------------------------------------------------------


def test_equipment_page_shows_the_default_list_labelled_and_prefilled(client, team, supervisor):
    client.force_login(supervisor)
    response = client.get(URL)
    page = response.content.decode()
    assert (response.status_code, 'data-testid="equipment-default"' in page, response.context["form"].initial) == (
        200,
        True,
        {"items": "\n".join(str(i) for i in rules.DEFAULT_EQUIPMENT)},
    )


def test_equipment_page_supervisor_saves_one_item_per_line(client, team, supervisor):
    client.force_login(supervisor)
    response = client.post(URL, {"items": "耳机\r\n\r\n电脑\r\n 工单系统 \r\n"}, follow=True)
    page = response.content.decode()
    assert (
        response.redirect_chain,
        "设备检查清单已保存。" in page,
        'data-testid="equipment-default"' in page,
        items_of(team),
    ) == ([(URL, 302)], True, False, [(1, "耳机"), (2, "电脑"), (3, "工单系统")])


def test_equipment_page_refused_list_comes_back_as_typed(client, team, supervisor):
    services.set_equipment_items(team, ["电脑"], actor=supervisor.profile)
    client.force_login(supervisor)
    response = client.post(URL, {"items": "耳机\n耳机"})
    assert (
        response.status_code,
        "“耳机”在清单中出现了两次。" in response.content.decode(),
        response.context["form"]["items"].value(),
        items_of(team),
    ) == (400, True, "耳机\n耳机", [(1, "电脑")])


def test_equipment_page_reset_uses_the_default_again(client, team, supervisor):
    services.set_equipment_items(team, ["电脑"], actor=supervisor.profile)
    client.force_login(supervisor)
    response = client.post(URL, {"reset": "1"}, follow=True)
    assert ("本组已恢复使用默认检查清单。" in response.content.decode(), items_of(team)) == (True, [])


def test_equipment_page_refused_to_agent_lead_and_manager(client, team, agent, lead, manager):
    codes = []
    for person in (agent, lead, manager):
        client.force_login(person)
        codes += [client.get(URL).status_code, client.post(URL, {"items": "电脑"}).status_code]
    assert (codes, items_of(team)) == ([403] * 6, [])


def test_equipment_page_of_another_team_is_not_found(client, team, outsider):
    client.force_login(outsider)
    assert ([client.get(URL).status_code, client.post(URL, {"items": "电脑"}).status_code], items_of(team)) == (
        [404, 404],
        [],
    )


def test_board_tabs_link_the_checklist_for_supervisors_only(client, team, lead, supervisor):
    shown = []
    for person in (lead, supervisor):
        client.force_login(person)
        shown.append(f'href="{URL}"' in client.get("/logbook/team-east/board/").content.decode())
    assert shown == [False, True]


def test_today_checklist_shows_the_teams_items(client, team, agent, supervisor):
    from testdata import signed_in

    services.set_equipment_items(team, ["工单系统", "耳机"], actor=supervisor.profile)
    signed_in(team, agent)
    client.force_login(agent)
    form = client.get("/logbook/team-east/today/").context["equipment_form"]
    assert form.fields["items"].choices == [("工单系统", "工单系统"), ("耳机", "耳机")]
