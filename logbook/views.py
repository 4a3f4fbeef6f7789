"""The duty day's pages: thin views that load, check, call one service, then message and redirect."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk import months
from dutydesk.models import Role
from dutydesk.permissions import allow, can, teams_for
from dutydesk.redirects import safe_next
from logbook import forms, privacy, queries, rules, services
from logbook.models import Entry, Handover, Logbook
from logbook.permissions import can_review, may_reveal
from logbook.queries import equipment_of
from logbook.services import DutyError
from roster.models import DutyShift

SEARCH_MAX_PAGES = 400


def _today_url(request):
    return reverse("logbook:today", kwargs={"team": request.team.slug})


def _logbook(request, pk) -> Logbook:
    return get_object_or_404(
        Logbook.objects.select_related("duty_shift__shift_type", "profile", "team"), pk=pk, team=request.team
    )


def _run(request, action, success: str):
    """Call a service; show its refusal as an error message, or `success`."""
    try:
        result = action()
    except DutyError as error:
        messages.error(request, str(error))
        return None
    if success:
        messages.success(request, success)
    return result or True


# --- the agent's duty page ------------------------------------------------------------------------------------


def _duty_context(request, *, entry_form=None) -> dict:
    """The duty page's data (logbook.queries.duty_page) and the forms it offers."""
    page = queries.duty_page(request.profile, request.team, now=timezone.now())
    context = {**page, "answer_form": forms.AnswerForm(), "progress_form": forms.ProgressForm()}
    if page["on_duty"]:
        context.update(
            entry_form=entry_form or forms.EntryForm(),
            equipment_form=forms.EquipmentForm(
                equipment=page["equipment"], initial={"items": page["logbook"].equipment_checked}
            ),
            late_form=forms.LateExplanationForm(),
            leave_post_form=forms.LeavePostForm(),
            sign_out_form=forms.SignOutForm(),
        )
    unfinished = page["unfinished"]
    if unfinished is not None:
        context.update(
            summary_form=forms.SummaryForm(
                initial={"hot_issues": unfinished.hot_issues, "suggestions": unfinished.suggestions}
            ),
            report_form=forms.ReportForm(),
        )
    return context


@allow("logbook.duty", methods=("GET",))
def today(request, team):
    return render(request, "logbook/today.html", _duty_context(request))


@allow("logbook.acknowledge", methods=("GET", "POST"))
def acknowledgement(request, team):
    """R-ATT-6: the discipline acknowledgement (纪律确认书), signed once."""
    if request.method == "POST":
        services.sign_discipline_acknowledgement(profile=request.profile)
        messages.success(request, _("Thank you: the discipline acknowledgement is signed."))
        return redirect(_today_url(request))
    signed = queries.acknowledgement_of(request.profile)
    return render(request, "logbook/acknowledgement.html", {"signed": signed})


@allow("logbook.duty", methods=("POST",))
def sign_in(request, team, duty_shift):
    shift = get_object_or_404(DutyShift, pk=duty_shift, team=request.team)
    logbook = _run(request, lambda: services.sign_in(shift, profile=request.profile), "")
    if logbook:
        if logbook.late_minutes:
            messages.warning(
                request,
                _("Signed in %(minutes)d minutes late: file your late explanation.")
                % {"minutes": logbook.late_minutes},
            )
        else:
            messages.success(request, _("Signed in. Check your equipment and read the open items."))
    return redirect(_today_url(request))


def _refused(request, form) -> None:
    messages.error(
        request,
        _("Please correct the form: %(errors)s")
        % {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)},
    )


# Each action below is POST-only on the person's own logbook of this team: validate, call one service, go back to
# the duty page with the outcome as a message.


@allow("logbook.duty", methods=("POST",))
def late_explanation(request, team, logbook):
    book = _logbook(request, logbook)
    form = forms.LateExplanationForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
    else:
        _run(
            request,
            lambda: services.file_late_explanation(
                book, profile=request.profile, explanation=form.cleaned_data["explanation"]
            ),
            _("Late explanation filed."),
        )
    return redirect(_today_url(request))


@allow("logbook.duty", methods=("POST",))
def night_break(request, team, logbook):
    book = _logbook(request, logbook)
    _run(request, lambda: services.take_night_break(book, profile=request.profile), _("Break recorded: 10 minutes."))
    return redirect(_today_url(request))


