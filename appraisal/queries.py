"""Reads of the appraisal, with their joins done once here."""

import json
from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from appraisal.models import (
    AgentScore,
    AppraisalStatus,
    DailyEvaluation,
    MonthlyAppraisal,
    ResponseKind,
    ScoreResponse,
    ScoreStatus,
    SurveyImport,
    SurveyResult,
    TeamAppraisalSettings,
)
from appraisal.rules import AgentInputs, AppraisalSettings
from dutydesk.models import Profile, Role
from dutydesk.months import month_end, months_back, next_month, previous_month
from logbook.queries import monthly_inputs
from roster.models import AssignmentRole
from roster.queries import published_assignments

DUTY_ROLES = [Role.AGENT, Role.LEAD]
SORTABLE = {
    "agent": "profile__name",
    "satisfaction": "satisfaction",
    "on_time": "on_time",
    "accuracy": "accuracy",
    "attitude": "attitude",
    "evaluation": "evaluation",
    "discipline": "discipline",
    "composite": "composite",
    "rank": "rank",
}


def settings_for(team) -> AppraisalSettings:
    row = TeamAppraisalSettings.objects.filter(team=team).first()
    if row is None:
        return AppraisalSettings()
    return AppraisalSettings(
        weights={name: getattr(row, f"weight_{name}") for name in AppraisalSettings().weights},
        **{name: getattr(row, name) for name in AppraisalSettings().as_dict() if name != "weights"},
    )


def duty_assignments(team, start: date, end: date):
    """Published assignments that count as duty (R-ROSTER-6: shadowing is training, not duty to appraise)."""
    return (
        published_assignments()
        .filter(duty_shift__team=team, date__range=(start, end))
        .exclude(role=AssignmentRole.SHADOW)
    )


def month_inputs(team, month: date) -> tuple[list[AgentInputs], dict[int, tuple[int, int]]]:
    """Everything the month's computation needs, as plain data, in a fixed number of queries."""
    start, end = month, month_end(month)
    duty = dict(
        duty_assignments(team, start, end).values("profile").annotate(n=Count("id")).values_list("profile", "n")
    )
    ids = sorted(set(Profile.objects.filter(team=team, role__in=DUTY_ROLES).values_list("id", flat=True)) | set(duty))
    evaluations = defaultdict(list)
    for row in (
        DailyEvaluation.objects.filter(duty_shift__team=team, duty_shift__date__range=(start, end), profile_id__in=ids)
        .values_list("profile_id", "inquiry", "complaint", "business", "records", "attitude")
        .order_by("id")
    ):
        evaluations[row[0]].append(tuple(row[1:]))
    surveys = {
        row["profile_id"]: row
        for row in SurveyResult.objects.filter(profile_id__in=ids, date__range=(start, end))
        .values("profile_id")
        .annotate(total=Count("id"), satisfied=Count("id", filter=Q(satisfied=True)))
        .order_by()
    }
    logbook = monthly_inputs(ids, start, end)
    agents = []
    for profile_id in ids:
        survey = surveys.get(profile_id, {"total": 0, "satisfied": 0})
        log = logbook.get(profile_id)
        agents.append(
            AgentInputs(
                profile_id=profile_id,
                duty_shifts=duty.get(profile_id, 0),
                evaluations=tuple(evaluations[profile_id]),
                surveys_total=survey["total"],
                surveys_satisfied=survey["satisfied"],
                promised_replies_due=log.promised_replies_due if log else 0,
                promised_replies_on_time=log.promised_replies_on_time if log else 0,
                accuracy_marks=tuple(log.accuracy_marks) if log else (),
                discipline=dict(log.discipline) if log else {},
            )
        )
    previous = {
        profile_id: (excellent, failing)
        for profile_id, excellent, failing in AgentScore.objects.filter(
            appraisal__is_current=True,
            appraisal__month=previous_month(month),
            profile_id__in=ids,
        ).values_list("profile_id", "excellent_streak", "failing_streak")
    }
    return agents, previous


