"""The marketplace's pages: a team's board, an offer with its claims in fair order (and, for its poster, leads
and supervisors, who may take it and why the others may not), posting an open shift, offering one's own, the
settings. Each action view: load, check, validate, call one service, say what happened, redirect."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.permissions import allow
from market import permissions as perms
from market import queries, services
from market.forms import ClaimForm, OfferForm, PostForm, SettingsForm
from market.services import MarketError


@allow("market.view", methods=("GET",))
def board(request, team):
    return render(request, "market/board.html", queries.board(request.team, request.profile))


@allow("market.view", methods=("GET",))
def offer_detail(request, team, offer):
    found = queries.offer_of(request.team, offer)
    if found is None:
        raise Http404
    now = timezone.now()
    settings = queries.settings_for(request.team)
    row = queries.offer_rows([found], request.profile, settings=settings, now=now)[0]
    context = {"row": row, "offer": found, "settings": settings}
    profile = request.profile
    if (
        perms.can_decide(profile, found)
        or perms.can_withdraw_offer(profile, found)
        or perms.can_post(profile, found.team_id)
    ):
        context["may"], context["refused"] = queries.eligibility(found, now=now)
    return render(request, "market/offer.html", context)


@allow("market.post", methods=("GET", "POST"))
def post_open(request, team):
    now = timezone.now()
    initial = {"duty_shift": int(request.GET["shift"])} if request.GET.get("shift", "").isdigit() else {}
    form = PostForm(request.POST or None, shifts=queries.postable_shifts(request.team, now=now), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.post_open_shift(
                request.team,
                actor=request.profile,
                duty_shift_id=form.cleaned_data["duty_shift"],
                places=form.cleaned_data["places"],
                reason=form.cleaned_data["reason"],
                now=now,
            )
        except MarketError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The open shift is posted; everyone who may take it is told."))
            return redirect("market:offer", team=request.team.slug, offer=offer.pk)
    return render(request, "market/post.html", {"form": form})


@allow("market.offer", methods=("GET", "POST"))
def offer_new(request, team):
    profile = request.profile
    if profile.team_id != request.team.pk:
        raise Http404
    now = timezone.now()
    mine = queries.my_upcoming(profile, now=now)
    theirs = queries.colleagues_shifts(profile, mine[0].date, now=now) if mine else []
    chosen = request.POST.get("duty_shift") or request.GET.get("shift")
    if chosen and chosen.isdigit():
        picked = next((s for s in mine if s.pk == int(chosen)), None)
        if picked is not None:
            theirs = queries.colleagues_shifts(profile, picked.date, now=now)
    initial = {"duty_shift": int(chosen)} if chosen and chosen.isdigit() else {}
    form = OfferForm(request.POST or None, shifts=mine, theirs=theirs, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            offer = services.offer_shift(
                profile=profile,
                duty_shift_id=data["duty_shift"],
                kind=data["kind"],
                wants=data["wants"] if data["kind"] == "trade" else [],
                reason=data["reason"],
                now=now,
            )
        except MarketError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your shift is offered; it stays yours until someone takes it."))
            return redirect("market:offer", team=request.team.slug, offer=offer.pk)
    return render(request, "market/offer_form.html", {"form": form, "has_shifts": bool(mine)})


@allow("market.offer", methods=("POST",))
def claim(request, team, offer):
    found = queries.offer_of(request.team, offer)
    if found is None:
        raise Http404
    form = ClaimForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the shifts asked for in exchange."))
        return redirect("market:offer", team=request.team.slug, offer=found.pk)
    try:
        made = services.claim_offer(found, profile=request.profile, give_back_id=form.cleaned_data["give_back"])
    except MarketError as error:
        messages.error(request, str(error))
    else:
        if made.state == "approved":
            messages.success(request, _("The shift is yours: the roster is changed."))
        else:
            messages.success(request, _("Your claim is in; it waits for the team lead or supervisor."))
    return redirect("market:offer", team=request.team.slug, offer=found.pk)


@allow("market.offer", methods=("POST",))
def claim_withdraw(request, team, claim):
    found = queries.claim_of(request.team, claim)
    if found is None:
        raise Http404
    try:
        services.withdraw_claim(found, actor=request.profile)
    except MarketError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your claim is withdrawn."))
    return redirect("market:offer", team=request.team.slug, offer=found.offer_id)


@allow("market.decide", methods=("POST",))
def approve(request, team, claim):
    found = queries.claim_of(request.team, claim)
    if found is None:
        raise Http404
    try:
        services.approve_claim(found, actor=request.profile)
    except MarketError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Approved: %(name)s takes the shift; the roster is changed.") % {"name": found.profile.name}
        )
    return redirect("market:offer", team=request.team.slug, offer=found.offer_id)


@allow("market.view", methods=("POST",))
def offer_withdraw(request, team, offer):
    # Agents withdraw their give-aways, supervisors open shifts: the predicate decides (perms.can_withdraw_offer).
    found = queries.offer_of(request.team, offer)
    if found is None:
        raise Http404
    try:
        services.withdraw_offer(found, actor=request.profile)
    except MarketError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The offer is withdrawn."))
    return redirect("market:board", team=request.team.slug)


@allow("market.settings", methods=("GET", "POST"))
def settings(request, team):
    current = queries.settings_for(request.team)
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(request.team, actor=request.profile, values=form.cleaned_data)
        except MarketError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The marketplace settings are saved."))
            return redirect("market:board", team=request.team.slug)
    return render(request, "market/settings.html", {"form": form})
