"""Appraisal pages: thin views over appraisal.queries and appraisal.services."""

import base64
import binascii

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal import queries, services
from appraisal.explain import METRIC_LABELS, metric_rows
from appraisal.export import month_workbook
from appraisal.forms import (
    AnswerForm,
    AppraisalSettingsForm,
    CorrectionForm,
    EvaluationForm,
    ManualSurveyForm,
    RespondForm,
    SurveyConfirmForm,
    SurveyUploadForm,
)
from appraisal.models import (
    Band,
    DailyEvaluation,
    MonthlyAppraisal,
    ScoreResponse,
)
from appraisal.permissions import can_compute, can_finalise, can_see_score_of, can_see_team, may_answer_dispute
from appraisal.rules import METRICS
from appraisal.surveys import UnreadableFile
from appraisal.table import month_rows
from dutydesk.audit.services import record_export
from dutydesk.models import Profile
from dutydesk.months import month_end, months_back, next_month, previous_month
from dutydesk.permissions import allow, can, visible_teams
from roster.models import DutyShift

MONTH_PAGE_SIZE = 50  # rows of the month table per page: 500 agents are 10 pages, each read on its own


def _last_month():
    return previous_month(timezone.localdate())


# --- Team pages (lead, supervisor, manager) ----------------------------------------------------------------------


@allow("appraisal.view_team", methods=("GET",))
def team_home(request, team):
    months = months_back(timezone.localdate(), 12)[::-1]
    current = queries.current_appraisals(request.team, months)
    return render(
        request,
        "appraisal/team.html",
        {
            "team": request.team,
            "months": [(m, current.get(m)) for m in months],
            "may_evaluate": can(request.user, "appraisal.evaluate"),
            "may_import": can(request.user, "appraisal.surveys"),
            "may_configure": can(request.user, "appraisal.settings_view"),
            "queue_count": queries.evaluation_queue(request.team, timezone.localdate()).count(),
        },
    )


@allow("appraisal.view_team", methods=("GET", "POST"))
def month(request, team, month):
    if request.method == "POST":
        # The compute button: supervisors and the manager only (leads read the month).
        if not can_compute(request.profile):
            raise PermissionDenied
        try:
            services.compute_appraisal(team=request.team, month=month, actor=request.profile)
            messages.success(request, _("The month was computed."))
        except services.AppraisalError as error:
            messages.error(request, str(error))
        return redirect("appraisal:month", team=request.team.slug, month=month)

    teams = visible_teams(request)
    # The versions and the band distribution over the teams the viewer sees, in one query.
    versions = queries.month_versions(request.team, month, distribution_of=teams)
    appraisal = next((v for v in versions if v.is_current), None)
    sort = request.GET.get("sort", "rank")
    sort = sort if sort in queries.SORTABLE else "rank"
    descending = request.GET.get("dir") == "desc"
    band = request.GET.get("band", "")
    band = band if band in queries.BAND_FILTERS else ""
    name = request.GET.get("q", "").strip()[:40]
    page = None
    if appraisal is not None:
        page = queries.month_page(
            appraisal,
            request.GET.get("page"),
            per_page=MONTH_PAGE_SIZE,
            sort=sort,
            descending=descending,
            band=band,
            name=name,
        )
    rows = month_rows(page, team=request.team, month=month, request=request) if page is not None else []
    return render(
        request,
        "appraisal/month.html",
        {
            "team": request.team,
            "month": month,
            "appraisal": appraisal,
            "rows": rows,
            "page": page,
            "scores": list(page or []),
            "sort": sort,
            "descending": descending,
            "band": band,
            "name": name,
            "bands": [*Band.choices, ("none", _("No band"))],
            "metrics": [(m, METRIC_LABELS[m]) for m in METRICS],
            "previous": previous_month(month),
            "next": next_month(month),
            "teams": teams,
            "distribution": versions[0].distribution if versions else queries.band_distribution(month, teams),
            "versions": versions,
            "open_disputes": appraisal.open_disputes if appraisal else 0,
            "may_compute": can_compute(request.profile),
            "may_finalise": can_finalise(request.profile),
            "correction_form": CorrectionForm(),
        },
    )