def current_appraisal(team, month: date) -> MonthlyAppraisal | None:
    return (
        MonthlyAppraisal.objects.filter(team=team, month=month, is_current=True)
        .select_related("finalised_by", "computed_by")
        .first()
    )


def versions_of(team, month: date):
    return MonthlyAppraisal.objects.filter(team=team, month=month).select_related("finalised_by", "computed_by")


def month_versions(team, month: date, *, distribution_of=None) -> list[MonthlyAppraisal]:
    """Every version of the team's month, newest first, in one query; each carries `open_disputes`, the disputes
    of its scores still waiting for the supervisor's answer (the current version's stop finalising), and
    `finalised_by_name` (the month page names who finalised a version, never who computed it). With
    `distribution_of` (teams), each also carries `distribution`, band_distribution of the month over those teams,
    read in the same query: the month page asks the database once for both. Written out: the ORM's statement
    took longer to compile than to run (issue 22 item 8)."""
    distribution, distribution_params = "", ()
    if distribution_of is not None:
        sql, distribution_params = _distribution_sql(month, distribution_of)
        distribution = f", ({sql}) AS band_counts"
    found = list(
        MonthlyAppraisal.objects.raw(
            _VERSIONS_SQL.format(distribution=distribution, **_VERSIONS_TABLES),
            [ResponseKind.DISPUTED, *distribution_params, team.pk, month],
        )
    )
    for version in found:
        if distribution_of is not None:
            counts = version.band_counts
            version.distribution = _distribution(
                json.loads(counts) if isinstance(counts, str) else counts, distribution_of
            )
    return found


_VERSIONS_SQL = """
SELECT a.*, p.name AS finalised_by_name, (
    SELECT count(*) FROM {score} s JOIN {response} r ON r.score_id = s.id
    WHERE s.appraisal_id = a.id AND r.kind = %s AND r.answered_at IS NULL
) AS open_disputes{distribution}
FROM {appraisal} a LEFT JOIN {profile} p ON p.id = a.finalised_by_id
WHERE a.team_id = %s AND a.month = %s
ORDER BY a.version DESC"""
_VERSIONS_TABLES = {
    "appraisal": MonthlyAppraisal._meta.db_table,
    "score": AgentScore._meta.db_table,
    "response": ScoreResponse._meta.db_table,
    "profile": Profile._meta.db_table,
}


BAND_FILTERS = ("excellent", "good", "average", "poor", "none")  # "none": no composite band (not rated)


class _CountedPaginator(Paginator):
    """A paginator told its count (read with the page's rows), so it asks the database no COUNT of its own."""

    def __init__(self, per_page: int, *, count: int):
        super().__init__((), per_page)
        self._known = count

    @property
    def count(self) -> int:
        return self._known


# Beyond this a page number is nonsense (a probe): Django's paginator answers it with the last page.
_FAR_PAGE = 100_000


@dataclass(frozen=True, slots=True)
class TablePerson:
    name: str
    username: str


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of the month table, what the page shows of a score (appraisal.table): read as one tuple. As model
    instances (score, person, user, response) a page's 200 objects and its compiled query were a third of the
    manager's month page (issue 22 item 8)."""

    id: int
    profile_id: int
    status: str
    rank: int | None
    composite: Decimal | None
    band: str
    is_excellent_agent: bool
    excellent_streak: int
    failing_streak: int
    reward_flag: bool
    review_flag: bool
    deduction: int
    satisfaction: Decimal | None
    on_time: Decimal | None
    accuracy: Decimal | None
    attitude: Decimal | None
    evaluation: Decimal | None
    discipline: Decimal | None
    satisfaction_band: str
    on_time_band: str
    accuracy_band: str
    attitude_band: str
    evaluation_band: str
    discipline_band: str
    profile: TablePerson
    response_kind: str  # "" without a response
    open_dispute: bool  # disputed and not answered yet (ScoreResponse.is_open_dispute)


