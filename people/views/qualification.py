"""新人跟岗 (R-ROSTER-6): the team's new hires with their shadow shifts, the lead's record of the qualification check,
and the supervisor's choice to let a pass count in the current draft."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.models import Qualification
from dutydesk.permissions import allow
from people import queries, rules
from people.forms import CheckForm
from people.models import CheckResult, QualificationCheck
from people.permissions import may_count_in_draft, may_examine
from people.services import qualification as services
from people.views.common import person_or_404, run


@allow("people.new_hires", methods=("GET",))
def new_hires(request, team):
    today = timezone.localdate()
    checks = list(queries.recent_checks(request.team)[:20])
    drafts = queries.draft_months(request.team)
    # A pass still waiting for its month, which the supervisor may let count in the current draft.
    for check in checks:
        check.draft_month = None
        if (
            check.result == CheckResult.PASSED
            and check.qualified_from
            and check.qualified_from > today
            and check.profile.qualified_on == check.qualified_from
        ):
            check.draft_month = rules.draft_month_before(check.qualified_from, drafts, today)
    return render(
        request,
        "people/new_hires.html",
        {
            "team": request.team,
            "hires": queries.new_hires(request.team),
            "checks": checks,
            "may_count_in_draft": may_count_in_draft(request.profile),
            "may_record": may_examine(request.profile, request.team.pk),
        },
    )


@allow("people.qualify", methods=("GET", "POST"))
def record_check(request, team, person):
    profile = person_or_404(request, person)
    form = CheckForm(
        request.POST or None,
        examiners=queries.examiners(request.team),
        initial={"date": timezone.localdate(), "examiner": request.profile.pk},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, check = run(
            request,
            lambda: services.record_check(
                profile=profile,
                actor=request.profile,
                result=data["result"],
                day=data["date"],
                examiner=data["examiner"],
                note=data["note"],
            ),
        )
        if ok:
            if check.result == CheckResult.PASSED:
                messages.success(
                    request,
                    _("%(name)s passed: qualified from the roster of %(month)s.")
                    % {"name": profile.name, "month": f"{check.qualified_from:%Y-%m}"},
                )
            else:
                messages.warning(
                    request,
                    _(
                        "%(name)s did not pass: shadowing starts again, and the next "
                        "generation plans more shadow shifts."
                    )
                    % {"name": profile.name},
                )
            return redirect("people:new-hires", team=request.team.slug)
    hire = next((h for h in queries.new_hires(request.team) if h.profile.pk == profile.pk), None)
    return render(
        request,
        "people/check_form.html",
        {
            "team": request.team,
            "profile": profile,
            "form": form,
            "hire": hire,
            "qualified": profile.qualification == Qualification.QUALIFIED,
        },
        status=400 if form.is_bound else 200,
    )


@allow("people.count_in_draft", methods=("POST",))
def count_in_draft(request, team, check):
    check = get_object_or_404(QualificationCheck.objects.select_related("profile"), pk=check, team=request.team)
    ok, month = run(request, lambda: services.count_in_draft(check, actor=request.profile))
    if ok:
        messages.success(
            request,
            _("%(name)s counts as qualified in the draft of %(month)s: generate or edit the draft again.")
            % {"name": check.profile.name, "month": f"{month:%Y-%m}"},
        )
    return redirect("people:new-hires", team=request.team.slug)
