"""Leave and swap pages: file, follow and withdraw one's own requests; the lead's and supervisor's queue; the
decisions. Each action view: load, check, validate the form, call one service, say what happened, redirect."""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.models import Role
from dutydesk.permissions import allow
from dutydesk.redirects import safe_next
from leave import coverage, kinds, queries, services
from leave import permissions as perms
from leave.forms import (
    EmergencyCallForm,
    FinalApprovalForm,
    GiveShiftForm,
    LeaveForm,
    NoteForm,
    ReasonForm,
    SwapForm,
)
from leave.models import LeaveRequest, LeaveState, SwapRequest, SwapState
from leave.services import RequestError
from roster import queries as roster_queries

# --- a person's own ------------------------------------------------------------------------------------------


@allow("leave.mine", methods=("GET",))
def my_requests(request):
    profile = request.profile
    page = Paginator(queries.my_requests(profile), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "leave/mine.html",
        {
            "page": page,
            "to_answer": queries.swaps_to_answer(profile),
            "calls": queries.my_open_calls(profile),
        },
    )


@allow("leave.mine", methods=("GET", "POST"))
def leave_new(request):
    profile = request.profile
    # Today's shifts stay listed: an emergency leave is written up to an hour after the start (R-LEAVE-3).
    shifts = [a.duty_shift for a in coverage.upcoming_shifts(profile, today=timezone.localdate())]
    colleagues = list(roster_queries.duty_staff(profile.team).exclude(pk=profile.pk))
    initial = {"shifts": [int(request.GET["shift"])] if request.GET.get("shift", "").isdigit() else []}
    if kinds.is_available(request.GET.get("kind", "")):  # e.g. ?kind=comp_time from the comp-time page
        initial["kind"] = request.GET["kind"]
    form = LeaveForm(request.POST or None, shifts=shifts, colleagues=colleagues, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            leave = services.request_leave(
                profile=profile,
                duty_shift_ids=data["shifts"],
                kind=data["kind"],
                reason=data["reason"],
                proposed_substitute_id=data["proposed_substitute"],
            )
        except RequestError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your leave request was filed; it waits for the team lead."))
            return redirect("leave:leave-detail", team=leave.team.slug, leave=leave.pk)
    return render(
        request,
        "leave/leave_form.html",
        {
            "form": form,
            "calls": queries.my_open_calls(profile),
            "notice_hours": roster_queries.settings_for(profile.team).leave_notice_hours,
        },
    )


@allow("leave.mine", methods=("GET", "POST"))
def swap_new(request):
    profile = request.profile
    now = timezone.now()
    mine = [
        a.duty_shift
        for a in coverage.upcoming_shifts(profile, today=timezone.localdate())
        if a.duty_shift.starts_at > now
    ]
    give_id = request.POST.get("give") or request.GET.get("give")
    give = next((s for s in mine if str(s.pk) == give_id), None)
    options = coverage.swap_options(profile, give, now=now) if give else None
    form = SwapForm(
        request.POST or None, options=options.offered if options else [], initial={"give": give.pk if give else None}
    )
    if request.method == "POST":
        if give is None:
            messages.error(request, _("You can only swap your own shifts that have not started."))
            return redirect("leave:swap-new")
        if form.is_valid():
            colleague_id, take_id = form.choice()
            try:
                swap = services.propose_swap(
                    profile=profile,
                    give_shift_id=give.pk,
                    colleague_id=colleague_id,
                    take_shift_id=take_id,
                    reason=form.cleaned_data["reason"],
                )
            except RequestError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Your swap was proposed; %(name)s is asked to accept it.") % {"name": swap.colleague.name},
                )
                return redirect("leave:swap-detail", team=swap.team.slug, swap=swap.pk)
    return render(
        request,
        "leave/swap_form.html",
        {
            "choose": GiveShiftForm(initial={"give": give.pk if give else None}, shifts=mine),
            "give": give,
            "options": options,
            "form": form,
        },
    )


# --- the approvers ---------------------------------------------------------------------------------------------


