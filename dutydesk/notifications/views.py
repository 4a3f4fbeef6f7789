"""The bell, the list of notices, preferences, and the supervisor's robot settings and failed sends."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dutydesk.notifications import queries, services
from dutydesk.notifications.forms import PreferencesForm, TeamSettingsForm
from dutydesk.notifications.permissions import outbox_of_my_teams
from dutydesk.permissions import allow
from dutydesk.redirects import safe_next

PAGE_SIZE = 20


@allow("notifications.view", methods=("GET",))
def notice_list(request):
    page = Paginator(queries.notices_of(request.profile), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread": queries.unread_count(request.profile),
        },
    )


@allow("notifications.view", methods=("GET",))
def bell(request):
    # The navbar polls this partial with htmx: only the count changes, the page is not reloaded.
    return render(request, "notifications/_bell.html", {"bell_count": queries.unread_count(request.profile)})


@allow("notifications.view", methods=("POST",))
def mark_read(request, notice):
    services.mark_read(reader=request.profile, notification_id=notice)
    # Opening a notice marks it read and follows its link, if it is one of ours.
    return redirect(safe_next(request, reverse("notifications:list")))


@allow("notifications.view", methods=("POST",))
def mark_all_read(request):
    count = services.mark_read(reader=request.profile)
    messages.success(request, _("%(count)d notices marked read.") % {"count": count})
    return redirect("notifications:list")


@allow("notifications.preferences", methods=("GET", "POST"))
def preferences(request):
    saved: dict[str, dict[str, bool]] = {}
    for preference in request.profile.channel_preferences.all():
        saved.setdefault(preference.kind, {})[preference.channel] = preference.enabled
    platforms = queries.personal_platforms()
    form = PreferencesForm(
        request.POST or None, choices=saved, platforms=platforms, platform=queries.personal_platform_of(request.profile)
    )
    if request.method == "POST" and form.is_valid():
        services.set_channel_preferences(profile=request.profile, enabled=form.enabled())
        if "platform" in form.fields:
            services.set_personal_platform(profile=request.profile, platform=form.cleaned_data["platform"])
        messages.success(request, _("Your notice channels are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@allow("notifications.team_settings", methods=("GET", "POST"))
def team_settings(request, team):
    current = services.settings_for(request.team)
    initial = {
        "reminder_hours": ", ".join(str(m // 60) for m in current.reminder_leads),
        "signin_minutes": current.signin_minutes,
        "webhook_platform": current.webhook_platform,
        "webhook_url": current.webhook_url,
    }
    form = TeamSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.update_team_settings(
            team=request.team,
            editor=request.profile,
            reminder_leads=[h * 60 for h in data["reminder_hours"]],
            signin_minutes=data["signin_minutes"],
            webhook_platform=data["webhook_platform"],
            webhook_url=data["webhook_url"],
            webhook_secret=data["webhook_secret"] or None,
        )
        messages.success(request, _("Notice settings of %(team)s are saved.") % {"team": request.team})
        return redirect("notifications:team-settings", team=request.team.slug)
    return render(
        request,
        "notifications/team_settings.html",
        {
            "form": form,
            "team": request.team,
            "has_secret": bool(current.webhook_secret),
        },
    )


@allow("notifications.failed", methods=("GET",))
def failed_sends(request, team):
    page = Paginator(queries.troubled_sends(request.team), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/failed.html", {"page": page, "team": request.team})


@allow("notifications.failed", methods=("POST",))
def resend(request, outbox):
    row = get_object_or_404(outbox_of_my_teams(request.user), pk=outbox)  # another team's message: 404
    try:
        services.resend(outbox_id=row.pk, team=row.team, actor=request.profile)
    except services.NotificationError:
        messages.info(request, _("This message is no longer failed: somebody resent it, or it went out."))
    else:
        messages.success(request, _("The message is queued to be sent again."))
    return redirect("notifications:failed", team=row.team.slug)
