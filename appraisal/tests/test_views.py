"""Appraisal pages: who sees what (R-APP-6), the month table's query count, import, evaluate, finalise, export."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from appraisal import services
from appraisal.models import AgentScore, DailyEvaluation, MonthlyAppraisal, ScoreResponse, SurveyResult
from appraisal.tests.factories import survey
from dutydesk.models import Role
from testdata import duty_shift, evaluate, make_person, on_duty, publish, weekends

pytestmark = pytest.mark.django_db
OCT = date(2026, 10, 1)


def month_url(team, month=OCT):
    return reverse("appraisal:month", kwargs={"team": team.slug, "month": month})


@pytest.fixture
def computed(team, agent, supervisor):
    """agent and a colleague on duty in October, evaluated and surveyed, computed."""
    colleague = make_person(Role.AGENT, team, username="colleague", name="赵敏").profile
    shifts = on_duty(team, [agent.profile, colleague], weekends(OCT, 2))
    evaluate(shifts[0], agent.profile, supervisor.profile, (4, 4, 4, 4, 4), comment="回复及时")
    evaluate(shifts[0], colleague, supervisor.profile, (5, 5, 5, 5, 5))
    survey(team, agent.profile, shifts[0].date, 5)
    survey(team, colleague, shifts[0].date, 5)
    return services.compute_appraisal(team=team, month=OCT)


def make_team_month(team, supervisor, count):
    people = [make_person(Role.AGENT, team, username=f"bulk{team.pk}-{n}").profile for n in range(count)]
    shifts = on_duty(team, people, weekends(OCT, 1))
    for profile in people:
        evaluate(shifts[0], profile, supervisor.profile)
    return services.compute_appraisal(team=team, month=OCT)


@pytest.mark.parametrize("count", [3, 120])
def test_month_page_queries_do_not_grow_with_agents(
    client, team, supervisor, manager, count, django_assert_max_num_queries
):
    make_team_month(team, supervisor, count)
    client.force_login(manager)
    client.get(month_url(team))  # the first visit remembers the team in the session (a write, once)
    # Issue 14: at most 10 for the whole request, whatever the team, the page, the sort or the filter.
    for query in ("", "?page=2", "?sort=composite&dir=desc&band=none", "?q=bulk&sort=agent"):
        with django_assert_max_num_queries(10):
            response = client.get(month_url(team) + query)
        assert response.status_code == 200
    response = client.get(month_url(team))
    assert (len(response.context["scores"]), response.context["page"].paginator.count) == (min(count, 50), count)


def test_band_distribution_is_the_same_read_with_the_versions_or_on_its_own(
    client, team, other_team, supervisor, manager
):
    # The month page reads the distribution with the month's versions; a team without a version of the month reads
    # it on its own: both count the rated scores of every current version the viewer sees, per team and band.
    make_team_month(team, supervisor, 4)
    expected = {}
    for band in AgentScore.objects.filter(appraisal__team=team, status="rated").values_list("band", flat=True):
        expected[band] = expected.get(band, 0) + 1
    client.force_login(manager)
    with_versions = client.get(month_url(team)).context["distribution"]
    on_its_own = client.get(month_url(other_team)).context["distribution"]
    assert with_versions == on_its_own == [{"team": team.name, "counts": expected}]
    assert sum(expected.values()) == 4


def test_manager_sees_table_sorted_and_excellent_agent(client, team, computed, manager):
    client.force_login(manager)
    response = client.get(month_url(team) + "?sort=composite&dir=desc")
    rows = [(s.profile.name, s.composite, s.band) for s in response.context["scores"]]
    # 张伟: (30*100 + 15*80 + 10*80 + 10*100) / 65 = 92.3: excellent, but only the best is the month's excellent agent.
    assert rows == [("赵敏", 100, "excellent"), ("张伟", D("92.3"), "excellent")]
    assert [s.is_excellent_agent for s in response.context["scores"]] == [True, False]
    html = response.content.decode()
    assert 'data-testid="finalise"' in html and "赵敏" in html
    assert html.count('data-testid="score-row"') == 2 and "★ 优秀值班人员" in html


def test_month_table_pages_sort_and_filter_in_the_database_and_links_keep_them(client, team, supervisor, manager):
    # 70 agents rated top marks and surveyed satisfied (excellent, like 赵敏 above), 50 rated low and unhappy.
    best = [make_person(Role.AGENT, team, username=f"best{n}", name=f"优{n:03d}").profile for n in range(70)]
    low = [make_person(Role.AGENT, team, username=f"low{n}", name=f"差{n:03d}").profile for n in range(50)]
    shifts = on_duty(team, best + low, weekends(OCT, 1))
    for profile in best:
        evaluate(shifts[0], profile, supervisor.profile, (5, 5, 5, 5, 5))
        survey(team, profile, shifts[0].date, 5)
    for profile in low:
        evaluate(shifts[0], profile, supervisor.profile, (1, 1, 1, 1, 1))
        survey(team, profile, shifts[0].date, 1)
    services.compute_appraisal(team=team, month=OCT)
    client.force_login(manager)
    best_names = sorted(p.name for p in best)

    first = client.get(month_url(team) + "?sort=agent&band=excellent")
    assert [s.profile.name for s in first.context["scores"]] == best_names[:50]
    assert first.context["page"].paginator.count == 70
    html = first.content.decode()
    # The next page keeps the sort and the filter; a sort link keeps the filter and starts again at page 1.
    assert 'href="?sort=agent&amp;band=excellent&amp;page=2" data-testid="page-next"' in html
    assert 'href="?sort=composite&amp;band=excellent" data-testid="sort-composite"' in html
    assert "第 1 页，共 2 页" in html
    second = client.get(month_url(team) + "?sort=agent&band=excellent&page=2")
    assert [s.profile.name for s in second.context["scores"]] == best_names[50:]
    assert [s.profile.name for s in client.get(month_url(team) + "?q=差04").context["scores"]] == [
        f"差{n:03d}" for n in range(40, 50)
    ]
    nobody = client.get(month_url(team) + "?band=good").content.decode()
    assert 'data-testid="month-empty"' in nobody and "没有符合筛选条件的人" in nobody
    # A sort or band the page does not know is the default, not an error.
    assert client.get(month_url(team) + "?sort=password&band=<script>").status_code == 200


def test_lead_sees_month_without_finalise_and_cannot_compute(client, team, computed, lead):
    client.force_login(lead)
    html = client.get(month_url(team)).content.decode()
    assert 'data-testid="finalise"' not in html and 'data-testid="compute"' not in html
    assert client.post(month_url(team)).status_code == 403


def test_supervisor_computes_with_button(client, team, agent, supervisor):
    on_duty(team, [agent.profile], weekends(OCT, 1))
    client.force_login(supervisor)
    response = client.post(month_url(team), follow=True)
    assert response.redirect_chain[-1][0] == month_url(team)
    assert MonthlyAppraisal.objects.filter(team=team, month=OCT, version=1).count() == 1


def test_agent_cannot_open_team_pages_and_another_persons_score_is_not_found(client, team, computed, agent):
    client.force_login(agent)
    colleague = computed.scores.exclude(profile=agent.profile).get().profile

    def person(profile):
        return reverse("appraisal:person", kwargs={"team": team.slug, "month": OCT, "appraisee": profile.pk})

    assert client.get(month_url(team)).status_code == 403  # a team page, refused by role: it says nothing
    # R-APP-6: an agent sees their own month; another person's answers 404 as every object one may not see.
    assert client.get(person(colleague)).status_code == 404
    own = client.get(person(agent.profile))
    assert (own.status_code, own.context["score"].profile) == (200, agent.profile)


SETTINGS_VALUES = {
    "weight_satisfaction": 50,
    "weight_on_time": 0,
    "weight_accuracy": 0,
    "weight_attitude": 50,
    "weight_evaluation": 0,
    "weight_discipline": 0,
    "satisfaction_excellent": 95,
    "satisfaction_good": 85,
    "on_time_excellent": 95,
    "on_time_good": 85,
    "composite_excellent": 90,
    "composite_good": 80,
    "composite_pass": 60,
    "reward_after_months": 3,
    "review_after_months": 3,
    "poor_month_deduction": 10,
}


# R-APP-6, issue #13 point 10, stated here as a table (not derived from the permissions table it checks): who
# opens the appraisal settings, who changes them, who opens the survey import.
@pytest.mark.parametrize(
    "who, read_settings, change_settings, surveys",
    [
        ("agent", 403, 403, 403),
        ("lead", 403, 403, 200),
        ("supervisor", 200, 302, 200),
        ("manager", 200, 403, 200),
    ],
)
def test_appraisal_settings_and_survey_import_by_role(
    client, team, people, who, read_settings, change_settings, surveys
):
    client.force_login(people[who])
    url = reverse("appraisal:settings", kwargs={"team": team.slug})
    assert client.get(url).status_code == read_settings
    assert client.post(url, SETTINGS_VALUES).status_code == change_settings
    assert client.get(reverse("appraisal:surveys", kwargs={"team": team.slug})).status_code == surveys


def test_manager_reads_every_teams_thresholds_without_a_save_button(client, team, other_team, manager):
    client.force_login(manager)
    for each in (team, other_team):
        html = client.get(reverse("appraisal:settings", kwargs={"team": each.slug})).content.decode()
        assert 'data-testid="settings-read-only"' in html and 'data-testid="save-settings"' not in html
        assert 'name="composite_excellent" value="90"' in html and "disabled" in html
    home = client.get(reverse("appraisal:team", kwargs={"team": team.slug})).content.decode()
    assert 'data-testid="settings-link"' in home and 'data-testid="surveys-link"' in home


def test_manager_enters_a_survey_result(client, team, agent, manager):
    on_duty(team, [agent.profile], [date(2026, 10, 3)])
    client.force_login(manager)
    client.post(
        reverse("appraisal:surveys", kwargs={"team": team.slug}),
        {
            "step": "manual",
            "profile": agent.profile.pk,
            "date": "2026-10-03",
            "scale": "five",
            "score": 4,
            "reference": "回访-7",
        },
    )
    assert list(SurveyResult.objects.values_list("profile", "score", "entered_by")) == [
        (agent.profile.pk, 4, manager.profile.pk)
    ]


def test_outsider_gets_404_for_another_teams_month(client, team, computed, outsider):
    client.force_login(outsider)
    assert client.get(month_url(team)).status_code == 404
    finalise = reverse("appraisal:finalise", kwargs={"appraisal": computed.pk})
    assert client.post(finalise).status_code == 403  # a supervisor never finalises


def test_agent_sees_only_own_scores(client, team, computed, agent):
    client.force_login(agent)
    response = client.get(reverse("appraisal:mine-month", kwargs={"month": OCT}))
    assert response.context["score"].profile == agent.profile
    html = response.content.decode()
    assert "回复及时" in html and "赵敏" not in html  # the colleague is not excellent-published until finalised


def test_agent_sees_published_excellent_agent_after_finalising(client, team, computed, agent, manager):
    services.finalise_appraisal(computed, manager=manager.profile)
    client.force_login(agent)
    html = client.get(reverse("appraisal:mine")).content.decode()
    assert 'data-testid="published-excellent"' in html and "2026-10: 赵敏" in html


def test_agent_disputes_and_supervisor_answers(client, team, computed, agent, supervisor):
    client.force_login(agent)
    client.post(reverse("appraisal:respond", kwargs={"month": OCT}), {"kind": "disputed", "comment": "投诉已解决"})
    response = ScoreResponse.objects.get()
    assert (response.kind, response.comment, response.score.profile) == ("disputed", "投诉已解决", agent.profile)
    client.force_login(supervisor)
    client.post(reverse("appraisal:answer", kwargs={"dispute": response.pk}), {"answer": "已复核，维持原评"})
    response.refresh_from_db()
    assert (response.answer, response.answered_by) == ("已复核，维持原评", supervisor.profile)


def test_manager_finalises_and_exports(client, team, computed, manager):
    client.force_login(manager)
    client.post(reverse("appraisal:finalise", kwargs={"appraisal": computed.pk}))
    computed.refresh_from_db()
    assert computed.status == "finalised"
    # The month page names who finalised it (read with the versions, appraisal.queries.month_versions).
    status = client.get(month_url(team)).content.decode()
    assert f"定稿人 {manager.profile.name}" in status
    response = client.get(reverse("appraisal:export", kwargs={"team": team.slug, "month": OCT}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]][:3] == ["华东客服组 2026-10", "已定稿", "第 1 版"]  # in words, not v1
    rows = [row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] is not None]
    assert [(r[0], r[1], r[9]) for r in rows] == [(1, "赵敏", 100), (2, "张伟", 92.3)]


def test_drill_down_shows_evaluations_surveys_and_logbook_inputs(client, team, computed, supervisor, agent):
    client.force_login(supervisor)
    url = reverse("appraisal:person", kwargs={"team": team.slug, "month": OCT, "appraisee": agent.profile.pk})
    response = client.get(url)
    assert [e.comment for e in response.context["evaluations"]] == ["回复及时"]
    assert [s.score for s in response.context["surveys"]] == [5]
    assert [row["name"] for row in response.context["metric_rows"]][:2] == ["satisfaction", "on_time"]
    assert len(response.context["trend"]) == 12 and response.context["trend"][-1]["composite"] == 92.3


def test_evaluation_queue_and_form_save(client, team, agent, supervisor):
    shifts = on_duty(team, [agent.profile], weekends(OCT, 2))
    client.force_login(supervisor)
    queue = client.get(reverse("appraisal:evaluations", kwargs={"team": team.slug}))
    assert [(a.profile, a.date) for a in queue.context["page"]] == [
        (agent.profile, shifts[1].date),
        (agent.profile, shifts[0].date),
    ]
    url = reverse(
        "appraisal:evaluate", kwargs={"team": team.slug, "eval_shift": shifts[0].pk, "appraisee": agent.profile.pk}
    )
    assert "白班" in client.get(url).content.decode()
    client.post(url, {"inquiry": 5, "complaint": 4, "business": 4, "records": 3, "attitude": 5, "comment": "认真"})
    assert list(DailyEvaluation.objects.values_list("inquiry", "records", "comment", "evaluator")) == [
        (5, 3, "认真", supervisor.profile.pk)
    ]


def test_survey_upload_bad_row_previewed_then_clean_file_imported(client, team, agent, supervisor):
    on_duty(team, [agent.profile], [date(2026, 10, 3)])
    client.force_login(supervisor)
    url = reverse("appraisal:surveys", kwargs={"team": team.slug})
    bad = SimpleUploadedFile("s.csv", "agent,date,score\nagent,2026-10-03,5\nghost,2026-10-03,4\n".encode())
    response = client.post(url, {"step": "preview", "file": bad, "scale": "five"})
    preview = response.context["preview"]
    assert ([e.line for e in preview.errors], response.context["confirm_form"], SurveyResult.objects.count()) == (
        [3],
        None,
        0,
    )
    good = SimpleUploadedFile("s.csv", "agent,date,score\nagent,2026-10-03,5\n".encode())
    response = client.post(url, {"step": "preview", "file": good, "scale": "five"})
    confirm = response.context["confirm_form"].initial
    client.post(url, {"step": "import", **confirm})
    client.post(url, {"step": "import", **confirm})  # a second click adds nothing
    assert list(SurveyResult.objects.values_list("profile", "score", "satisfied")) == [(agent.profile.pk, 5, True)]


def test_manual_survey_entry(client, team, agent, supervisor):
    on_duty(team, [agent.profile], [date(2026, 10, 3)])
    client.force_login(supervisor)
    client.post(
        reverse("appraisal:surveys", kwargs={"team": team.slug}),
        {
            "step": "manual",
            "profile": agent.profile.pk,
            "date": "2026-10-03",
            "scale": "binary",
            "score": 0,
            "reference": "电话回访-12",
        },
    )
    assert list(SurveyResult.objects.values_list("scale", "satisfied", "key")) == [("binary", False, "ref:电话回访-12")]


def test_correction_form_creates_version_two(client, team, computed, manager):
    services.finalise_appraisal(computed, manager=manager.profile)
    client.force_login(manager)
    client.post(reverse("appraisal:correct", kwargs={"appraisal": computed.pk}), {"reason": "补录满意度"})
    assert list(MonthlyAppraisal.objects.order_by("version").values_list("version", "is_current", "reason")) == [
        (1, False, ""),
        (2, True, "补录满意度"),
    ]


def test_evaluate_refuses_shift_of_another_team(client, team, other_team, agent, supervisor):
    foreign = duty_shift(other_team, date(2026, 10, 3))
    publish(other_team, [], month=OCT)
    client.force_login(supervisor)
    url = reverse(
        "appraisal:evaluate", kwargs={"team": team.slug, "eval_shift": foreign.pk, "appraisee": agent.profile.pk}
    )
    assert client.get(url).status_code == 404


def test_supervisor_sets_team_weights_used_by_next_computation(client, team, computed, supervisor):
    client.force_login(supervisor)
    url = reverse("appraisal:settings", kwargs={"team": team.slug})
    values = {
        "weight_satisfaction": 50,
        "weight_on_time": 0,
        "weight_accuracy": 0,
        "weight_attitude": 50,
        "weight_evaluation": 0,
        "weight_discipline": 0,
        "satisfaction_excellent": 95,
        "satisfaction_good": 85,
        "on_time_excellent": 95,
        "on_time_good": 85,
        "composite_excellent": 90,
        "composite_good": 80,
        "composite_pass": 60,
        "reward_after_months": 3,
        "review_after_months": 3,
        "poor_month_deduction": 10,
    }
    refused = client.post(url, {**values, "weight_discipline": 5})
    assert refused.status_code == 200 and refused.context["form"].errors
    client.post(url, values)
    appraisal = services.compute_appraisal(team=team, month=OCT)
    # 张伟: (50*100 + 50*80) / 100 = 90.0
    assert (
        appraisal.settings["weights"]["attitude"],
        appraisal.scores.get(profile__user__username="agent").composite,
    ) == (50, D("90.0"))


def test_home_shows_waiting_month_to_agent_and_dispute_to_supervisor(client, team, computed, agent, supervisor):
    client.force_login(agent)
    assert 'data-testid="home-appraisal"' in client.get("/").content.decode()
    services.respond_to_score(
        computed.scores.get(profile=agent.profile), agent=agent.profile, kind="disputed", comment="有误"
    )
    assert 'data-testid="home-appraisal"' not in client.get("/").content.decode()
    client.force_login(supervisor)
    assert "张伟 · 2026-10" in client.get("/").content.decode()


def test_month_page_reads_its_length_with_its_rows_and_answers_odd_page_numbers_as_before(
    client, team, supervisor, manager
):
    """Issue #22 item 8: the table's length is a window count read with the page's rows (no COUNT of its own);
    a page past the end is the last page, a page that is not a number the first, as Django's paginator does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_team_month(team, supervisor, 120)
    client.force_login(manager)
    client.get(month_url(team))
    with CaptureQueriesContext(connection) as queries:
        second = client.get(month_url(team) + "?page=2")
    assert not [q for q in queries if 'COUNT(*) AS "__count" FROM "appraisal_agentscore"' in q["sql"]]
    assert (second.context["page"].number, second.context["page"].paginator.count) == (2, 120)
    assert len(second.context["scores"]) == 50
    for asked, number, shown in (("99", 3, 20), ("99999999999999999999", 3, 20), ("x", 1, 50), ("-1", 3, 20)):
        page = client.get(month_url(team) + f"?page={asked}").context["page"]
        assert (page.number, len(page.object_list), page.paginator.count) == (number, shown, 120), asked