@allow("leave.review", methods=("GET",))
def queue(request, team):
    profile = request.profile
    months = coverage.Months()  # each month read once for the queue and the under-covered shifts
    waiting = coverage.queue_for(request.team, profile, months=months)
    staff = list(roster_queries.duty_staff(request.team))
    is_supervisor = profile.role == Role.SUPERVISOR
    for item in waiting["leaves"]:
        item.form = FinalApprovalForm(item=item, staff=staff, prefix=f"l{item.leave.pk}") if is_supervisor else None
    short = coverage.under_covered(request.team, today=timezone.localdate(), months=months) if is_supervisor else []
    return render(
        request,
        "leave/queue.html",
        {
            "waiting": waiting,
            "is_supervisor": is_supervisor,
            "is_lead": profile.role == Role.LEAD,
            "decided": queries.decided(request.team),
            "under_covered": short,
        },
    )


@allow("leave.emergency", methods=("GET", "POST"))
def emergency_new(request, team):
    now = timezone.now()
    people = list(roster_queries.duty_staff(request.team).exclude(pk=request.profile.pk))
    # R-LEAVE-3: a call comes in before the shift or within its first hour.
    shifts = list(roster_queries.shifts_starting(request.team, now - timedelta(hours=1), now + timedelta(days=3)))
    form = EmergencyCallForm(
        request.POST or None,
        people=people,
        shifts=shifts,
        initial={"called_at": timezone.localtime(now).strftime("%Y-%m-%dT%H:%M")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_emergency_call(
                actor=request.profile,
                profile_id=data["profile"],
                duty_shift_id=data["duty_shift"],
                called_at=data["called_at"],
                said=data["said"],
            )
        except RequestError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "The call is recorded; the agent must file the written request within an "
                    "hour after the shift starts."
                ),
            )
            return redirect("leave:requests-queue", team=request.team.slug)
    return render(request, "leave/emergency_form.html", {"form": form})


# --- one request -------------------------------------------------------------------------------------------------


def _visible(request, model, pk):
    obj = get_object_or_404(model.objects.select_related("team", "profile"), pk=pk, team=request.team)
    if not perms.can_view(request.profile, obj):
        raise Http404  # another person's request: not even its existence is told
    return obj


@allow("leave.view", methods=("GET",))
def leave_detail(request, team, leave):
    leave = _visible(request, LeaveRequest, leave)
    item = coverage.leave_items([queries.leave_requests().get(pk=leave.pk)])[0]
    profile = request.profile
    can_lead = leave.state == LeaveState.AWAITING_LEAD and perms.can_decide_leave_as_lead(profile, leave)
    can_supervise = leave.state == LeaveState.AWAITING_SUPERVISOR and perms.can_decide_leave_as_supervisor(
        profile, leave
    )
    final = (
        FinalApprovalForm(item=item, staff=list(roster_queries.duty_staff(leave.team)), prefix=f"l{leave.pk}")
        if can_supervise
        else None
    )
    return render(
        request,
        "leave/leave_detail.html",
        {
            "item": item,
            "leave": item.leave,
            "can_decide": can_lead or can_supervise,
            "final": final,
            "can_withdraw": item.leave.is_open and profile.pk == leave.profile_id,
            "call": getattr(item.leave, "emergency_call", None) if item.leave.emergency else None,
        },
    )


@allow("leave.view", methods=("GET",))
def swap_detail(request, team, swap):
    swap = _visible(request, SwapRequest, swap)
    swap = queries.swap_requests().get(pk=swap.pk)
    profile = request.profile
    return render(
        request,
        "leave/swap_detail.html",
        {
            "swap": swap,
            "can_answer": swap.state == SwapState.AWAITING_COLLEAGUE and profile.pk == swap.colleague_id,
            "can_record": swap.state == SwapState.AWAITING_LEAD and perms.can_record_swap(profile, swap),
            "can_withdraw": swap.is_open and profile.pk == swap.profile_id,
        },
    )


# --- decisions (POST) --------------------------------------------------------------------------------------------


def _act(request, call, success: str):
    try:
        call()
    except RequestError as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