@allow("logbook.duty", methods=("POST",))
def leave_post(request, team, logbook):
    """R-ATT-4: leaving the post during the shift, with notice to the lead and supervisor."""
    book = _logbook(request, logbook)
    form = forms.LeavePostForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
    else:
        _run(
            request,
            lambda: services.leave_post(book, profile=request.profile, reason=form.cleaned_data["reason"]),
            _("Leaving the post is recorded and your lead and supervisor are told."),
        )
    return redirect(_today_url(request))


@allow("logbook.duty", methods=("POST",))
def back(request, team, logbook):
    book = _logbook(request, logbook)
    _run(
        request,
        lambda: services.return_to_post(book, profile=request.profile),
        _("Welcome back: the time is recorded."),
    )
    return redirect(_today_url(request))


@allow("logbook.duty", methods=("POST",))
def sign_out(request, team, logbook):
    book = _logbook(request, logbook)
    form = forms.SignOutForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
    else:
        _run(
            request,
            lambda: services.sign_out(
                book, profile=request.profile, early_leave_reason=form.cleaned_data["early_leave_reason"]
            ),
            _("Signed out. Write the shift summary and submit the logbook."),
        )
    return redirect(_today_url(request))


@allow("logbook.duty", methods=("POST",))
def summary(request, team, logbook):
    book = _logbook(request, logbook)
    form = forms.SummaryForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
    else:
        _run(
            request,
            lambda: services.write_summary(book, profile=request.profile, **form.cleaned_data),
            _("Summary saved."),
        )
    return redirect(_today_url(request))


@allow("logbook.duty", methods=("POST",))
def submit(request, team, logbook):
    book = _logbook(request, logbook)
    _run(
        request,
        lambda: services.submit_logbook(book, profile=request.profile),
        _("Logbook submitted to the supervisor."),
    )
    return redirect(_today_url(request))


@allow("logbook.duty", methods=("POST",))
def report(request, team, logbook):
    book = _logbook(request, logbook)
    form = forms.ReportForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
    else:
        _run(
            request,
            lambda: services.escalate_report(book, profile=request.profile, **form.cleaned_data),
            _("Report sent to the supervisor and the manager."),
        )
    return redirect(_today_url(request))


@allow("logbook.duty", methods=("POST",))
def equipment_check(request, team, logbook):
    book = _logbook(request, logbook)
    expected = equipment_of(request.team)
    form = forms.EquipmentForm(request.POST, equipment=expected)
    form.is_valid()
    _run(
        request,
        lambda: services.check_equipment(
            book, profile=request.profile, items=form.cleaned_data.get("items", []), expected=expected
        ),
        _("Equipment checked."),
    )
    return redirect(_today_url(request))


@allow("logbook.duty", methods=("POST",))
def entry_new(request, team, logbook):
    """Write an entry; on any error the page comes back with what was typed (and the same token)."""
    book = _logbook(request, logbook)
    form = forms.EntryForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        token = data.pop("client_token")
        try:
            entry, created = services.record_entry(book, author=request.profile, client_token=token, data=data)
        except DutyError as error:
            form.add_error(None, str(error))
        else:
            if created:
                messages.success(request, _("Entry saved: %(entry)s") % {"entry": entry})
            else:
                messages.info(request, _("This entry was already saved; it was not written twice."))
            return redirect(_today_url(request) + "#entry-form")
    return render(request, "logbook/today.html", _duty_context(request, entry_form=form), status=400)


def _entry(request, pk) -> Entry:
    return get_object_or_404(
        Entry.objects.select_related("author", "logbook__duty_shift__shift_type", "answered_by"),
        pk=pk,
        team=request.team,
    )


@allow("logbook.view", methods=("GET",))
def entry_detail(request, team, entry):
    return _entry_page(request, _entry(request, entry))


@allow("logbook.reveal", methods=("POST",))
def entry_reveal(request, team, entry):
    """R-PIPL-2: with a reason, this response shows the entry's customer data whole; the reveal is recorded first.
    The next page (a reload, a link) is masked again: every look needs its own reason."""
    item = _entry(request, entry)
    form = forms.RevealForm(request.POST)
    if not form.is_valid():
        return _entry_page(request, item, reveal_form=form, status=400)
    try:
        privacy.reveal_entry(item, viewer=request.profile, reason=form.cleaned_data["reason"])
    except DutyError as error:
        messages.error(request, str(error))
        return _entry_page(request, item, reveal_form=form, status=403)
    return _entry_page(request, item, revealed=True)


