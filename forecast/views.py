"""The demand forecast's pages: a month's suggested headcount per shift beside the team's (chart and table, with
"apply"), the volume import (every bad row listed, nothing imported until the file is clean), the team's target."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.months import add_months, next_month
from dutydesk.permissions import allow
from dutydesk.spreadsheets import UnreadableFile
from forecast import queries, services
from forecast.forms import TargetForm, VolumeUploadForm
from forecast.permissions import can_edit


@allow("forecast.view", methods=("GET",))
def index(request, team):
    """The menu's entry: next month, the one a supervisor is preparing."""
    return _month_page(request, next_month(timezone.localdate()))


@allow("forecast.view", methods=("GET",))
def month(request, team, month):
    return _month_page(request, month)


def _month_page(request, month, *, status=200):
    data = queries.month_forecast(request.team, month, today=timezone.localdate())
    editable = can_edit(request.profile, request.team)
    context = {
        **data,
        "team": request.team,
        "editable": editable,
        "target_form": TargetForm(instance=data["target"]) if editable else None,
        "previous_month": add_months(month, -1),
        "next_month": add_months(month, 1),
    }
    return render(request, "forecast/month.html", context, status=status)


@allow("forecast.edit", methods=("POST",))
def apply(request, team, month):
    keys = set(request.POST.getlist("shift"))
    try:
        changed = services.apply_suggestions(
            request.team,
            month,
            keys=keys,
            fingerprint=request.POST.get("fingerprint", ""),
            actor=request.profile,
            today=timezone.localdate(),
        )
    except services.ForecastError as error:
        messages.error(request, str(error))
    else:
        if changed:
            messages.success(
                request,
                _("%(count)d shifts of %(month)s now have the suggested headcount.")
                % {"count": changed, "month": f"{month:%Y-%m}"},
            )
        else:
            messages.info(request, _("Those shifts already have the suggested headcount; nothing changed."))
    return redirect("forecast:month", team=request.team.slug, month=f"{month:%Y-%m}")


@allow("forecast.edit", methods=("POST",))
def target(request, team):
    form = TargetForm(request.POST, instance=queries.target_of(request.team))
    if not form.is_valid():
        messages.error(request, _("The service target was not saved: %(errors)s") % {"errors": _errors(form)})
    else:
        services.save_target(request.team, actor=request.profile, **form.cleaned_data)
        messages.success(request, _("Service target saved."))
    return redirect("forecast:index", team=request.team.slug)


def _errors(form) -> str:
    return "; ".join(f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items())


@allow("forecast.edit", methods=("GET", "POST"))
def import_volume(request, team):
    form, errors, status = VolumeUploadForm(), [], 200
    if request.method == "POST":
        form = VolumeUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                record = services.import_volume(
                    request.team,
                    file_name=upload.name,
                    content=upload.read(),
                    actor=request.profile,
                    today=timezone.localdate(),
                )
            except services.BadFile as error:
                errors, status = error.errors, 400
                messages.error(request, str(error))
            except UnreadableFile as error:
                status = 400
                messages.error(request, str(error))
            else:
                messages.success(
                    request,
                    _("Imported %(rows)d hours of volume, %(first)s to %(last)s.")
                    % {"rows": record.rows, "first": record.first_date, "last": record.last_date},
                )
                return redirect("forecast:index", team=request.team.slug)
        else:
            status = 400
    return render(
        request,
        "forecast/import.html",
        {"team": request.team, "form": form, "errors": errors, "imports": queries.recent_imports(request.team)},
        status=status,
    )
