"""Import the team from the file HR exports (preview first, nothing written until the file is clean), and export
it in the same format."""

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dutydesk.audit.services import record_export
from dutydesk.permissions import allow, teams_for
from dutydesk.spreadsheets import UnreadableFile
from people import exports, queries
from people.forms import ConfirmImportForm, UploadForm
from people.services import PeopleError
from people.services import imports as services

# The checked file waits here between the preview and the click on "import" (the page carries only its checksum).
HELD_SECONDS = 60 * 60


def _held_key(request, checksum: str) -> str:
    return f"people:import:{request.user.pk}:{request.team.pk}:{checksum}"


@allow("people.manage", methods=("GET", "POST"))
def import_people(request, team):
    teams = list(teams_for(request.user))
    upload_form, checked, confirm_form = UploadForm(), None, None
    status = 200
    if request.method == "POST" and "checksum" in request.POST:
        form = ConfirmImportForm(request.POST)
        key = _held_key(request, form.data.get("checksum", ""))
        held = cache.get(key) if form.is_valid() else None
        # Taking the file out of the cache claims it: a second click (or tab) finds nothing to import twice.
        if held is None or not cache.delete(key):
            messages.error(request, _("The checked file is no longer at hand; upload it again."))
            return redirect("people:import", team=request.team.slug)
        try:
            record = services.import_people(
                teams=teams,
                default_team=request.team,
                file_name=held["name"],
                content=held["content"],
                actor=request.profile,
                base_url=request.build_absolute_uri("/"),
            )
        except (PeopleError, UnreadableFile) as error:
            messages.error(request, str(error))
            return redirect("people:import", team=request.team.slug)
        messages.success(
            request,
            _("Imported: %(created)d added, %(updated)d updated, %(unchanged)d unchanged.")
            % {"created": record.created, "updated": record.updated, "unchanged": record.unchanged},
        )
        return redirect("people:members", team=request.team.slug)
    if request.method == "POST":
        upload_form = UploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            upload = upload_form.cleaned_data["file"]
            content = upload.read()
            try:
                checked = services.preview_people(
                    teams=teams, default_team=request.team, file_name=upload.name, content=content
                )
            except UnreadableFile as error:
                messages.error(request, str(error))
                status = 400
            else:
                preview = checked.preview
                if not preview.is_clean:
                    status = 400
                    messages.error(request, _("Nothing was imported: fix the rows below and upload the file again."))
                elif not preview.has_changes:
                    messages.info(
                        request, _("Every person in the file is already as it says; importing it would change nothing.")
                    )
                else:
                    cache.set(
                        _held_key(request, checked.checksum), {"name": upload.name, "content": content}, HELD_SECONDS
                    )
                    confirm_form = ConfirmImportForm(initial={"checksum": checked.checksum})
        else:
            status = 400
    recent = queries.recent_imports(request.team)
    return render(
        request,
        "people/import.html",
        {
            "team": request.team,
            "upload_form": upload_form,
            "checked": checked,
            "confirm_form": confirm_form,
            "recent": recent,
            "columns": exports.column_help(),
        },
        status=status,
    )


@allow("people.manage", methods=("GET",))
def export(request, team):
    # Every export is recorded: who took which data out, when (issue 22 item 1).
    record_export("people.export", actor=request.profile, team=request.team, label=request.team.name)
    response = HttpResponse(
        exports.team_workbook(request.team, exporter=request.profile.name),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="people-{request.team.slug}.xlsx"'
    return response
