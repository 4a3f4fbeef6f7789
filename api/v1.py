"""The public API, version 1 (issue 25): /api/v1/, its OpenAPI document at /api/v1/openapi.json and the docs page
at /api/v1/docs (Swagger UI from our static files).

Every endpoint names one action with `@endpoint("roster.view")`, which asks the token through api.permissions (the
role × action table for a personal token, scopes for a service token) and resolves the `team` of the address to a
team the token may read (404 otherwise). Reads go through the apps' queries, the one write through leave's services.
Lists are cursor-paginated; every 200 carries an ETag and answers If-None-Match with 304; errors are problem JSON.
"""

from datetime import date
from functools import wraps

from django.http import Http404, HttpResponseNotModified
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import CursorPagination, paginate

from api import permissions, problems, rules
from api import queries as api_queries
from api.auth import TokenAuth
from api.schemas import (
    DisciplineOut,
    HolidayDayOut,
    HolidayYearOut,
    LeaveIn,
    LeaveOut,
    PersonOut,
    PersonRef,
    ProblemOut,
    RosterMonthOut,
    ShiftTypeOut,
    SignInOut,
    StatementLineOut,
    StatementOut,
    SwapOut,
    TeamOut,
)
from compensation import queries as compensation_queries
from dutydesk import months
from leave import queries as leave_queries
from leave import services as leave_services
from leave.permissions import visible_requests, visible_swaps
from logbook import queries as logbook_queries
from logbook.rules import mask, mask_text
from people import queries as people_queries
from roster import queries as roster_queries
from workcalendar import queries as calendar_queries

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
ERRORS = {401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 422: ProblemOut, 429: ProblemOut}


class DutydeskAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        """Every successful read carries an ETag of its body; a client that has it gets 304 and no body."""
        response = super().create_response(request, data, status=status, temporal_response=temporal_response)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            tag = rules.entity_tag(response.content)
            if rules.none_match(request.headers.get("If-None-Match"), tag):
                not_modified = HttpResponseNotModified()
                not_modified["ETag"] = tag
                return not_modified
            response["ETag"] = tag
        response["Cache-Control"] = "private, no-cache"
        return response


