"""培训 (R-TRAIN-1): the team's sessions, planning, attendance; each person's own training; the manager's view of
every team; and the training opportunity granted as the R-APP-5 reward from the appraisal page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.permissions import allow, teams_for
from dutydesk.redirects import safe_next
from people import queries, rules
from people.forms import AttendanceForm, RewardForm, SessionForm
from people.permissions import may_plan_training, may_record_attendance
from people.services import training as services
from people.views.common import person_or_404, run, search_term


def _session_or_404(request, pk):
    session = queries.session_of_team(request.team, pk)
    if session is None:
        raise Http404
    return session


@allow("people.training", methods=("GET",))
def sessions(request, team):
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    page = Paginator(queries.sessions_of(request.team, when=when), 20).get_page(request.GET.get("page"))
    for session in page:
        session.rate = rules.attendance_rate({"present": session.present, "absent": session.absent})
    return render(
        request,
        "people/training.html",
        {
            "team": request.team,
            "page": page,
            "when": when,
            "may_plan": may_plan_training(request.profile),
            "open_rewards": list(queries.open_rewards(request.team)),
        },
    )


def _session_form(request, session=None):
    day = timezone.localdate(session.starts_at) if session else timezone.localdate()
    people = queries.invitable(request.team, day=day)
    if session is not None:
        return SessionForm(request.POST or None, people=people, initial=SessionForm.initial_of(session))
    return SessionForm(request.POST or None, people=people)


@allow("people.training_plan", methods=("GET", "POST"))
def session_new(request, team):
    form = _session_form(request)
    if request.method == "POST" and form.is_valid():
        ok, session = run(
            request,
            lambda: services.plan_session(
                team=request.team, actor=request.profile, values=form.values(), invitees=form.cleaned_data["invitees"]
            ),
        )
        if ok:
            messages.success(
                request, _("%(topic)s is planned; the invited people were told.") % {"topic": session.topic}
            )
            return redirect("people:session", team=request.team.slug, session=session.pk)
    return render(
        request,
        "people/session_form.html",
        {"team": request.team, "form": form, "session": None},
        status=400 if form.is_bound else 200,
    )


@allow("people.training_plan", methods=("GET", "POST"))
def session_edit(request, team, session):
    session = _session_or_404(request, session)
    form = _session_form(request, session)
    if request.method == "POST" and form.is_valid():
        ok, _saved = run(
            request,
            lambda: services.change_session(
                session, actor=request.profile, values=form.values(), invitees=form.cleaned_data["invitees"]
            ),
            _("The session was saved."),
        )
        if ok:
            return redirect("people:session", team=request.team.slug, session=session.pk)
    return render(
        request,
        "people/session_form.html",
        {"team": request.team, "form": form, "session": session},
        status=400 if form.is_bound else 200,
    )


@allow("people.training", methods=("GET",))
def session(request, team, session):
    session = _session_or_404(request, session)
    invitations = queries.invitations_of(session)
    now = timezone.now()
    return render(
        request,
        "people/session.html",
        {
            "team": request.team,
            "session": session,
            "invitations": invitations,
            "attendance_form": AttendanceForm(invitations=invitations)
            if may_record_attendance(request.profile)
            and rules.attendance_open(starts_at=session.starts_at, now=now)
            and not session.is_cancelled
            else None,
            "may_plan": may_plan_training(request.profile) and session.starts_at > now and not session.is_cancelled,
        },
    )


@allow("people.training", methods=("POST",))
def attendance(request, team, session):
    session = _session_or_404(request, session)
    form = AttendanceForm(request.POST, invitations=queries.invitations_of(session))
    if not form.is_valid():
        messages.error(request, _("Choose present, absent or excused for everyone; nothing was saved."))
    else:
        ok, changed = run(
            request, lambda: services.record_attendance(session, actor=request.profile, marks=form.marks())
        )
        if ok:
            messages.success(request, _("Attendance saved (%(count)d changed).") % {"count": changed})
    return redirect("people:session", team=request.team.slug, session=session.pk)


@allow("people.training_plan", methods=("POST",))
def session_cancel(request, team, session):
    session = _session_or_404(request, session)
    run(
        request,
        lambda: services.cancel_session(session, actor=request.profile),
        _("%(topic)s was cancelled; the invited people were told.") % {"topic": session.topic},
    )
    return redirect("people:session", team=request.team.slug, session=session.pk)


@allow("people.own", methods=("GET",))
def mine(request):
    profile = request.profile
    return render(
        request,
        "people/mine.html",
        {
            "profile": profile,
            "upcoming": queries.my_invitations(profile),
            "history": queries.training_history(profile),
            "protections": queries.protection_periods(profile),
        },
    )


@allow("people.training_overview", methods=("GET",))
def overview(request):
    search = search_term(request)
    page = Paginator(queries.training_overview(teams_for(request.user), search=search), 50).get_page(
        request.GET.get("page")
    )
    for person in page:
        person.rate = rules.attendance_rate({"present": person.present, "absent": person.absent})
    return render(request, "people/overview.html", {"page": page, "search": search})


@allow("people.reward", methods=("POST",))
def grant_reward(request, team, month, person):
    """From the appraisal month (R-APP-5): back to the page the button was on."""
    profile = person_or_404(request, person)
    form = RewardForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    run(
        request,
        lambda: services.grant_training_reward(
            team=request.team, month=month, profile=profile, actor=request.profile, note=note
        ),
        _("A training opportunity was granted to %(name)s; it shows in the training history.") % {"name": profile.name},
    )
    return redirect(safe_next(request, reverse("appraisal:month", kwargs={"team": request.team.slug, "month": month})))