@allow("appraisal.view_team", methods=("GET",))
def export(request, team, month):
    appraisal = queries.current_appraisal(request.team, month)
    scores = queries.month_scores(appraisal) if appraisal else []
    # Every export is recorded: who took which data out, when (issue 22 item 1).
    record_export(
        "appraisal.export", actor=request.profile, team=request.team, label=f"{request.team.name} {month:%Y-%m}"
    )
    response = HttpResponse(
        month_workbook(request.team, month, appraisal, scores, exporter=request.profile.name),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="appraisal-{request.team.slug}-{month:%Y-%m}.xlsx"'
    return response


@allow("appraisal.person", methods=("GET",))
def person(request, team, month, appraisee):
    profile = get_object_or_404(Profile.objects.select_related("user", "team"), pk=appraisee, team=request.team)
    if not can_see_score_of(request.user, profile):
        raise Http404  # another person's score: not even its existence is told
    if not can(request.user, "appraisal.view_team"):
        return _mine(request, month)  # an agent at their own month's address: their own page
    return render(
        request,
        "appraisal/person.html",
        {
            "team": request.team,
            "answer_form": AnswerForm(),
            "may_answer": may_answer_dispute(request.profile, request.team),
            "link_logbooks": can(request.user, "logbook.read"),
            **_person_context(profile, month, request.team),
        },
    )


def _person_context(profile, month, team) -> dict:
    appraisal = queries.current_appraisal(team, month) if team else None
    score = queries.score_of(profile, appraisal)
    end = month_end(month)
    return {
        "profile": profile,
        "month": month,
        "appraisal": appraisal,
        "score": score,
        "metric_rows": metric_rows(score),
        "evaluations": queries.evaluations_of(profile, month, end),
        "surveys": queries.surveys_of(profile, month, end),
        "logbooks": queries.logbooks_of(profile, month, end),
        "trend": queries.trend_of(profile, month),
        "previous": previous_month(month),
    }


@allow("appraisal.settings_view", methods=("GET", "POST"))
def team_settings(request, team):
    """The team's weights and thresholds: supervisors change them; managers read them (R-APP-6)."""
    may_change = can(request.user, "appraisal.settings")
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    instance = queries.settings_or_defaults(request.team)
    form = AppraisalSettingsForm(request.POST or None, instance=instance)
    if not may_change:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.fields}
        services.update_appraisal_settings(team=request.team, actor=request.profile, values=values)
        messages.success(request, _("The appraisal settings were saved; they apply from the next computation."))
        return redirect("appraisal:team", team=request.team.slug)
    return render(request, "appraisal/settings.html", {"team": request.team, "form": form, "may_change": may_change})


# --- Daily evaluations (R-APP-1) ---------------------------------------------------------------------------------


@allow("appraisal.evaluate", methods=("GET",))
def evaluation_queue(request, team):
    page = Paginator(queries.evaluation_queue(request.team, timezone.localdate()), 50).get_page(request.GET.get("page"))
    return render(request, "appraisal/evaluations.html", {"team": request.team, "page": page})


@allow("appraisal.evaluate", methods=("GET", "POST"))
def evaluate(request, team, eval_shift, appraisee):
    duty_shift = get_object_or_404(DutyShift.objects.select_related("shift_type"), pk=eval_shift, team=request.team)
    profile = get_object_or_404(Profile, pk=appraisee, team=request.team)
    existing = DailyEvaluation.objects.filter(duty_shift=duty_shift, profile=profile).first()
    form = EvaluationForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_evaluation(
                duty_shift=duty_shift,
                profile=profile,
                evaluator=request.profile,
                ratings=form.ratings(),
                comment=form.cleaned_data["comment"],
            )
        except services.AppraisalError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Evaluation of %(name)s saved.") % {"name": profile.name})
            return redirect("appraisal:evaluations", team=request.team.slug)
    holders = queries.duty_assignments(request.team, duty_shift.date, duty_shift.date).filter(duty_shift=duty_shift)
    return render(
        request,
        "appraisal/evaluate.html",
        {
            "team": request.team,
            "duty_shift": duty_shift,
            "profile": profile,
            "form": form,
            "existing": existing,
            "holders": holders,
            "logbook": queries.logbook_of(duty_shift, profile),
        },
    )


# --- Satisfaction surveys (R-APP-2) ------------------------------------------------------------------------------


@allow("appraisal.surveys", methods=("GET", "POST"))
def surveys(request, team):
    today = timezone.localdate()
    people = queries.duty_people(request.team)
    upload_form = SurveyUploadForm()
    manual_form = ManualSurveyForm(people=people, initial={"date": today})
    preview = confirm_form = None
    step = request.POST.get("step")
    if step == "preview":
        upload_form = SurveyUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            upload = upload_form.cleaned_data["file"]
            content = upload.read()
            preview = _preview(request, upload.name, content, upload_form.cleaned_data["scale"], today)
            if preview is not None and preview.is_clean and not preview.already_imported:
                confirm_form = SurveyConfirmForm(
                    initial={
                        "content": base64.b64encode(content).decode(),
                        "file_name": upload.name,
                        "scale": upload_form.cleaned_data["scale"],
                    }
                )
    elif step == "import":
        form = SurveyConfirmForm(request.POST)
        if form.is_valid():
            try:
                content = base64.b64decode(form.cleaned_data["content"], validate=True)
                _preview_rows, added = services.import_surveys(
                    team=request.team,
                    importer=request.profile,
                    file_name=form.cleaned_data["file_name"],
                    content=content,
                    scale=form.cleaned_data["scale"],
                    today=today,
                )
            except (binascii.Error, UnreadableFile, services.AppraisalError) as error:
                messages.error(request, str(error) or _("The file could not be read."))
            else:
                messages.success(request, _("%(count)d survey results imported.") % {"count": added})
                return redirect("appraisal:surveys", team=request.team.slug)
    elif step == "manual":
        manual_form = ManualSurveyForm(request.POST, people=people)
        if manual_form.is_valid():
            data = manual_form.cleaned_data
            try:
                services.add_survey_result(
                    team=request.team,
                    profile=data["profile"],
                    day=data["date"],
                    scale=data["scale"],
                    score=data["score"],
                    reference=data["reference"],
                    entered_by=request.profile,
                )
            except services.AppraisalError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Survey result added."))
                return redirect("appraisal:surveys", team=request.team.slug)
    imports = Paginator(queries.survey_imports(request.team), 20)
    return render(
        request,
        "appraisal/surveys.html",
        {
            "team": request.team,
            "upload_form": upload_form,
            "manual_form": manual_form,
            "preview": preview,
            "confirm_form": confirm_form,
            "imports": imports.get_page(request.GET.get("page")),
        },
    )