_SCORE_COLUMNS = [f.name for f in fields(TableRow)][2:-3]  # after id and profile_id, before the person
# SORTABLE's fields as columns of the statement below.
_SORT_COLUMNS = {key: "p.name" if field == "profile__name" else f"s.{field}" for key, field in SORTABLE.items()}

# The month's table, filtered and sorted in the database so that a page of it is read, not the month: by composite
# band (BAND_FILTERS), by a part of the person's name (as Django's icontains compares), sorted by SORTABLE, people
# without a figure (no duty, not rated) last whichever way the column is sorted; with the filtered table's length
# as a window count.
_TABLE_SQL = """
SELECT s.id, s.profile_id, {columns}, p.name, u.username, r.kind, r.answered_at, count(*) OVER ()
FROM {score} s
JOIN {profile} p ON p.id = s.profile_id
JOIN {user} u ON u.id = p.user_id
LEFT JOIN {response} r ON r.score_id = s.id
WHERE s.appraisal_id = %s{filters}
ORDER BY {sort} {direction} NULLS LAST, p.name ASC, s.id ASC
LIMIT %s OFFSET %s"""


def _table_rows(
    appraisal: MonthlyAppraisal, offset: int, limit: int, *, sort: str, descending: bool, band: str, name: str
) -> tuple[list[TableRow], int]:
    """A slice of the month table (filtered and sorted) and the filtered table's length (0 when the
    slice is empty)."""
    filters, params = "", [appraisal.pk]
    if band == "none":
        filters += " AND s.band = ''"
    elif band in BAND_FILTERS:
        filters, params = filters + " AND s.band = %s", [*params, band]
    if name:
        filters += " AND UPPER(p.name::text) LIKE UPPER(%s)"
        params.append(f"%{connection.ops.prep_for_like_query(name)}%")
    sql = _TABLE_SQL.format(
        columns=", ".join(f"s.{column}" for column in _SCORE_COLUMNS),
        score=AgentScore._meta.db_table,
        profile=Profile._meta.db_table,
        user=get_user_model()._meta.db_table,
        response=ScoreResponse._meta.db_table,
        filters=filters,
        sort=_SORT_COLUMNS.get(sort, "s.rank"),
        direction="DESC" if descending else "ASC",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        found = cursor.fetchall()
    rows = [
        TableRow(
            *row[: 2 + len(_SCORE_COLUMNS)],
            profile=TablePerson(row[-5], row[-4]),
            response_kind=row[-3] or "",
            open_dispute=row[-3] == ResponseKind.DISPUTED and row[-2] is None,
        )
        for row in found
    ]
    return rows, found[0][-1] if found else 0


def month_page(
    appraisal: MonthlyAppraisal,
    number,
    *,
    per_page: int,
    sort: str = "rank",
    descending: bool = False,
    band: str = "",
    name: str = "",
) -> Page:
    """One page of the month table (filtered and sorted, _TABLE_SQL) as TableRows, and the table's length, in one
    query. A page past the end or not a number is answered as Django's `Paginator.get_page` does (the last page,
    the first), with two more queries only then."""
    table = {"sort": sort, "descending": descending, "band": band, "name": name}
    try:
        wanted = int(number or 1)
    except (TypeError, ValueError):
        wanted = 1
    if 1 <= wanted <= _FAR_PAGE:
        rows, length = _table_rows(appraisal, (wanted - 1) * per_page, per_page, **table)
        if rows or wanted == 1:
            return Page(rows, wanted, _CountedPaginator(per_page, count=length))
    length = _table_rows(appraisal, 0, 1, **table)[1]
    if length == 0:
        return Page([], 1, _CountedPaginator(per_page, count=0))
    last = -(-length // per_page)
    rows, length = _table_rows(appraisal, (last - 1) * per_page, per_page, **table)
    return Page(rows, last, _CountedPaginator(per_page, count=length))


def month_scores(appraisal: MonthlyAppraisal, *, sort: str = "rank", descending: bool = False):
    """The month's table: one query whatever the number of people (profile and response joined)."""
    field = F(SORTABLE.get(sort, "rank"))
    # People without a figure (no duty, not rated) go last whichever way the column is sorted.
    expression = field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)
    return list(appraisal.scores.select_related("profile__user", "response").order_by(expression, "profile__name"))


def band_distribution(month: date, teams) -> list[dict]:
    """Per team, how many people fall in each composite band of the month's current version (one query; the
    month page reads it with the month's versions, month_versions)."""
    sql, params = _distribution_sql(month, teams)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT ({sql})", params)
        (rows,) = cursor.fetchone()
    return _distribution(_decoded(rows), teams)


# The rated scores of the month's current versions, counted per team and band: [[team id, band, count], ...].
_DISTRIBUTION_SQL = f"""
SELECT coalesce(jsonb_agg(jsonb_build_array(d.team_id, d.band, d.n)), '[]'::jsonb) FROM (
    SELECT a.team_id, s.band, count(*) AS n
    FROM {AgentScore._meta.db_table} s JOIN {MonthlyAppraisal._meta.db_table} a ON a.id = s.appraisal_id
    WHERE a.month = %s AND a.is_current AND a.team_id = ANY(%s::bigint[]) AND s.status = %s
    GROUP BY a.team_id, s.band
) d"""


def _distribution_sql(month: date, teams) -> tuple[str, tuple]:
    return _DISTRIBUTION_SQL, (month, [team.pk for team in teams], ScoreStatus.RATED)


def _decoded(value):
    """A jsonb value read by a raw statement: text (Django's psycopg setup leaves decoding to JSONField)."""
    return json.loads(value) if isinstance(value, str) else value


def _distribution(rows, teams) -> list[dict]:
    """The counts as the page shows them: per team name (sorted), {band: count}."""
    names = {team.pk: team.name for team in teams}
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for team_id, band, n in rows or ():
        counts[names[team_id]][band] = n
    return [{"team": name, "counts": counts[name]} for name in sorted(counts)]


def trend_of(profile, month: date, count: int = 12) -> list[dict]:
    """A person's composite over `count` months ending with `month` (current versions; None where not rated)."""
    months = months_back(month, count)
    found = {
        row["appraisal__month"]: row
        for row in AgentScore.objects.filter(
            profile=profile,
            appraisal__is_current=True,
            appraisal__month__range=(months[0], month),
        ).values("appraisal__month", "composite", "band", "satisfaction", "on_time")
    }
    return [
        {
            "month": m.strftime("%Y-%m"),
            "composite": _number(found.get(m, {}).get("composite")),
            "satisfaction": _number(found.get(m, {}).get("satisfaction")),
            "on_time": _number(found.get(m, {}).get("on_time")),
            "band": found.get(m, {}).get("band", ""),
        }
        for m in months
    ]


def _number(value):
    return float(value) if value is not None else None


def latest_month_of(profile) -> date | None:
    """The newest month the person has a score in (their team's current version)."""
    return (
        AgentScore.objects.filter(profile=profile, appraisal__is_current=True)
        .order_by("-appraisal__month")
        .values_list("appraisal__month", flat=True)
        .first()
    )


def score_of(profile, appraisal: MonthlyAppraisal | None) -> AgentScore | None:
    if appraisal is None:
        return None
    return appraisal.scores.filter(profile=profile).select_related("response__answered_by").first()


def evaluations_of(profile, start: date, end: date):
    return (
        DailyEvaluation.objects.filter(profile=profile, duty_shift__date__range=(start, end))
        .select_related("duty_shift__shift_type", "evaluator")
        .order_by("duty_shift__starts_at")
    )


def surveys_of(profile, start: date, end: date):
    return (
        SurveyResult.objects.filter(profile=profile, date__range=(start, end))
        .select_related("source")
        .order_by("date", "id")
    )


def logbooks_of(profile, start: date, end: date) -> list:
    """The person's logbooks of the period with their record-accuracy mark: the logbook items behind the on-time
    and accuracy figures (read from the logbook app, which owns them)."""
    from logbook.models import Logbook

    return list(
        Logbook.objects.filter(profile=profile, duty_shift__date__range=(start, end))
        .select_related("duty_shift__shift_type", "team")
        .order_by("duty_shift__starts_at")
    )


def logbook_of(duty_shift, profile):
    from logbook.models import Logbook

    return Logbook.objects.filter(duty_shift=duty_shift, profile=profile).select_related("team").first()


def evaluation_queue(team, today: date):
    """Duty shifts of days up to today held by someone not yet evaluated (R-APP-1), newest first; months already
    finalised are left out, since their evaluations can no longer change."""
    last_final = (
        MonthlyAppraisal.objects.filter(team=team, is_current=True, status=AppraisalStatus.FINALISED)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    since = next_month(last_final) if last_final else date(2000, 1, 1)
    evaluated = DailyEvaluation.objects.filter(duty_shift=OuterRef("duty_shift"), profile=OuterRef("profile"))
    return (
        duty_assignments(team, since, today)
        .annotate(done=Exists(evaluated))
        .filter(done=False)
        .order_by("-date", "duty_shift__starts_at", "profile__name")
    )


def open_disputes(team, month: date):
    return AgentScore.objects.filter(
        appraisal__team=team,
        appraisal__month=month,
        appraisal__is_current=True,
        response__kind=ResponseKind.DISPUTED,
        response__answered_at__isnull=True,
    )


def published_excellent(team, count: int = 6) -> list[MonthlyAppraisal]:
    """The excellent agents of the team's last finalised months (R-APP-4: published once finalised)."""
    return list(
        MonthlyAppraisal.objects.filter(team=team, is_current=True, status=AppraisalStatus.FINALISED).order_by(
            "-month"
        )[:count]
    )


def people_lookup(team) -> dict[str, list[int]]:
    """Lower-case usernames and names of the team's duty staff -> profile ids, for reading survey files."""
    lookup = defaultdict(list)
    for profile_id, username, name in Profile.objects.filter(team=team, role__in=DUTY_ROLES).values_list(
        "id", "user__username", "name"
    ):
        lookup[username.lower()].append(profile_id)
        if name.lower() != username.lower():
            lookup[name.lower()].append(profile_id)
    return {key: sorted(set(ids)) for key, ids in lookup.items()}


def duty_dates(team, start: date, end: date) -> set[tuple[int, date]]:
    return set(duty_assignments(team, start, end).values_list("profile_id", "date"))


def rewarded_scores(team, count: int = 50):
    """R-APP-5: the extra rewards earned in the team's finalised months (current versions), newest month first.
    The contract with compensation, which may grant such a reward as comp-time hours."""
    return (
        AgentScore.objects.filter(
            appraisal__team=team, appraisal__is_current=True, appraisal__status="finalised", reward_flag=True
        )
        .select_related("profile", "appraisal")
        .order_by("-appraisal__month", "profile__name")[:count]
    )


# --- Page data (views assemble no ORM queries; issue 12) ---------------------------------------------------------


def current_appraisals(team, months) -> dict[date, MonthlyAppraisal]:
    """The team's current appraisal version of each of `months`, by month (months without one are left out)."""
    return {a.month: a for a in MonthlyAppraisal.objects.filter(team=team, is_current=True, month__in=list(months))}


def settings_or_defaults(team) -> TeamAppraisalSettings:
    """The team's appraisal settings, or the defaults (unsaved) until a supervisor first saves them (R-APP-6)."""
    return TeamAppraisalSettings.objects.filter(team=team).first() or TeamAppraisalSettings(team=team)


def duty_people(team) -> QuerySet[Profile]:
    """The team's agents and leads by name, whom a survey result can be entered for."""
    return Profile.objects.filter(team=team, role__in=DUTY_ROLES).order_by("name")


def survey_imports(team) -> QuerySet[SurveyImport]:
    """The team's survey imports, newest first (the model's order), with who imported each."""
    return SurveyImport.objects.filter(team=team).select_related("imported_by")
