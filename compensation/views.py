"""Duty hours and compensation pages: thin views over compensation.queries and compensation.services."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compensation import queries, rules, services
from compensation.export import payroll_workbook
from compensation.forms import CorrectionForm, ExceptionForm, PolicyForm, ResolveForm, RespondForm, RewardForm
from compensation.models import PolicyException, ResponseKind
from dutydesk.audit.services import record_export
from dutydesk.models import Profile
from dutydesk.months import add_months
from dutydesk.permissions import allow, can, teams_for
from workcalendar.queries import provisional_years

LEDGER_PAGE = 25


def _leave_url() -> str:
    return reverse("leave:leave-new") + "?kind=comp_time"


# --- a person's own ----------------------------------------------------------------------------------------------


@allow("compensation.own", methods=("GET",))
def mine(request):
    profile = request.profile
    today = timezone.localdate()
    return render(
        request,
        "compensation/mine.html",
        {
            "profile": profile,
            "balance": queries.balance_of(profile),
            "available": services.available_comp_time(profile, today=today),
            "expiring": queries.expiring_soon(profile, today=today),
            "ledger": Paginator(queries.ledger_of(profile), LEDGER_PAGE).get_page(request.GET.get("page")),
            "statements": queries.my_statements(profile),
            "leave_url": _leave_url(),
        },
    )


@allow("compensation.own", methods=("GET",))
def mine_month(request, month):
    line = queries.my_line(request.profile, month)
    return render(
        request,
        "compensation/mine_month.html",
        {
            "month": month,
            "line": line,
            "statement": line.statement if line else None,
            "respond_form": RespondForm(),
            "provisional_years": provisional_years([month.year]),
            "previous": add_months(month, -1),
            "next": add_months(month, 1),
        },
    )


@allow("compensation.own", methods=("POST",))
def respond(request, month):
    line = queries.my_line(request.profile, month)
    if line is None:
        raise Http404
    form = RespondForm(request.POST)
    if form.is_valid():
        try:
            services.respond_to_statement(
                line, agent=request.profile, kind=form.cleaned_data["kind"], comment=form.cleaned_data["comment"]
            )
        except services.CompensationError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Thank you: your confirmation was recorded.")
                if form.cleaned_data["kind"] == ResponseKind.CONFIRMED
                else _("Your dispute was sent to the team lead."),
            )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("compensation:mine-month", month=month)


# --- the team (lead, supervisor, manager) ---------------------------------------------------------------------


@allow("compensation.view_team", methods=("GET",))
def team(request, team):
    today = timezone.localdate()
    return render(
        request,
        "compensation/team.html",
        {
            "team": request.team,
            "months": queries.months_of(request.team, today=today),
            "balances": queries.team_balances(request.team),
            "policy": queries.policy_of(request.team),
            "may_configure": can(request.user, "compensation.policy"),
            "may_reward": can(request.user, "compensation.reward"),
            "may_see_company": can(request.user, "compensation.company"),
            "this_month": today.replace(day=1),
        },
    )


@allow("compensation.view_team", methods=("GET",))
def month(request, team, month):
    statement = queries.current_statement(request.team, month)
    lines = queries.statement_lines(statement)
    return render(
        request,
        "compensation/month.html",
        {
            "team": request.team,
            "month": month,
            "statement": statement,
            "lines": lines,
            "totals": _totals(lines),
            "previous": add_months(month, -1),
            "next": add_months(month, 1),
            "versions": list(queries.versions_of(request.team, month)),
            "open_disputes": queries.open_disputes(request.team, month).count() if statement else 0,
            "may_compute": can(request.user, "compensation.compute"),
            "may_finalise": can(request.user, "compensation.finalise"),
            "may_export": can(request.user, "compensation.export"),
            "month_over": rules.month_is_over(month, timezone.localdate()),
            "correction_form": CorrectionForm(),
            "provisional_years": provisional_years([month.year]),
        },
    )


def _totals(lines) -> dict:
    names = [
        "shifts",
        "planned_hours",
        "actual_hours",
        "night_hours",
        "workday_hours",
        "rest_day_hours",
        "holiday_hours",
        "overtime_pay_units",
        "comp_earned",
        "comp_used",
        "comp_balance",
    ]
    return {name: sum(getattr(line, name) for line in lines) for name in names}


@allow("compensation.compute", methods=("POST",))
def compute(request, team, month):
    try:
        services.compute_statement(team=request.team, month=month, actor=request.profile)
        messages.success(request, _("The month's duty hours were computed."))
    except services.CompensationError as error:
        messages.error(request, str(error))
    return redirect("compensation:month", team=request.team.slug, month=month)


@allow("compensation.finalise", methods=("POST",))
def finalise(request, team, month):
    statement = queries.current_statement(request.team, month)
    if statement is None:
        messages.error(request, _("Compute the month first."))
    else:
        try:
            services.finalise_statement(statement, actor=request.profile)
            messages.success(request, _("The month is finalised; its figures are frozen."))
        except services.CompensationError as error:
            messages.error(request, str(error))
    return redirect("compensation:month", team=request.team.slug, month=month)


@allow("compensation.finalise", methods=("POST",))
def correct(request, team, month):
    form = CorrectionForm(request.POST)
    try:
        if not form.is_valid():
            raise services.CompensationError(_("Say why the finalised month is corrected."))
        services.correct_statement(
            team=request.team, month=month, actor=request.profile, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("A corrected version was computed; the finalised one is kept."))
    except services.CompensationError as error:
        messages.error(request, str(error))
    return redirect("compensation:month", team=request.team.slug, month=month)


@allow("compensation.export", methods=("GET",))
def export(request, team, month):
    statement = queries.current_statement(request.team, month)
    # Every export is recorded: who took which data out, when (issue 22 item 1).
    record_export(
        "compensation.export", actor=request.profile, team=request.team, label=f"{request.team.name} {month:%Y-%m}"
    )
    response = HttpResponse(
        payroll_workbook(
            request.team, month, statement, queries.statement_lines(statement), exporter=request.profile.name
        ),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="payroll-{request.team.slug}-{month:%Y-%m}.xlsx"'
    return response


def _member(request, statement, member):
    """A person of this team (or stated in its month): anyone else answers 404."""
    line = queries.line_of(statement, member)
    if line is not None:
        return line.profile, line
    return get_object_or_404(Profile, pk=member, team=request.team), None


@allow("compensation.view_team", methods=("GET",))
def person(request, team, month, member):
    statement = queries.current_statement(request.team, month)
    profile, line = _member(request, statement, member)
    return render(
        request,
        "compensation/person.html",
        {
            "team": request.team,
            "month": month,
            "statement": statement,
            "line": line,
            "profile": profile,
            "balance": queries.balance_of(profile),
            "ledger": Paginator(queries.ledger_of(profile), LEDGER_PAGE).get_page(request.GET.get("page")),
            "resolve_form": ResolveForm(),
            "may_resolve": can(request.user, "compensation.resolve"),
            "provisional_years": provisional_years([month.year]),
        },
    )


@allow("compensation.resolve", methods=("POST",))
def resolve(request, team, month, member):
    statement = queries.current_statement(request.team, month)
    _profile, line = _member(request, statement, member)
    response = getattr(line, "response", None) if line else None
    if response is None:
        raise Http404
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.resolve_dispute(response, actor=request.profile, resolution=form.cleaned_data["resolution"])
            messages.success(request, _("The dispute is resolved; %(name)s is told.") % {"name": line.profile.name})
        except services.CompensationError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Write how the dispute was resolved."))
    return redirect("compensation:person", team=request.team.slug, month=month, member=member)


# --- the team's policy ----------------------------------------------------------------------------------------


@allow("compensation.policy", methods=("GET", "POST"))
def policy(request, team):
    instance = queries.policy_of(request.team)
    people = list(queries.duty_people(request.team))
    step = request.POST.get("step")
    form = PolicyForm(request.POST if step == "policy" else None, instance=instance)
    chosen = request.POST.get("profile") if step == "exception" else request.GET.get("member")
    existing = (
        PolicyException.objects.filter(profile_id=chosen, profile__team=request.team).first()
        if chosen and str(chosen).isdigit()
        else None
    )
    exception_form = ExceptionForm(
        request.POST if step == "exception" else None,
        people=people,
        instance=existing,
        initial={"profile": existing.profile_id} if existing else None,
    )
    if step == "policy" and form.is_valid():
        try:
            services.update_policy(team=request.team, actor=request.profile, values=form.values())
        except services.CompensationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The policy was saved; it applies from the next computation."))
            return redirect("compensation:policy", team=request.team.slug)
    if step == "exception" and exception_form.is_valid():
        profile = next(p for p in people if p.pk == exception_form.cleaned_data["profile"])
        try:
            services.set_exception(
                profile=profile,
                actor=request.profile,
                values=exception_form.values(),
                reason=exception_form.cleaned_data["reason"],
            )
        except services.CompensationError as error:
            exception_form.add_error(None, str(error))
        else:
            messages.success(request, _("The exception for %(name)s was saved.") % {"name": profile.name})
            return redirect("compensation:policy", team=request.team.slug)
    return render(
        request,
        "compensation/policy.html",
        {
            "team": request.team,
            "form": form,
            "exception_form": exception_form,
            "exceptions": list(queries.exceptions_of(request.team)),
        },
    )


@allow("compensation.policy", methods=("POST",))
def exception_remove(request, team, member):
    profile = get_object_or_404(Profile, pk=member, team=request.team)
    services.remove_exception(profile=profile, actor=request.profile)
    messages.success(request, _("%(name)s follows the team's policy again.") % {"name": profile.name})
    return redirect("compensation:policy", team=request.team.slug)


# --- rewards (R-APP-5) and the company ------------------------------------------------------------------------


@allow("compensation.reward", methods=("GET",))
def rewards(request, team):
    policy_ = queries.policy_of(request.team)
    return render(
        request,
        "compensation/rewards.html",
        {
            "team": request.team,
            "candidates": queries.reward_candidates(request.team),
            "form": RewardForm(initial={"hours": policy_.reward_hours}),
        },
    )


@allow("compensation.reward", methods=("POST",))
def reward_grant(request, team, reward_score):
    from appraisal.models import AgentScore

    score = get_object_or_404(AgentScore, pk=reward_score, appraisal__team=request.team)
    form = RewardForm(request.POST)
    if form.is_valid():
        try:
            services.grant_reward(score, actor=request.profile, hours=form.cleaned_data["hours"])
            messages.success(
                request,
                _("%(hours)s hours of comp time granted to %(name)s.")
                % {"hours": form.cleaned_data["hours"], "name": score.profile.name},
            )
        except services.CompensationError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Grant between 0.5 and 80 hours."))
    return redirect("compensation:rewards", team=request.team.slug)


@allow("compensation.company", methods=("GET",))
def company(request, month):
    teams = list(teams_for(request.user).order_by("name"))
    return render(
        request,
        "compensation/company.html",
        {
            "month": month,
            "summaries": queries.company_month(teams, month),
            "previous": add_months(month, -1),
            "next": add_months(month, 1),
        },
    )
