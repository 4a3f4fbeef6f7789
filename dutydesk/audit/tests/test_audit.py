"""The audit trail (issue 22 item 3, issue 28 item 4): append-only in the database, written by the services with
the real actor and the values before and after, read per person, day and roster, by a manager's search and by
each person for what concerns them."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction  # noqa: F401

from dutydesk.audit import rules
from dutydesk.audit.models import AuditEvent
from dutydesk.audit.services import record, snapshot
from dutydesk.models import Role, Skill

pytestmark = pytest.mark.django_db


def test_changes_keep_only_the_fields_that_differ():
    assert rules.changes({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == ({"b": 2, "c": None}, {"b": 3, "c": 4})
    assert rules.changes(None, {"a": 1}) == (None, {"a": 1})
    assert rules.changes({"a": 1}, None) == ({"a": 1}, None)


def test_record_names_the_actor_the_target_and_what_changed(team, supervisor):
    skill = Skill.objects.create(code="vip", name="VIP")
    before = snapshot(skill)
    skill.name = "VIP 专线"
    event = record("people.skill_rename", actor=supervisor.profile, target=skill, before=before, after=snapshot(skill))
    event.refresh_from_db()
    assert (event.actor_id, event.actor_name, event.target_type, event.target_id) == (
        supervisor.profile.pk,
        "王芳",
        "dutydesk.skill",
        str(skill.pk),
    )
    assert (event.before, event.after) == ({"name": "VIP"}, {"name": "VIP 专线"})
    assert event.refs == [f"dutydesk.skill:{skill.pk}"]
    assert event.at is not None


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET actor_name = 'someone else'",
        "UPDATE audit_auditevent SET reason = '' WHERE id = {id}",
        "DELETE FROM audit_auditevent WHERE id = {id}",
        "DELETE FROM audit_auditevent",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_event(team, supervisor, statement):
    # Not the application's goodwill: the trigger refuses whoever asks (raw SQL, the admin, a bug).
    event = record("audit.note", actor=supervisor.profile, team=team, reason="kept")
    with pytest.raises((InternalError, ProgrammingError, IntegrityError)) as refused:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement.format(id=event.pk))
    assert "append-only" in str(refused.value)
    event.refresh_from_db()
    assert (event.actor_name, event.reason) == ("王芳", "kept")


def test_the_orm_cannot_change_or_delete_an_event_either(team, supervisor):
    event = record("audit.note", actor=supervisor.profile, team=team, reason="kept")
    with pytest.raises(ProgrammingError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="")
    with pytest.raises(ProgrammingError), transaction.atomic():
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk, reason="kept").exists()


def test_a_change_rolled_back_leaves_no_event(team, supervisor):
    with pytest.raises(RuntimeError), transaction.atomic():
        record("audit.note", actor=supervisor.profile, team=team)
        raise RuntimeError("the change failed")
    assert AuditEvent.objects.count() == 0


# --- issue 28 item 4: every service records its actor ----------------------------------------------------------

SERVICE_PACKAGES = ("workcalendar", "roster", "logbook", "appraisal", "people", "compensation")


def _services_files():
    base = Path(settings.BASE_DIR)
    for package in SERVICE_PACKAGES:
        for path in (base / package).rglob("*.py"):
            parts = set(path.relative_to(base).parts)
            if {"tests", "migrations"} & parts:
                continue
            if "services" in path.stem or "services" in parts:
                yield path


def test_every_service_that_takes_an_actor_uses_it():
    # Before: 14 services took `actor` and dropped it, so nobody knew who changed a setting or a skill.
    unused = []
    for path in _services_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names = [a.arg for a in node.args.args + node.args.kwonlyargs]
                if "actor" in names and not any(
                    isinstance(n, ast.Name) and n.id == "actor" for n in ast.walk(node) if n is not node
                ):
                    unused.append(f"{path.name}:{node.name}")
    assert unused == []


def _last(action):
    return AuditEvent.objects.filter(action=action).order_by("-id").first()


def test_settings_skills_and_calendar_changes_are_recorded_with_their_actor(team, supervisor, manager):
    from datetime import date, time

    from compensation import services as compensation
    from people.services import members
    from roster import team_services
    from roster.models import ShiftType

    boss = supervisor.profile
    team_services.update_roster_settings(team, actor=boss, values={"publish_days_ahead": 10})
    shift = team_services.save_shift_type(
        team,
        actor=boss,
        shift_type=None,
        values={"key": "day", "name": "白班", "start": time(9), "end": time(18), "headcount": 2},
        skills=[],
    )
    team_services.set_calendar_override(team, actor=boss, day=date(2027, 3, 8), kind="duty", note="大促")
    skill = members.add_skill(actor=manager.profile, name="跨境退货")
    members.rename_skill(skill, actor=manager.profile, name="跨境退换货")
    members.remove_skill(skill, actor=manager.profile)
    compensation.update_policy(team=team, actor=boss, values={"expiry_months": 9})
    team_services.remove_shift_type(ShiftType.objects.get(pk=shift.pk), actor=boss)
    recorded = {
        action: (event.actor_name, event.before, event.after)
        for action in (
            "roster.settings",
            "roster.shift_type",
            "roster.calendar_override",
            "people.skill_add",
            "people.skill_rename",
            "people.skill_remove",
            "compensation.policy",
            "roster.shift_type_remove",
        )
        for event in [_last(action)]
    }
    assert recorded["roster.settings"][0] == "王芳"
    assert recorded["roster.settings"][2] == {"publish_days_ahead": 10}
    assert recorded["roster.shift_type"][1] is None and recorded["roster.shift_type"][2]["name"] == "白班"
    assert recorded["roster.calendar_override"][2] == {"kind": "duty", "note": "大促"}
    assert recorded["people.skill_rename"] == ("刘强", {"name": "跨境退货"}, {"name": "跨境退换货"})
    assert recorded["people.skill_remove"][0] == "刘强"
    assert recorded["compensation.policy"][0] == "王芳" and recorded["compensation.policy"][2] == {"expiry_months": 9}
    assert recorded["roster.shift_type_remove"][1]["name"] == "白班"
    assert _last("roster.calendar_override").refs[:1] == ["day:2027-03-08"]


def test_a_published_revision_is_in_the_history_of_each_person_and_day_it_changed(team, supervisor):
    from roster import services
    from roster.models import VersionKind
    from testdata import WEEKENDS, fill_draft, laid_out_month, make_agents

    make_agents(team, 6)
    roster = laid_out_month(team)
    fill_draft(roster)
    version = services.publish_roster(
        roster, actor=supervisor.profile, expected_revision=None, accept_warnings=True, accept_provisional=True
    )
    held = version.assignments.filter(date=WEEKENDS[0]).select_related("profile").first()
    # Free that weekend: a Sunday shift too would leave them no rest day that week (R-LAW-1).
    free = next(
        p
        for p in team.members.filter(role=Role.AGENT)
        if not version.assignments.filter(profile=p, date__in=WEEKENDS[:2]).exists()
    )
    services.revise_published(
        roster,
        [services.Replacement(held.duty_shift_id, held.profile_id, free.pk)],
        actor=supervisor.profile,
        kind=VersionKind.REVISION,
        reason="病假替班",
    )
    published = _last("roster.publish")
    revision = _last("roster.revision")
    assert (published.actor_name, published.after["number"]) == ("王芳", 1)
    assert (revision.actor_name, revision.reason, revision.after["number"]) == ("王芳", "病假替班", 2)
    assert len(revision.after["removed"]) == 1 and held.profile.name in revision.after["removed"][0]
    assert len(revision.after["added"]) == 1 and free.name in revision.after["added"][0]
    for key in (rules.person(held.profile_id), rules.person(free), rules.day(WEEKENDS[0]), rules.roster(roster)):
        assert revision.refs.count(key) >= 1, key


# --- reading it ---------------------------------------------------------------------------------------------------


def _events(team, people, n):
    for i in range(n):
        record(
            "audit.note",
            actor=people[i % len(people)],
            team=team,
            label=f"note {i}",
            refs=[rules.person(people[i % len(people)]), rules.day(__import__("datetime").date(2027, 3, 6))],
        )


def test_supervisor_sees_a_persons_history_in_their_team_only(client, team, other_team, agent, supervisor, outsider):
    record("audit.note", actor=supervisor.profile, team=team, label="东组的", refs=[rules.person(agent.profile)])
    record("audit.note", actor=outsider.profile, team=other_team, label="南组的", refs=[rules.person(agent.profile)])
    client.force_login(supervisor)
    page = client.get(f"/history/team-east/?person={agent.profile.pk}").content.decode()
    assert "东组的" in page and "南组的" not in page
    client.force_login(outsider)
    assert client.get(f"/history/team-east/?person={agent.profile.pk}").status_code == 404


def test_agent_sees_what_concerns_them_and_nothing_else(client, team, agent, lead, supervisor):
    record("audit.note", actor=supervisor.profile, team=team, label="关于张伟", refs=[rules.person(agent.profile)])
    record("audit.note", actor=supervisor.profile, team=team, label="关于李娜", refs=[rules.person(lead.profile)])
    record("audit.note", actor=agent.profile, team=team, label="张伟做的")
    client.force_login(agent)
    page = client.get("/history/").content.decode()
    assert "关于张伟" in page and "张伟做的" in page and "关于李娜" not in page
    assert client.get("/history/team-east/").status_code == 403
    assert client.get("/history/search/").status_code == 403


def test_manager_searches_every_team_by_text_action_and_team(client, team, other_team, supervisor, outsider, manager):
    record("audit.note", actor=supervisor.profile, team=team, label="东组 排班", reason="大促")
    record("logbook.reveal", actor=outsider.profile, team=other_team, label="南组 记录", reason="回访客户")
    client.force_login(manager)
    everything = client.get("/history/search/").content.decode()
    assert "东组 排班" in everything and "南组 记录" in everything
    found = client.get("/history/search/", {"text": "回访"}).content.decode()
    assert "南组 记录" in found and "东组 排班" not in found
    by_action = client.get("/history/search/", {"action": "logbook.reveal"}).content.decode()
    assert "南组 记录" in by_action and "东组 排班" not in by_action
    by_team = client.get("/history/search/", {"team": team.pk}).content.decode()
    assert "东组 排班" in by_team and "南组 记录" not in by_team
    refused = client.get("/history/search/", {"since": "2027-03-02", "until": "2027-03-01"})
    assert refused.status_code == 200 and 'data-testid="history-error"' in refused.content.decode()


@pytest.mark.parametrize("url", ["/history/", "/history/team-east/?day=2027-03-06", "/history/search/"])
def test_history_pages_read_a_fixed_number_of_queries(
    client, team, agent, lead, supervisor, manager, url, django_assert_max_num_queries
):
    people = [agent.profile, lead.profile, supervisor.profile, manager.profile]
    user = {"/history/": agent, "/history/search/": manager}.get(url, supervisor)
    if url == "/history/":
        people = [agent.profile]  # what concerns the agent
    client.force_login(user)
    _events(team, people, 3)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    _events(team, people, 120)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('data-testid="history-row"') == 50
    assert "page=2" in page


def test_a_bad_filter_value_is_a_message_not_an_error(client, team, supervisor):
    client.force_login(supervisor)
    response = client.get("/history/team-east/", {"person": "abc", "day": "2027-02-30", "page": "-1"})
    assert response.status_code == 200


def test_notice_settings_are_recorded_without_the_robots_token_or_secret(team, supervisor):
    from dutydesk.notifications import services as notifications

    notifications.update_team_settings(
        team=team,
        editor=supervisor.profile,
        reminder_leads=[60],
        signin_minutes=15,
        webhook_platform="wecom",
        webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-KEY",
        webhook_secret="s3cret",
    )
    event = _last("notifications.team_settings")
    assert event.actor_name == "王芳"
    assert event.after["webhook_url"] == "qyapi.weixin.qq.com" and event.after["webhook_secret"] is True
    assert "SECRET-KEY" not in str(event.after) and "s3cret" not in str(event.after)