def _back(request, default):
    return redirect(safe_next(request, default))


@allow("leave.review", methods=("POST",))
def leave_decide(request, team, leave):
    leave = _visible(request, LeaveRequest, leave)
    profile = request.profile
    decision = request.POST.get("decision")
    detail = redirect("leave:leave-detail", team=request.team.slug, leave=leave.pk)
    if decision == "reject":
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason for the rejection."))
            return _back(request, detail.url)
        _act(
            request,
            lambda: services.reject_leave(leave, actor=profile, reason=form.cleaned_data["reason"]),
            _("The leave request was rejected; %(name)s is told why.") % {"name": leave.profile.name},
        )
        return _back(request, detail.url)
    if decision != "approve":
        messages.error(request, _("Choose approve or reject."))
        return _back(request, detail.url)
    if profile.role == Role.LEAD:
        note = NoteForm(request.POST)
        note.is_valid()
        _act(
            request,
            lambda: services.approve_leave_as_lead(leave, actor=profile, note=note.cleaned_data.get("note", "")),
            _("Approved; the request now waits for the supervisor."),
        )
        return _back(request, detail.url)
    item = coverage.leave_items([queries.leave_requests().get(pk=leave.pk)])[0]
    form = FinalApprovalForm(
        request.POST, item=item, staff=list(roster_queries.duty_staff(leave.team)), prefix=f"l{leave.pk}"
    )
    if not form.is_valid():
        messages.error(request, _("Choose a substitute from the list (or none)."))
        return _back(request, detail.url)
    _act(
        request,
        lambda: services.approve_leave_as_supervisor(
            leave, actor=profile, substitutes=form.substitutes(), note=form.cleaned_data["note"]
        ),
        _("Approved; the roster is changed and everyone affected is notified."),
    )
    return _back(request, detail.url)


@allow("leave.view", methods=("POST",))  # the service checks it is their request
def leave_withdraw(request, team, leave):
    leave = _visible(request, LeaveRequest, leave)
    _act(request, lambda: services.withdraw_request(leave, actor=request.profile), _("Your request was withdrawn."))
    return redirect("leave:leave-detail", team=request.team.slug, leave=leave.pk)


@allow("leave.view", methods=("POST",))  # the service checks it is their request
def swap_answer(request, team, swap):
    swap = _visible(request, SwapRequest, swap)
    detail = redirect("leave:swap-detail", team=request.team.slug, swap=swap.pk)
    note = request.POST.get("note", "")[:1000]
    if request.POST.get("decision") == "accept":
        _act(
            request,
            lambda: services.accept_swap(swap, actor=request.profile, note=note),
            _("You accepted the swap; it waits for the team lead to record it."),
        )
    elif request.POST.get("decision") == "decline":
        _act(
            request,
            lambda: services.decline_swap(swap, actor=request.profile, reason=note),
            _("You declined the swap."),
        )
    else:
        messages.error(request, _("Choose accept or decline."))
    return detail


@allow("leave.view", methods=("POST",))  # the service checks it is their request
def swap_withdraw(request, team, swap):
    swap = _visible(request, SwapRequest, swap)
    _act(request, lambda: services.withdraw_request(swap, actor=request.profile), _("Your request was withdrawn."))
    return redirect("leave:swap-detail", team=request.team.slug, swap=swap.pk)


@allow("leave.record", methods=("POST",))
def swap_decide(request, team, swap):
    swap = _visible(request, SwapRequest, swap)
    detail = redirect("leave:swap-detail", team=request.team.slug, swap=swap.pk)
    note = request.POST.get("note", "")[:1000]
    if request.POST.get("decision") == "record":
        _act(
            request,
            lambda: services.record_swap(swap, actor=request.profile, note=note),
            _("The swap is recorded; the roster is changed."),
        )
    elif request.POST.get("decision") == "reject":
        _act(
            request, lambda: services.reject_swap(swap, actor=request.profile, reason=note), _("The swap was rejected.")
        )
    else:
        messages.error(request, _("Choose record or reject."))
    return _back(request, detail.url)
