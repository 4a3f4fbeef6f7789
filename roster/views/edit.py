"""The supervisor's draft: lay out the month, generate, edit cells in place (htmx), publish, revise, discard."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dutydesk.permissions import allow
from roster import instance as plain
from roster import queries, services
from roster.forms import CellForm, PublishForm, RevisionForm
from roster.messages import summarise
from roster.models import GenerationStatus
from roster.services import CellChange, RosterError
from roster.views import grid as grids
from roster.views.balance import generation_summary
from roster.views.common import month_nav, roster_or_404, roster_or_none


def _generation_context(roster, run, instance=None) -> dict:
    if run is None:
        return {"run": None}
    result = run.result or {}
    context = {
        "run": run,
        "active": run.status in (GenerationStatus.QUEUED, GenerationStatus.RUNNING),
        "progress": run.progress or {},
        "run_summary": generation_summary(result) if result else "",
    }
    if result.get("violations"):
        instance = instance or queries.solver_instance(roster)
        context["run_problems"] = summarise([plain.Violation.from_json(v) for v in result["violations"]], instance)
    return context


def _calendar_context(roster, month) -> dict:
    # R-CAL-1: a month of a year whose holidays are not yet official says so, and publishing it asks to confirm.
    year = queries.provisional_year(roster, month)
    return {"provisional_year": year, "provisional_years": [year] if year else []}


def _draft_context(request, roster, month) -> dict:
    context = {
        "team": request.team,
        "month": month,
        "roster": roster,
        "editable": False,
        **month_nav(month),
        **_calendar_context(roster, month),
    }
    if roster is None:
        return context
    version_id = roster.draft_id or roster.published_version_id
    instance, assignments = queries.month_data(roster, version_id)
    assignments = grids.state(assignments)
    grid = grids.build(instance, assignments, viewer=request.profile.id, history=True)
    context.update(
        {
            "draft": roster.draft_id,
            "version": version_id,
            "grid": grid,
            "instance": instance,
            # An unpublished month is editable even before its first edit (set_cell makes the draft).
            "editable": bool(instance.days) and (roster.draft_id is not None or roster.published_version_id is None),
            "cell_url": reverse("roster:cell", kwargs={"team": request.team.slug, "month": f"{month:%Y-%m}"}),
            "is_revision": roster.published_version_id is not None,
            "has_staff": bool(instance.agents),
            "history_columns": True,
            "balance": grids.balance(instance, assignments),
            "kept_shifts": queries.kept_shifts(roster),
            **_generation_context(roster, roster.latest_run, instance),
        }
    )
    return context


@allow("roster.edit", methods=("GET",))
def draft(request, team, month):
    roster = queries.roster_with_draft(request.team, month)
    return render(request, "roster/draft.html", _draft_context(request, roster, month))


@allow("roster.edit", methods=("POST",))
def cell(request, team, month):
    """One cell edited in place. Answers only out-of-band fragments: the rows whose problems changed, the
    coverage, the problem list, the publish panel with the new revision, and a message when refused.

    The month is read once, before the change: `set_cell` checks the edit against it, and the rows to re-render
    come from the rules run on the assignments before and after.
    """
    roster = queries.roster_with_draft(request.team, month)
    if roster is None:
        raise Http404
    form = CellForm(request.POST)
    instance, before = queries.month_data(roster, roster.draft_id or roster.published_version_id)
    before = grids.state(before)
    after, error, edited = before, "", None
    if not form.is_valid():
        error = _("That change could not be read; reload the page and try again.")
    else:
        edited = form.cleaned_data["profile"]
        key, role = form.shift_and_role()
        try:
            draft = services.set_cell(
                roster,
                CellChange(profile_id=edited, date=form.cleaned_data["date"], shift_key=key, role=role),
                actor=request.profile,
                expected_revision=form.cleaned_data["revision"],
                instance=instance,
            )
        except RosterError as refusal:
            error = str(refusal)
        else:
            roster.draft_id = draft.pk
            roster.refresh_from_db(fields=["draft_revision"])
            after = _after(
                before,
                draft,
                edited,
                form.cleaned_data["date"],
                key,
                role,
                checked=form.cleaned_data["revision"] is not None,
            )
    after = grids.state(after)
    violations = grids.check(instance, after)
    changed = set()
    if after != before:
        was = grids.violations_by_agent(grids.check(instance, before))
        now = grids.violations_by_agent(violations)
        changed = {a for a in set(was) | set(now) if was.get(a) != now.get(a)}
    if edited is not None:
        changed.add(edited)
    grid = grids.build(instance, after, violations, only=changed, viewer=request.profile.id, oob=True, history=True)
    return render(
        request,
        "roster/_cell_update.html",
        {
            "team": request.team,
            "month": month,
            "roster": roster,
            "grid": grid,
            "error": error,
            "editable": True,
            "oob": True,
            "draft": roster.draft_id,
            "is_revision": roster.published_version_id is not None,
            "history_columns": True,
            "balance": grids.balance(instance, after),
            **_calendar_context(roster, month),
        },
    )


def _after(before, draft, agent: int, day, key: str | None, role: str, *, checked: bool) -> list[plain.Assignment]:
    """The draft after set_cell: worked out from the state the page showed when the revision check proved nothing
    else changed in between (set_cell took the person off that date, then put them on `key`); read again if not."""
    if not checked:
        return queries.plain_assignments(draft)
    kept = [a for a in before if not (a.agent == agent and a.date == day)]
    return kept if key is None else [*kept, plain.Assignment(agent=agent, date=day, shift=key, role=role)]


@allow("roster.edit", methods=("POST",))
def prepare(request, team, month):
    """Lay out the month's duty days and shifts from the calendar and the team's settings."""
    roster = services.prepare_month(request.team, month)
    if not queries.month_shifts(roster).exists():
        messages.warning(request, _("This month has no duty shifts. Set the team's shifts and duty days first."))
    return redirect("roster:draft", team=request.team.slug, month=f"{month:%Y-%m}")


@allow("roster.edit", methods=("POST",))
def generate(request, team, month):
    existing = roster_or_none(request.team, month)
    if existing is not None and existing.published_version_id:
        messages.error(request, _("This roster is already published. Change it through a revision, leave or swap."))
        return redirect("roster:draft", team=request.team.slug, month=f"{month:%Y-%m}")
    roster = services.prepare_month(request.team, month)
    try:
        services.start_generation(roster, actor=request.profile)
    except RosterError as error:
        messages.error(request, str(error))
    else:
        messages.info(request, _("Generating the roster; this page shows the progress."))
    return redirect("roster:draft", team=request.team.slug, month=f"{month:%Y-%m}")


@allow("roster.edit", methods=("POST",))
def generation_cancel(request, team, month):
    """Stop the month's queued or running generation; the run to stop is the one the page showed."""
    roster = roster_or_404(request.team, month)
    run = roster.generation_runs.filter(
        pk=request.POST.get("run") if str(request.POST.get("run")).isdigit() else None
    ).first()
    if run is None:
        messages.error(request, _("Reload the page and try again."))
    else:
        try:
            services.cancel_generation(run, actor=request.profile)
        except RosterError as error:
            messages.info(request, str(error))
        else:
            messages.success(request, _("The generation was cancelled; the draft was not changed."))
    return redirect("roster:draft", team=request.team.slug, month=f"{month:%Y-%m}")