def _preview(request, file_name, content, scale, today):
    try:
        preview = services.preview_surveys(
            team=request.team, file_name=file_name, content=content, scale=scale, today=today
        )
    except UnreadableFile as error:
        messages.error(request, str(error))
        return None
    if preview.already_imported:
        messages.info(request, _("This file was imported before; importing it again adds nothing."))
    elif not preview.is_clean:
        messages.error(
            request,
            _("%(count)d rows are bad: fix them and upload the file again. Nothing was imported.")
            % {"count": len(preview.errors)},
        )
    return preview


# --- The person's own month (R-APP-6) ----------------------------------------------------------------------------


@allow("appraisal.own", methods=("GET",))
def mine(request):
    latest = queries.latest_month_of(request.profile)
    return _mine(request, latest or _last_month())


@allow("appraisal.own", methods=("GET",))
def mine_month(request, month):
    return _mine(request, month)


def _mine(request, month):
    team = request.profile.team
    context = _person_context(request.profile, month, team)
    return render(
        request,
        "appraisal/mine.html",
        {
            **context,
            "team": team,
            "respond_form": RespondForm(),
            "excellent": queries.published_excellent(team) if team else [],
            "next": next_month(month),
        },
    )


@allow("appraisal.own", methods=("POST",))
def respond(request, month):
    team = request.profile.team
    score = queries.score_of(request.profile, queries.current_appraisal(team, month))
    if score is None:
        raise Http404
    form = RespondForm(request.POST)
    if form.is_valid():
        try:
            services.respond_to_score(
                score, agent=request.profile, kind=form.cleaned_data["kind"], comment=form.cleaned_data["comment"]
            )
            messages.success(request, _("Thank you, your answer was recorded."))
        except services.AppraisalError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("appraisal:mine-month", month=month)


# --- Finalise, correct, answer --------------------------------------------------------------------------------------


def _appraisal_for(request, pk) -> MonthlyAppraisal:
    appraisal = get_object_or_404(MonthlyAppraisal.objects.select_related("team"), pk=pk)
    if not can_see_team(request.user, appraisal.team):
        raise Http404
    return appraisal


@allow("appraisal.finalise", methods=("POST",))
def finalise(request, appraisal):
    appraisal = _appraisal_for(request, appraisal)
    try:
        services.finalise_appraisal(appraisal, manager=request.profile)
        messages.success(request, _("The month is finalised."))
    except services.AppraisalError as error:
        messages.error(request, str(error))
    return redirect("appraisal:month", team=appraisal.team.slug, month=appraisal.month)


@allow("appraisal.finalise", methods=("POST",))
def correct(request, appraisal):
    appraisal = _appraisal_for(request, appraisal)
    form = CorrectionForm(request.POST)
    try:
        if not form.is_valid():
            raise services.AppraisalError(_("Say why the finalised month is corrected."))
        services.correct_appraisal(
            team=appraisal.team, month=appraisal.month, actor=request.profile, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("A corrected version was computed; the finalised one is kept."))
    except services.AppraisalError as error:
        messages.error(request, str(error))
    return redirect("appraisal:month", team=appraisal.team.slug, month=appraisal.month)


@allow("appraisal.answer", methods=("POST",))
def answer(request, dispute):
    response = get_object_or_404(
        ScoreResponse.objects.select_related("score__appraisal__team", "score__profile"), pk=dispute
    )
    appraisal = response.score.appraisal
    if not can_see_team(request.user, appraisal.team):
        raise Http404
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_dispute(response, answerer=request.profile, answer=form.cleaned_data["answer"])
            messages.success(request, _("Your answer was sent."))
        except services.AppraisalError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Write an answer."))
    return redirect(
        "appraisal:person", team=appraisal.team.slug, month=appraisal.month, appraisee=response.score.profile_id
    )
