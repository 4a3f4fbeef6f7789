"""How each figure of a person's month was computed, in words, from the inputs kept with the score (R-APP-6)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from appraisal.rules import ACCURACY_POINTS, DISCIPLINE_POINTS, METRICS
from logbook.models import Accuracy, DisciplineKind

METRIC_LABELS = {
    "satisfaction": gettext_lazy("Satisfaction"),
    "on_time": gettext_lazy("On-time resolution"),
    "accuracy": gettext_lazy("Record accuracy"),
    "attitude": gettext_lazy("Service attitude"),
    "evaluation": gettext_lazy("Daily evaluations"),
    "discipline": gettext_lazy("Discipline"),
}
MARK_LABELS = {
    Accuracy.ACCURATE: gettext_lazy("accurate"),
    Accuracy.FEW_ERRORS: gettext_lazy("few errors"),
    Accuracy.MANY_ERRORS: gettext_lazy("many errors"),
}
DISCIPLINE_LABELS = {
    DisciplineKind.LATE: gettext_lazy("late"),
    DisciplineKind.EARLY_LEAVE: gettext_lazy("early leave"),
    DisciplineKind.UNAPPROVED_SWAP: gettext_lazy("unapproved swap"),
    DisciplineKind.ABSENCE: gettext_lazy("absence from post"),
    DisciplineKind.DEMERIT: gettext_lazy("demerit"),
}


def explain(score) -> dict[str, str]:
    i = score.inputs
    marks = i.get("accuracy_marks", {})
    records = i.get("discipline", {})
    return {
        "satisfaction": _("%(satisfied)d of %(total)d survey answers satisfied (4+ of 5 points, 80+ of 100).")
        % {"satisfied": i.get("surveys_satisfied", 0), "total": i.get("surveys_total", 0)},
        "on_time": _("%(on_time)d of %(due)d promised replies answered by the promised time.")
        % {"on_time": i.get("promised_replies_on_time", 0), "due": i.get("promised_replies_due", 0)},
        "accuracy": (
            _("Mean of the logbook review marks: %(marks)s.")
            % {
                "marks": ", ".join(
                    f"{MARK_LABELS[m]} ×{marks[m]} ({ACCURACY_POINTS[m]})" for m in ACCURACY_POINTS if m in marks
                )
            }
        )
        if marks
        else _("No reviewed logbook this month."),
        "attitude": _("Mean attitude rating of %(count)d daily evaluations, × 20.")
        % {"count": i.get("evaluations", 0)},
        "evaluation": _(
            "Mean of the inquiry, complaint, business and record-keeping ratings of %(count)d daily evaluations, × 20."
        )
        % {"count": i.get("evaluations", 0)},
        "discipline": (
            _("100 minus the discipline records: %(records)s.")
            % {
                "records": ", ".join(
                    f"{DISCIPLINE_LABELS.get(k, k)} ×{n} (−{DISCIPLINE_POINTS.get(k, 0)})" for k, n in records.items()
                )
            }
        )
        if records
        else _("No discipline record: 100."),
    }


def metric_rows(score) -> list[dict]:
    if score is None:
        return []
    weights = score.appraisal.settings.get("weights", {})
    how = explain(score)
    return [
        {
            "name": name,
            "label": METRIC_LABELS[name],
            "value": getattr(score, name),
            "band": getattr(score, f"{name}_band"),
            "band_label": getattr(score, f"get_{name}_band_display")(),
            "weight": weights.get(name),
            "how": how[name],
        }
        for name in METRICS
    ]