@allow("roster.edit", methods=("GET",))
def generation(request, team, month):
    """Polled by htmx while a generation runs; when the run it watched ends, the page reloads to show the draft."""
    roster = roster_or_none(request.team, month)
    run = queries.latest_generation(roster) if roster else None
    context = {
        "team": request.team,
        "month": month,
        "roster": roster,
        **_generation_context(roster, run),
        **_calendar_context(roster, month),
    }
    response = render(request, "roster/draft.html#generation", context)
    watched = request.GET.get("run")
    if (
        request.headers.get("HX-Request")
        and watched
        and run is not None
        and str(run.id) == watched
        and not context.get("active")
    ):
        response["HX-Refresh"] = "true"
    return response


@allow("roster.edit", methods=("POST",))
def publish(request, team, month):
    roster = roster_or_404(request.team, month)
    form = PublishForm(request.POST)
    target = redirect("roster:draft", team=request.team.slug, month=f"{month:%Y-%m}")
    if not form.is_valid():
        messages.error(request, _("Reload the page and try again."))
        return target
    try:
        version = services.publish_roster(
            roster,
            actor=request.profile,
            expected_revision=form.cleaned_data["revision"],
            reason=form.cleaned_data["reason"],
            accept_warnings=form.cleaned_data["accept_warnings"],
            accept_provisional=form.cleaned_data["accept_provisional"],
        )
    except RosterError as error:
        roster.refresh_from_db()
        # A double click: the first click published it; say so kindly and show the roster in force.
        if roster.published_version_id and queries.draft_of(roster) is None:
            messages.info(request, str(error))
            return redirect("roster:month", team=request.team.slug, month=f"{month:%Y-%m}")
        messages.error(request, str(error))
        return target
    messages.success(
        request, _("Version %(number)s is published; the team has been notified.") % {"number": version.number}
    )
    return redirect("roster:month", team=request.team.slug, month=f"{month:%Y-%m}")


@allow("roster.edit", methods=("POST",))
def discard(request, team, month):
    roster = roster_or_404(request.team, month)
    form = RevisionForm(request.POST)
    try:
        services.discard_draft(
            roster, actor=request.profile, expected_revision=form.cleaned_data["revision"] if form.is_valid() else None
        )
    except RosterError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The draft was discarded."))
    return redirect("roster:draft", team=request.team.slug, month=f"{month:%Y-%m}")


@allow("roster.edit", methods=("POST",))
def revise(request, team, month):
    """A supervisor's explicit revision: a draft copy of the version in force, published later with a reason."""
    roster = roster_or_404(request.team, month)
    try:
        services.start_revision(roster, actor=request.profile)
    except RosterError as error:
        messages.error(request, str(error))
        return redirect("roster:month", team=request.team.slug, month=f"{month:%Y-%m}")
    messages.info(request, _("Revision started: change the cells, then publish with a reason."))
    return redirect("roster:draft", team=request.team.slug, month=f"{month:%Y-%m}")
