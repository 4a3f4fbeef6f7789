"""The company holiday calendar's pages: a year as twelve months, a manager's edits, the notice's import with its
preview (every bad row listed, nothing changed until the file is clean; R-CAL-1)."""

from datetime import date

from django.contrib import messages
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.permissions import allow
from dutydesk.spreadsheets import MAX_UPLOAD_BYTES
from workcalendar import days as plain
from workcalendar import queries, services
from workcalendar.forms import ConfirmImportForm, DayForm, ImportForm, OfficialForm, RemoveDayForm
from workcalendar.models import FIRST_YEAR, LAST_YEAR
from workcalendar.permissions import can_edit_calendar
from workcalendar.services import CalendarError

IMPORT_SALT = "workcalendar.import"
IMPORT_MAX_AGE = 3600  # a preview confirmed within the hour


def _year_or_404(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


@allow("workcalendar.view", methods=("GET",))
def index(request):
    """This year's calendar (the menu's entry)."""
    return _year_page(request, timezone.localdate().year)


@allow("workcalendar.view", methods=("GET",))
def year_view(request, year):
    return _year_page(request, _year_or_404(year))


def _year_page(request, year: int):
    page = queries.year_page(year)
    stamp = page["row"].stamp if page["row"] else services.NOT_STORED
    return render(
        request,
        "workcalendar/year.html",
        {
            **page,
            "number": year,
            "previous": year - 1 if year > FIRST_YEAR else None,
            "next": year + 1 if year < LAST_YEAR else None,
            "known_years": queries.known_years(),
            "may_edit": can_edit_calendar(request.profile),
            "day_form": DayForm(initial={"stamp": stamp}),
            "official_form": OfficialForm(initial={"stamp": stamp}),
            "import_form": ImportForm(),
            "stamp": stamp,
            "provisional_years": [] if page["year"].is_official else [year],
        },
    )


def _back(year: int):
    return redirect("workcalendar:year", year=year)


@allow("workcalendar.edit", methods=("POST",))
def day_save(request, year):
    year = _year_or_404(year)
    form = DayForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(year)
    try:
        revision = services.set_day(
            year=year,
            on=form.cleaned_data["date"],
            kind=form.cleaned_data["kind"],
            name=form.cleaned_data["name"],
            actor=request.profile,
            expected_stamp=form.cleaned_data["stamp"] or None,
        )
    except CalendarError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Day saved.") if revision else _("The day was already so; nothing changed."))
    return _back(year)


@allow("workcalendar.edit", methods=("POST",))
def day_remove(request, year, calendar_day):
    year = _year_or_404(year)
    try:
        on = date.fromisoformat(calendar_day)
    except ValueError:
        raise Http404 from None
    form = RemoveDayForm(request.POST)
    stamp = form.cleaned_data["stamp"] if form.is_valid() else ""
    try:
        revision = services.remove_day(year=year, on=on, actor=request.profile, expected_stamp=stamp or None)
    except CalendarError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(date)s is an ordinary day again.") % {"date": on.isoformat()}
            if revision
            else _("That date was not listed; nothing changed."),
        )
    return _back(year)


@allow("workcalendar.edit", methods=("POST",))
def mark_official(request, year):
    year = _year_or_404(year)
    form = OfficialForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(year)
    try:
        services.mark_official(
            year=year,
            source_title=form.cleaned_data["source_title"],
            source_date=form.cleaned_data["source_date"],
            actor=request.profile,
            expected_stamp=form.cleaned_data["stamp"] or None,
        )
    except CalendarError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The holidays of %(year)s are official.") % {"year": year})
    return _back(year)


@allow("workcalendar.edit", methods=("GET", "POST"))
def import_file(request, year):
    """Upload the notice's file: the preview lists every bad row, or what the file would change, and asks to
    confirm. Nothing is written here."""
    year = _year_or_404(year)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"number": year, "form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            messages.error(
                request,
                _("The file is larger than %(size)d MB; a year's calendar is a few kilobytes. Nothing was imported.")
                % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
            return render(request, "workcalendar/import.html", context)
        try:
            check = services.check_import(
                file_name=upload.name,
                content=upload.read(),
                year=year,
                source_title=form.cleaned_data["source_title"],
                source_date=form.cleaned_data["source_date"],
            )
        except CalendarError as error:
            messages.error(request, _("%(problem)s Nothing was imported.") % {"problem": error})
            return render(request, "workcalendar/import.html", context)
        context["check"] = check
        context["file_name"] = upload.name
        if check.is_clean:
            row = queries.year_row(year)
            context["confirm_form"] = ConfirmImportForm(
                initial={
                    "token": signing.dumps(
                        {
                            "year": year,
                            "days": [[on.isoformat(), d.kind, d.name] for on, d in sorted(check.days.items())],
                            "title": check.source_title,
                            "date": check.source_date.isoformat() if check.source_date else None,
                            "stamp": str(row.stamp) if row else services.NOT_STORED,
                        },
                        salt=IMPORT_SALT,
                        compress=True,
                    )
                }
            )
    return render(request, "workcalendar/import.html", context)


@allow("workcalendar.edit", methods=("POST",))
def import_confirm(request, year):
    year = _year_or_404(year)
    form = ConfirmImportForm(request.POST)
    try:
        data = signing.loads(form.data.get("token", ""), salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("This preview is too old or was changed; import the file again."))
        return redirect("workcalendar:import", year=year)
    if data.get("year") != year:
        raise Http404
    try:
        revision = services.import_calendar(
            year=year,
            days={date.fromisoformat(on): plain.Day(kind, name) for on, kind, name in data["days"]},
            source_title=data["title"],
            source_date=date.fromisoformat(data["date"]) if data.get("date") else None,
            actor=request.profile,
            expected_stamp=data["stamp"] or None,
        )
    except CalendarError as error:
        messages.error(request, str(error))
        return redirect("workcalendar:import", year=year)
    if revision is None:
        messages.info(
            request, _("The calendar of %(year)s already is as in this file; nothing changed.") % {"year": year}
        )
    else:
        messages.success(
            request,
            _(
                "The calendar of %(year)s is imported and official: %(count)s date(s) changed. The supervisors whose "
                "rosters or duty hours it touches have been told."
            )
            % {"year": year, "count": len(revision.changes)},
        )
    return _back(year)
