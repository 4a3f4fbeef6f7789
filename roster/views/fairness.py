"""The fairness report: who worked how much over 1, 3, 6 and 12 months, for supervisors (their teams) and managers
(every team); sortable on the server, with the distribution charted and an Excel export."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.months import add_months
from dutydesk.permissions import allow
from roster import exports, queries
from roster.fairness import BALANCED, METRICS, PERIODS, build_report, protected_throughout
from roster.messages import left_out_text
from roster.views.common import month_nav

ROWS_PER_PAGE = 100


def metric_labels() -> dict[str, str]:
    return {
        "duty": _("Duty shifts"),
        "night": _("Night shifts"),
        "holiday": _("Holiday shifts"),
        "promotion": _("Promotion-day shifts"),
        "given": _("Shifts given in swaps"),
        "taken": _("Shifts taken in swaps"),
        "claimed": _("Shifts claimed in the marketplace"),
        "leave": _("Leave days"),
        "wishes_granted": _("Wished days off granted"),
        "wishes_refused": _("Wished days off refused"),
    }


def period_label(month, months: int) -> str:
    if months == 1:
        return _("This month")
    return _("Last %(months)s months (%(start)s to %(end)s)") % {
        "months": months,
        "start": f"{add_months(month, -(months - 1)):%Y-%m}",
        "end": f"{month:%Y-%m}",
    }


def _choice(value, allowed, default):
    return value if value in allowed else default


@allow("roster.fairness", methods=("GET",))
def fairness_now(request, team):
    """The menu's entry: this month's report."""
    return _report_page(request, timezone.localdate().replace(day=1))


@allow("roster.fairness", methods=("GET",))
def fairness(request, team, month):
    return _report_page(request, month)


def _report_page(request, month):
    months = int(_choice(request.GET.get("period"), {str(p) for p in PERIODS}, "1"))
    sort = _choice(request.GET.get("sort"), {"name", *METRICS}, "name")
    descending = request.GET.get("dir") == "desc"
    # R-LAW-4: whoever protection periods kept off every duty day of the period is shown but not compared.
    duty_dates, protections = queries.fairness_protection(request.team, month)
    spans = {pid: [(p.starts_on, p.ends_on) for p in found] for pid, found in protections.items()}
    report = build_report(
        queries.fairness_rows(request.team, month),
        months=months,
        sort=sort,
        descending=descending,
        left_out=protected_throughout(duty_dates[months], spans),
    )
    page = Paginator(report.rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    labels = metric_labels()
    rows = [
        {
            "row": row,
            "cells": [
                {
                    "metric": m,
                    "value": row.value(m, months),
                    "far": (row.profile_id, m) in report.furthest,
                    "deviation": report.deviation.get((row.profile_id, m)),
                }
                for m in METRICS
            ],
        }
        for row in page.object_list
    ]
    return render(
        request,
        "roster/fairness.html",
        {
            "team": request.team,
            "month": month,
            **month_nav(month),
            "period": months,
            "periods": [(p, period_label(month, p)) for p in PERIODS],
            "period_text": period_label(month, months),
            "columns": [(m, labels[m], report.means[m]) for m in METRICS],
            "rows": rows,
            "page": page,
            "sort": sort,
            "descending": descending,
            "chart": {"labels": {m: labels[m] for m in BALANCED}, "histogram": report.histogram},
            "compared": sum(r.qualified for r in report.rows) - len(report.left_out),
            "left_out": report.left_out,
            "left_out_text": [
                left_out_text(r.name, protections[r.profile_id]) for r in report.rows if r.profile_id in report.left_out
            ],
        },
    )


@allow("roster.fairness", methods=("GET",))
def fairness_excel(request, team, month):
    rows = queries.fairness_rows(request.team, month)
    content = exports.fairness_workbook(
        request.team, month, rows, labels=metric_labels(), periods=[(p, period_label(month, p)) for p in PERIODS]
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="fairness-{request.team.slug}-{month:%Y-%m}.xlsx"'
    return response