def _orm_table(appraisal, sort, descending, band, name):
    """The month table as the ORM reads it: what the page's written-out statement must give, row for row."""
    from django.db.models import F

    from appraisal.queries import SORTABLE

    scores = appraisal.scores.select_related("profile__user", "response")
    if band == "none":
        scores = scores.filter(band="")
    elif band:
        scores = scores.filter(band=band)
    if name:
        scores = scores.filter(profile__name__icontains=name)
    field = F(SORTABLE[sort])
    scores = scores.order_by(
        field.desc(nulls_last=True) if descending else field.asc(nulls_last=True), "profile__name", "pk"
    )
    return [
        (
            s.pk,
            s.profile_id,
            s.profile.name,
            s.profile.user.username,
            s.rank,
            s.composite,
            s.band,
            s.status,
            s.on_time,
            s.attitude_band,
            s.is_excellent_agent,
            s.response.kind if hasattr(s, "response") else "",
            hasattr(s, "response") and s.response.is_open_dispute,
        )
        for s in scores
    ]


def test_the_month_tables_statement_reads_the_rows_and_order_the_orm_reads(team, supervisor, agent, lead):
    """Issue #22 item 8: the month page reads its rows in one written-out statement (appraisal.queries._TABLE_SQL).
    For every sort, both directions, the band filters and name filters (LIKE's own characters among them), page by
    page, it gives the rows, order and length the ORM gives."""
    from appraisal.queries import SORTABLE, month_page

    people = [make_person(Role.AGENT, team, username=f"t{n}", name=f"客服{n % 4}_{n}%").profile for n in range(9)]
    shifts = on_duty(team, people, weekends(OCT, 1))
    for n, profile in enumerate(people):
        evaluate(shifts[0], profile, supervisor.profile, (5 - n % 3, 4, 3 + n % 3, 5 - n % 2, 2 + n % 4))
    appraisal = services.compute_appraisal(team=team, month=OCT)  # agent and lead: no duty, not rated
    scores = {s.profile_id: s for s in appraisal.scores.all()}
    services.respond_to_score(scores[people[0].pk], agent=people[0], kind="disputed", comment="有误")
    services.respond_to_score(scores[people[1].pk], agent=people[1], kind="disputed", comment="有误")
    services.answer_dispute(scores[people[1].pk].response, answerer=supervisor.profile, answer="已核对")
    services.respond_to_score(scores[people[2].pk], agent=people[2], kind="acknowledged")
    assert {s.band for s in appraisal.scores.all()} >= {"", "excellent"}
    compared = 0
    for sort in SORTABLE:
        for descending in (False, True):
            for band, name in (("", ""), ("none", ""), ("excellent", ""), ("", "客服1"), ("", "_1"), ("", "%")):
                expected = _orm_table(appraisal, sort, descending, band, name)
                table = {"sort": sort, "descending": descending, "band": band, "name": name}
                read, number = [], 1
                while True:
                    page = month_page(appraisal, number, per_page=4, **table)
                    if page.number != number:
                        break  # past the end: the last page again
                    assert page.paginator.count == len(expected), table
                    read += page.object_list
                    number += 1
                got = [
                    (
                        r.id,
                        r.profile_id,
                        r.profile.name,
                        r.profile.username,
                        r.rank,
                        r.composite,
                        r.band,
                        r.status,
                        r.on_time,
                        r.attitude_band,
                        r.is_excellent_agent,
                        r.response_kind,
                        r.open_dispute,
                    )
                    for r in read
                ]
                assert got == expected, table
                compared += len(got)
    assert compared > 200
    # The name filter's % and _ are letters, not LIKE's wildcards: "_1" finds names with "_1" in them only.
    assert {r[2] for r in _orm_table(appraisal, "rank", False, "", "_1")} == {"客服1_1%"}


def test_the_answer_control_shows_to_whom_the_service_lets_answer(client, team, computed, agent, lead, overseer):
    """Issue #28 item 2: the person page asks appraisal.permissions.may_answer_dispute, as answer_dispute does."""
    services.respond_to_score(
        computed.scores.get(profile=agent.profile), agent=agent.profile, kind="disputed", comment="有误"
    )
    url = reverse("appraisal:person", kwargs={"team": team.slug, "month": OCT, "appraisee": agent.profile.pk})
    client.force_login(lead)
    assert 'data-testid="answer-dispute"' not in client.get(url).content.decode()
    client.force_login(overseer)
    assert 'data-testid="answer-dispute"' in client.get(url).content.decode()
