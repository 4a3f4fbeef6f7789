"""团队成员: the team's people (supervisors for their teams, managers for all): list, add, edit, move, leavers,
activation links."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.permissions import allow, teams_for
from people import queries
from people.forms import LeaveForm, MoveForm, PersonForm, ProtectionForm
from people.permissions import is_duty_member
from people.services import members as services
from people.views.common import person_or_404, run, search_term

STATUSES = (queries.ACTIVE, queries.LEFT, queries.ALL)


def _person_url(request, profile) -> str:
    return reverse("people:person", kwargs={"team": request.team.slug, "person": profile.pk})


@allow("people.manage", methods=("GET",))
def members(request, team):
    search = search_term(request)
    status = request.GET.get("status") if request.GET.get("status") in STATUSES else queries.ACTIVE
    page = Paginator(queries.members(request.team, search=search, status=status), 50).get_page(request.GET.get("page"))
    return render(
        request, "people/members.html", {"team": request.team, "page": page, "search": search, "status": status}
    )


@allow("people.manage", methods=("GET", "POST"))
def person_add(request, team):
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, profile = run(
            request,
            lambda: services.add_person(
                team=request.team,
                actor=request.profile,
                name=data["name"],
                employee_number=data["employee_number"],
                role=data["role"],
                email=data["email"],
                phone=data["phone"],
                hire_date=data["hire_date"],
                qualified=not data["new_hire"],
                skills=data["skills"],
                wecom_id=data["wecom_id"],
                dingtalk_id=data["dingtalk_id"],
                feishu_id=data["feishu_id"],
                base_url=request.build_absolute_uri("/"),
            ),
        )
        if ok:
            messages.success(
                request,
                _("%(name)s was added. Pass on the activation link below; with an e-mail address it was sent too.")
                % {"name": profile.name},
            )
            return redirect(_person_url(request, profile))
    return render(
        request,
        "people/person_form.html",
        {"team": request.team, "form": form, "profile": None},
        status=400 if form.is_bound else 200,
    )


@allow("people.manage", methods=("GET",))
def person(request, team, person):
    profile = person_or_404(request, person)
    context = {"team": request.team, "profile": profile, **queries.person_page(profile)}
    if is_duty_member(profile):
        context["protection_form"] = ProtectionForm()
        context["move_form"] = MoveForm(teams=teams_for(request.user).exclude(pk=request.team.pk).order_by("name"))
        context["leave_form"] = LeaveForm(initial={"left_on": profile.left_on or timezone.localdate()})
    if context["needs_activation"]:
        # Made afresh for each showing; any copy works once, until the password is set.
        context["activation_link"] = request.build_absolute_uri(services.activation_path(profile.user))
    return render(request, "people/person.html", context)


@allow("people.manage", methods=("GET", "POST"))
def person_edit(request, team, person):
    profile = person_or_404(request, person)
    role_fixed = not is_duty_member(profile)
    initial = {name: getattr(profile, name) for name in services.EDITED}
    initial.update(email=profile.user.email, skills=list(profile.skills.all()), stamp=services.stamp(profile))
    form = PersonForm(request.POST or None, initial=initial, editing=True, role_fixed=role_fixed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {name: data[name] for name in services.EDITED if name in data}
        values["email"] = data["email"]
        ok, changed = run(
            request,
            lambda: services.update_person(
                profile,
                actor=request.profile,
                values=values,
                skills=data["skills"],
                expected_stamp=data["stamp"] or None,
            ),
        )
        if ok:
            if changed:
                messages.success(request, _("%(name)s was saved.") % {"name": data["name"]})
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(_person_url(request, profile))
        # Stale or refused: show the person as they are now.
        profile = person_or_404(request, person)
        form = PersonForm(
            initial={**initial, **{n: getattr(profile, n) for n in services.EDITED}, "stamp": services.stamp(profile)},
            editing=True,
            role_fixed=role_fixed,
        )
    return render(
        request,
        "people/person_form.html",
        {"team": request.team, "form": form, "profile": profile},
        status=400 if form.is_bound and form.errors else 200,
    )


@allow("people.manage", methods=("POST",))
def person_move(request, team, person):
    profile = person_or_404(request, person)
    form = MoveForm(request.POST, teams=teams_for(request.user).exclude(pk=request.team.pk))
    if not form.is_valid():
        messages.error(request, _("Choose a team you may manage."))
        return redirect(_person_url(request, profile))
    to_team = form.cleaned_data["team"]
    ok, _moved = run(
        request,
        lambda: services.move_person(profile, actor=request.profile, to_team=to_team),
        _("%(name)s moved to %(team)s.") % {"name": profile.name, "team": to_team.name},
    )
    if ok:
        return redirect("people:person", team=to_team.slug, person=profile.pk)
    return redirect(_person_url(request, profile))


@allow("people.manage", methods=("POST",))
def person_leave(request, team, person):
    profile = person_or_404(request, person)
    form = LeaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the person leaves."))
        return redirect(_person_url(request, profile))
    ok, flagged = run(
        request,
        lambda: services.mark_left(
            profile, actor=request.profile, left_on=form.cleaned_data["left_on"], note=form.cleaned_data["note"]
        ),
    )
    if ok:
        messages.success(
            request,
            _("%(name)s leaves on %(date)s.")
            % {"name": profile.name, "date": f"{form.cleaned_data['left_on']:%Y-%m-%d}"},
        )
        if flagged:
            messages.warning(
                request,
                _("%(count)d shift(s) in published rosters after that date are flagged: revise the roster.")
                % {"count": len(flagged)},
            )
    return redirect(_person_url(request, profile))


@allow("people.manage", methods=("POST",))
def person_stay(request, team, person):
    profile = person_or_404(request, person)
    run(
        request,
        lambda: services.withdraw_leaving(profile, actor=request.profile),
        _("%(name)s stays: on duty again and the account open.") % {"name": profile.name},
    )
    return redirect(_person_url(request, profile))


@allow("people.manage", methods=("POST",))
def person_activation(request, team, person):
    profile = person_or_404(request, person)
    if not services.needs_activation(profile.user):
        messages.info(request, _("%(name)s has already set a password.") % {"name": profile.name})
    elif not profile.user.email:
        messages.error(
            request, _("%(name)s has no e-mail address; pass on the link shown here.") % {"name": profile.name}
        )
    else:
        services.queue_activation_email(profile, base_url=request.build_absolute_uri("/"))
        messages.success(request, _("The activation link is on its way to %(email)s.") % {"email": profile.user.email})
    return redirect(_person_url(request, profile))