def _entry_page(request, item: Entry, *, revealed: bool = False, reveal_form=None, status: int = 200):
    mine_on_duty = item.author_id == request.profile.pk and item.logbook.is_on_duty
    edit_form = None
    # The correction form holds the whole values, so it comes only with a reveal (R-PIPL-1: masked by default).
    if mine_on_duty and revealed:
        edit_form = forms.EntryForm(
            initial={
                **{name: getattr(item, name) for name in services.ENTRY_FIELDS},
                "client_token": item.client_token,
                "promised_reply_at": timezone.localtime(item.promised_reply_at) if item.promised_reply_at else None,
            }
        )
    return render(
        request,
        "logbook/entry.html",
        {
            "entry": item,
            "edit_form": edit_form,
            "may_act": request.profile.team_id == item.team_id and request.profile.role in (Role.AGENT, Role.LEAD),
            "answer_form": forms.AnswerForm(),
            "progress_form": forms.ProgressForm(),
            "may_reveal": may_reveal(request.profile, item) and can(request.user, "logbook.reveal"),
            "reveal_form": reveal_form or forms.RevealForm(),
            "revealed_entry_id": item.pk if revealed else None,
            "mine_on_duty": mine_on_duty,
        },
        status=status,
    )


@allow("logbook.retention")
def retention(request):
    """R-PIPL-3: the company's retention period, what the next run would remove, and the runs so far."""
    policy = privacy.retention_policy()
    form = forms.RetentionForm(request.POST or None, initial={"days": policy.days})
    if request.method == "POST":
        if request.POST.get("dry_run"):
            run = privacy.purge_personal_data(actor=request.profile, dry_run=True)
            messages.info(
                request, _("Dry run: personal data would be removed from %(count)d entries.") % {"count": run.entries}
            )
            return redirect("logbook:retention")
        if form.is_valid():
            try:
                privacy.set_retention_days(actor=request.profile, days=form.cleaned_data["days"])
            except DutyError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Retention period saved."))
                return redirect("logbook:retention")
    return render(
        request,
        "logbook/retention.html",
        {
            "form": form,
            "policy": policy,
            "due": privacy.entries_due_count(),
            "runs": queries.retention_runs_page(request.GET.get("page")),
        },
    )


@allow("logbook.duty", methods=("POST",))
def entry_edit(request, team, entry):
    item = _entry(request, entry)
    form = forms.EntryForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
    else:
        data = dict(form.cleaned_data)
        data.pop("client_token")
        _run(request, lambda: services.update_entry(item, editor=request.profile, data=data), _("Entry updated."))
    return redirect("logbook:entry", team=request.team.slug, entry=item.pk)


@allow("logbook.duty", methods=("POST",))
def entry_answer(request, team, entry):
    item = _entry(request, entry)
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
    else:
        _run(
            request,
            lambda: services.answer_entry(item, profile=request.profile, **form.cleaned_data),
            _("The open item is answered and closed."),
        )
    return redirect(safe_next(request, _today_url(request)))


@allow("logbook.duty", methods=("POST",))
def entry_progress(request, team, entry):
    item = _entry(request, entry)
    form = forms.ProgressForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
    else:
        _run(
            request,
            lambda: services.add_progress(item, profile=request.profile, note=form.cleaned_data["note"]),
            _("Progress note added."),
        )
    return redirect(safe_next(request, _today_url(request)))


# --- handover (R-LOG-5) ---------------------------------------------------------------------------------------


@allow("logbook.duty", methods=("POST",))
def handover_start(request, team, logbook):
    book = _logbook(request, logbook)
    handover = _run(request, lambda: services.prepare_handover(book, profile=request.profile), "")
    if handover:
        return redirect("logbook:handover", team=request.team.slug, handover=handover.pk)
    return redirect(_today_url(request))


def _handover(request, pk) -> Handover:
    return get_object_or_404(
        Handover.objects.select_related("outgoing", "incoming", "from_shift__shift_type", "to_shift__shift_type"),
        pk=pk,
        team=request.team,
    )