api = DutydeskAPI(
    title="dutydesk API",
    version="1",
    description=(
        "Rosters, leave, attendance and duty statements of dutydesk. Authenticate with "
        "`Authorization: Bearer <token>` (a personal token acts as its person; a service token has scopes). "
        "Lists are cursor-paginated (`cursor`, `page_size`); every answer has an `ETag` (send `If-None-Match`); "
        "errors are RFC 9457 problem details in the caller's language (`Accept-Language`); too many requests with "
        "one token answer 429 with `Retry-After`."
    ),
    urls_namespace="api-v1",
    auth=TokenAuth(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


# --- errors as problem JSON ---------------------------------------------------------------------------------------


@api.exception_handler(problems.Problem)
def _problem(request, exc):
    answer = problems.response(request, exc.status_code, exc.detail, **exc.extra)
    if isinstance(exc, problems.RateLimited):
        answer["Retry-After"] = str(exc.retry_after)
    return answer


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    answer = problems.response(request, 401, _("Send a valid API token: Authorization: Bearer <token>."))
    answer["WWW-Authenticate"] = 'Bearer realm="dutydesk"'
    return answer


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    errors = [{"loc": list(map(str, error.get("loc", ()))), "msg": str(error.get("msg", ""))} for error in exc.errors]
    return problems.response(request, 422, _("The request does not have the expected form."), errors=errors)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problems.response(request, 404, _("There is nothing at this address for this token."))


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return problems.response(request, exc.status_code, str(exc))


# --- the one check ------------------------------------------------------------------------------------------------


def endpoint(action: str):
    """Wrap an endpoint: the token may do `action` (403 otherwise) and may read the address's `team` (404)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            token = request.auth
            if not permissions.role_allows(token, action):
                raise problems.Problem(403, _("This token may not do this."))
            if "team" in kwargs:
                team = permissions.readable_teams(token).filter(slug=kwargs["team"]).first()
                if team is None:
                    raise Http404
                request.team = team
            return view(request, *args, **kwargs)

        wrapped.access_action = action  # type: ignore[attr-defined]
        return wrapped

    return decorator


def _month(text: str | None) -> date:
    if text is None:
        return months.month_start(timezone.localdate())
    month = rules.parse_month(text)
    if month is None:
        raise problems.Problem(422, _("Give the month as YYYY-MM, e.g. 2027-01."))
    return month


def _person(profile) -> PersonRef:
    return PersonRef(id=profile.pk, name=profile.name)


class Cursor(CursorPagination):
    page_size = PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE


def paginated(view):
    return paginate(Cursor, ordering=("id",), page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)(view)


# --- teams, people, shift types ------------------------------------------------------------------------------------

teams = Router(tags=["teams"])


@teams.get("/", response={200: list[TeamOut], **ERRORS}, summary="Teams this token may read")
@endpoint("home.view")
def list_teams(request):
    return list(permissions.readable_teams(request.auth).order_by("name"))


@teams.get("/{team}", response={200: TeamOut, **ERRORS}, summary="One team")
@endpoint("roster.view")
def get_team(request, team: str):
    return request.team


@teams.get("/{team}/people", response={200: list[PersonOut], **ERRORS}, summary="The team's people")
@paginated
@endpoint("roster.view")
def list_people(request, team: str):
    return people_queries.members(request.team)


@teams.get("/{team}/shift-types", response={200: list[ShiftTypeOut], **ERRORS}, summary="The team's shift types")
@endpoint("roster.view")
def list_shift_types(request, team: str):
    return [
        ShiftTypeOut(
            id=t.pk,
            key=t.key,
            name=t.name,
            start=t.start,
            end=t.end,
            is_night=t.is_night,
            headcount=t.headcount,
            active=t.active,
            required_skills=sorted(s.code for s in t.required_skills.all()),
        )
        for t in roster_queries.shift_types_of(request.team).order_by("order", "pk")
    ]


# --- rosters ------------------------------------------------------------------------------------------------------


@teams.get(
    "/{team}/rosters/{month}",
    response={200: RosterMonthOut, **ERRORS},
    summary="A month's roster: its published versions and the assignments of the version in force",
)
@endpoint("roster.view")
def roster_month(request, team: str, month: str):
    first = _month(month)
    roster = roster_queries.roster_for(request.team, first)
    in_force = roster.published_version if roster is not None else None
    versions = list(roster_queries.published_versions(roster)) if roster is not None else []
    assignments = roster_queries.version_assignment_rows(in_force) if in_force is not None else []
    return {
        "team": request.team.slug,
        "month": f"{first:%Y-%m}",
        "published": in_force is not None,
        "version": in_force.number if in_force is not None else None,
        "versions": [
            {
                "number": v.number,
                "kind": v.kind,
                "reason": mask_text(v.reason),
                "published_at": v.published_at,
                "in_force": in_force is not None and v.pk == in_force.pk,
            }
            for v in versions
        ],
        "assignments": [
            {
                "duty_shift": a["duty_shift_id"],
                "date": a["date"],
                "shift_type": a["duty_shift__shift_type__key"],
                "starts_at": a["duty_shift__starts_at"],
                "ends_at": a["duty_shift__ends_at"],
                "role": a["role"],
                "person": {"id": a["profile_id"], "name": a["profile__name"]},
            }
            for a in assignments
        ],
    }


# --- leave and swaps ------------------------------------------------------------------------------------------------


def _viewer(request):
    """The person whose view of requests a token has: its own person, or None for a service token (all)."""
    return request.auth.profile if request.auth.kind == rules.PERSONAL else None


@teams.get("/{team}/leave", response={200: list[LeaveOut], **ERRORS}, summary="Leave requests touching a month")
@paginated
@endpoint("leave.view")
def list_leave(request, team: str, month: str | None = None):
    first = _month(month)
    requests = leave_queries.leave_requests().filter(
        team=request.team, shifts__duty_shift__date__range=(first, months.month_end(first))
    )
    viewer = _viewer(request)
    if viewer is not None:
        requests = requests.filter(visible_requests(viewer, request.team.pk))
    return requests.distinct()


@teams.get("/{team}/swaps", response={200: list[SwapOut], **ERRORS}, summary="Swap requests touching a month")
@paginated
@endpoint("leave.view")
def list_swaps(request, team: str, month: str | None = None):
    from django.db.models import Q

    first = _month(month)
    span = (first, months.month_end(first))
    swaps = leave_queries.swap_requests().filter(
        Q(give_shift__date__range=span) | Q(take_shift__date__range=span), team=request.team
    )
    viewer = _viewer(request)
    if viewer is not None:
        swaps = swaps.filter(visible_swaps(viewer, request.team.pk))
    return swaps


leave = Router(tags=["leave"])


@leave.post("/", response={201: LeaveOut, **ERRORS}, summary="File a leave request as the token's person")
@endpoint("leave.mine")
def file_leave(request, payload: LeaveIn):
    token = request.auth
    if token.kind == rules.PERSONAL:
        if payload.person not in (None, token.profile_id):
            raise problems.Problem(403, _("A personal token files leave for its own person only."))
        person = token.profile
    else:
        if payload.person is None:
            raise problems.Problem(422, _("Say whose leave it is (person)."))
        person = api_queries.person_in(permissions.readable_teams(token), payload.person)
        if person is None:
            raise Http404
    try:
        filed = leave_services.request_leave(
            profile=person,
            duty_shift_ids=payload.shifts,
            kind=payload.kind,
            reason=payload.reason,
            proposed_substitute_id=payload.substitute,
        )
    except leave_services.RequestError as error:
        raise problems.Problem(422, str(error)) from error
    return Status(201, leave_queries.leave_requests().get(pk=filed.pk))


# --- attendance ------------------------------------------------------------------------------------------------


@teams.get("/{team}/sign-ins", response={200: list[SignInOut], **ERRORS}, summary="Sign-ins of a month's shifts")
@paginated
@endpoint("logbook.read")
def list_sign_ins(request, team: str, month: str | None = None):
    first = _month(month)
    return logbook_queries.team_logbooks(request.team, first, months.month_end(first))


@teams.get("/{team}/discipline", response={200: list[DisciplineOut], **ERRORS}, summary="Discipline records")
@paginated
@endpoint("logbook.read")
def list_discipline(request, team: str, month: str | None = None):
    first = _month(month)
    return logbook_queries.team_discipline(request.team, first, months.month_end(first))


# --- statements ---------------------------------------------------------------------------------------------------


@teams.get(
    "/{team}/statements/{month}",
    response={200: StatementOut, **ERRORS},
    summary="The month's duty statement in force and its payroll lines",
)
@endpoint("compensation.view_team")
def statement(request, team: str, month: str):
    first = _month(month)
    current = compensation_queries.current_statement(request.team, first)
    if current is None:
        raise problems.Problem(404, _("There is no duty statement for this month yet."))
    token = request.auth
    return StatementOut(
        team=request.team.slug,
        month=f"{first:%Y-%m}",
        version=current.version,
        status=current.status,
        computed_at=current.computed_at,
        finalised_at=current.finalised_at,
        lines=[
            StatementLineOut(
                person=_person(line.profile),
                employee_number=(
                    line.profile.employee_number
                    if permissions.sees_personal_fields(token, request.team, line.profile_id)
                    else mask(line.profile.employee_number)
                ),
                shifts=line.shifts,
                planned_hours=line.planned_hours,
                actual_hours=line.actual_hours,
                night_hours=line.night_hours,
                workday_hours=line.workday_hours,
                rest_day_hours=line.rest_day_hours,
                holiday_hours=line.holiday_hours,
                overtime_pay_units=line.overtime_pay_units,
                comp_earned=line.comp_earned,
                comp_used=line.comp_used,
                comp_balance=line.comp_balance,
            )
            for line in compensation_queries.statement_lines(current)
        ],
    )


# --- the company holiday calendar -----------------------------------------------------------------------------------

calendar = Router(tags=["holiday calendar"])


@calendar.get("/{year}", response={200: HolidayYearOut, **ERRORS}, summary="A year's holidays and adjusted days")
@endpoint("workcalendar.view")
def holiday_year(request, year: int):
    if not 2000 <= year <= 2100:
        raise problems.Problem(404, _("There is no holiday calendar for that year."))
    cal = calendar_queries.calendar_of_year(year)
    plain = cal.year(year)
    return HolidayYearOut(
        year=year,
        status=plain.status,
        source=plain.source.title,
        days=[HolidayDayOut(date=d, kind=day.kind, name=day.name) for d, day in sorted(plain.days.items())],
    )


api.add_router("/teams", teams)
api.add_router("/leave", leave)
api.add_router("/holidays", calendar)