def _handover_page(request, item, form=None, status=200):
    editable = item.outgoing_id == request.profile.pk and item.outgoing_signed_at is None
    if editable and form is None:
        form = forms.HandoverForm(
            initial={
                "open_items": item.open_items,
                "important": item.important,
                "notes": item.notes,
                "based_on": services.handover_digest(item),
            }
        )
    return render(
        request,
        "logbook/handover.html",
        {
            "handover": item,
            "editable": editable,
            "form": form if editable else None,
            "may_sign_incoming": item.outgoing_signed_at is not None
            and item.incoming_signed_at is None
            and item.outgoing_id != request.profile.pk
            and request.profile.role in (Role.AGENT, Role.LEAD),
        },
        status=status,
    )


@allow("logbook.view", methods=("GET",))
def handover(request, team, handover):
    return _handover_page(request, _handover(request, handover))


def _outgoing_write(request, item, write, success: str):
    """Save (or save and sign) the outgoing agent's form. Anything refused comes back with what was typed."""
    form = forms.HandoverForm(request.POST)
    if not form.is_complete():
        messages.error(request, _("This page is out of date; reload it and try again. Nothing was changed."))
        return redirect("logbook:handover", team=request.team.slug, handover=item.pk)
    if form.is_valid():
        try:
            write(form.text(), form.cleaned_data["based_on"] or None)
        except DutyError as error:
            item.refresh_from_db()
            if item.outgoing_signed_at is not None and form.text() == {
                "open_items": item.open_items,
                "important": item.important,
                "notes": item.notes,
            }:
                messages.info(request, _("Signed as outgoing agent."))  # a double click: the first one signed
                return redirect("logbook:handover", team=request.team.slug, handover=item.pk)
            if item.outgoing_signed_at is not None or item.outgoing_id != request.profile.pk:
                messages.error(request, str(error))  # no form to come back to: the handover is signed
                return redirect("logbook:handover", team=request.team.slug, handover=item.pk)
            form.add_error(None, str(error))
        else:
            messages.success(request, success)
            return redirect("logbook:handover", team=request.team.slug, handover=item.pk)
    return _handover_page(request, item, form=form, status=400)


@allow("logbook.duty", methods=("POST",))
def handover_save(request, team, handover):
    item = _handover(request, handover)
    return _outgoing_write(
        request,
        item,
        lambda text, based_on: services.save_handover(item, profile=request.profile, based_on=based_on, **text),
        _("Handover saved."),
    )


@allow("logbook.duty", methods=("POST",))
def handover_sign(request, team, handover):
    """Each signs only for themselves: the outgoing agent as outgoing (saving what the form holds in the same
    step, so text typed but not saved is never lost), anyone else as incoming."""
    item = _handover(request, handover)
    if item.outgoing_id == request.profile.pk:
        return _outgoing_write(
            request,
            item,
            lambda text, based_on: services.sign_handover_outgoing(
                item, profile=request.profile, text=text, based_on=based_on
            ),
            _("Signed as outgoing agent."),
        )
    _run(
        request,
        lambda: services.sign_handover_incoming(item, profile=request.profile),
        _("Signed as incoming agent: the handover is complete and locked."),
    )
    return redirect("logbook:handover", team=request.team.slug, handover=item.pk)


# --- leads and supervisors ------------------------------------------------------------------------------------


def _day(request):
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()
    if not months.in_range(day):
        # 9999-12-31 has no next day to link to: a date no duty day can have is not a page.
        raise Http404
    return day


@allow("logbook.read", methods=("GET",))
def board(request, team):
    day = _day(request)
    return render(
        request,
        "logbook/board.html",
        {
            "day": day,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            **queries.board(request.team, day=day, now=timezone.now()),
        },
    )


@allow("logbook.read", methods=("GET",))
def reviews(request, team):
    page = Paginator(queries.logbooks_for_review(request.team), 25).get_page(request.GET.get("page"))
    return render(request, "logbook/reviews.html", {"page": page})


@allow("logbook.read", methods=("GET",))
def logbook_detail(request, team, logbook):
    book = _logbook(request, logbook)
    return render(
        request,
        "logbook/logbook.html",
        {
            "logbook": book,
            "entries": queries.entries_of(book),
            "breaks": book.breaks.all(),
            "reports": book.reports.all(),
            "review_form": forms.ReviewForm(initial={"accuracy": book.accuracy, "note": book.review_note})
            if can_review(request.profile, book) and book.submitted_at
            else None,
        },
    )


@allow("logbook.review", methods=("POST",))
def review(request, team, logbook):
    book = _logbook(request, logbook)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a record-accuracy mark."))
    else:
        _run(
            request,
            lambda: services.review_logbook(book, reviewer=request.profile, **form.cleaned_data),
            _("Review saved."),
        )
    return redirect("logbook:logbook", team=request.team.slug, logbook=book.pk)


@allow("logbook.read", methods=("GET",))
def discipline(request, team):
    since = months.month_start(timezone.localdate()) - timedelta(days=92)
    return render(
        request,
        "logbook/discipline.html",
        {
            "since": since,
            "people": queries.discipline_by_person(request.team, since=since),
            "form": forms.DisciplineForm(people=queries.members(request.team), initial={"date": timezone.localdate()})
            if request.profile.role in (Role.LEAD, Role.SUPERVISOR)
            else None,
        },
    )


@allow("logbook.review", methods=("POST",))
def discipline_add(request, team):
    form = forms.DisciplineForm(request.POST, people=queries.members(request.team))
    if not form.is_valid():
        _refused(request, form)
    else:
        _run(
            request,
            lambda: services.record_discipline(recorded_by=request.profile, **form.cleaned_data),
            _("Discipline record saved."),
        )
    return redirect("logbook:discipline", team=request.team.slug)


@allow("logbook.read", methods=("GET",))
def complaints(request, team):
    period = "month" if request.GET.get("period") == "month" else "week"
    since = timezone.localdate() - timedelta(days=365 if period == "month" else 84)
    return render(
        request,
        "logbook/complaints.html",
        {
            "period": period,
            "since": since,
            "stats": queries.complaint_statistics(request.team, period=period, since=since),
        },
    )


@allow("logbook.read", methods=("GET",))
def search(request, team):
    form = forms.SearchForm(request.GET)
    results, page_number, has_more = [], 1, False
    if form.is_valid() and form.cleaned_data["q"]:
        try:
            page_number = max(1, int(request.GET.get("page", 1)))
        except ValueError:
            page_number = 1
        if page_number > SEARCH_MAX_PAGES:
            # A page past this is a probe (or a bigint overflow of the offset), not a reader.
            raise Http404
        team_ids = teams_for(request.user).values_list("id", flat=True)
        # One row more than shown says whether a next page exists, without counting a million rows.
        found = list(
            queries.search_entries(form.cleaned_data["q"], team_ids=team_ids, limit=26, offset=(page_number - 1) * 25)
        )
        results, has_more = found[:25], len(found) > 25
    return render(
        request,
        "logbook/search.html",
        {
            "form": form,
            "results": results,
            "page_number": page_number,
            "has_more": has_more,
            "query": form.cleaned_data.get("q", "") if form.is_valid() else "",
        },
    )


# --- team settings (supervisors) ------------------------------------------------------------------------------


@allow("logbook.settings", methods=("GET", "POST"))
def equipment(request, team):
    """R-ATT-1: the team's pre-shift checklist. A refused list comes back as typed, with the reason."""
    form = forms.EquipmentItemsForm(request.POST or None)
    if request.method == "POST":
        if "reset" in request.POST:
            result = _run(
                request,
                lambda: services.set_equipment_items(request.team, [], actor=request.profile),
                _("The team uses the default checklist again."),
            )
        elif form.is_valid():
            result = _run(
                request,
                lambda: services.set_equipment_items(request.team, form.cleaned_data["items"], actor=request.profile),
                _("Equipment checklist saved."),
            )
        else:
            result = None
        if result:
            return redirect("logbook:equipment", team=request.team.slug)
    items = equipment_of(request.team)
    uses_default = queries.uses_default_equipment(request.team)
    if not form.is_bound:
        form = forms.EquipmentItemsForm(initial={"items": "\n".join(items)})
    return render(
        request,
        "logbook/equipment.html",
        {"items": items, "uses_default": uses_default, "form": form, "max_items": rules.MAX_EQUIPMENT_ITEMS},
        status=400 if request.method == "POST" else 200,
    )
