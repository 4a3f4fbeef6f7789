"""The balance panel of a roster (R-ROSTER-4): figures a supervisor can recount from the grid, and why a spread
stays above 1. Built from plain values only (no queries), for the version shown, as it is now."""

from __future__ import annotations

from django.utils.translation import gettext as _

from roster import instance as plain
from roster import law, rules, solver
from roster.messages import excluded_text, explain_limit, names_text
from roster.spread_limits import CATEGORIES, spread_limits


def _labels() -> dict[str, str]:
    return {
        "duty_spread": _("Spread of duty shifts this month (most minus fewest)"),
        "night_spread": _("Spread of night shifts this month"),
        "holiday_spread": _("Spread of holiday shifts this month"),
        "history_duty_spread": _("Spread of duty shifts over the last 4 months"),
        "history_night_spread": _("Spread of night shifts over the last 4 months"),
        "history_holiday_spread": _("Spread of holiday shifts over the last 4 months"),
    }


def _category(key: str) -> str:
    return key.removeprefix("history_").removesuffix("_spread")


def balance_panel(
    instance: plain.Instance, assignments: list[plain.Assignment], *, totals: dict[int, rules.Totals] | None = None
) -> dict:
    """Spreads over every qualified agent with who is at each end, the causes of any spread of 2 or more, and the
    other goals (missing people, wishes, shadow shifts), all counted from `assignments` (`totals`: their
    rules.agent_totals, when the caller has them)."""
    recount = rules.spreads(instance, assignments, totals=totals)
    present = {
        "duty": bool(instance.days),
        "night": any(s.night for d in instance.days for s in d.shifts),
        "holiday": any(d.holiday for d in instance.days),
    }
    labels = _labels()
    rows = []
    for key in rules.SPREADS:
        if not present[_category(key)]:
            continue
        spread = recount[key]
        rows.append(
            {
                "key": key,
                "label": labels[key],
                "value": spread.value,
                "history": key.startswith("history_"),
                "most": spread.most,
                "most_names": names_text(spread.most_agents, instance),
                "fewest": spread.fewest,
                "fewest_names": names_text(spread.fewest_agents, instance),
            }
        )
    uneven = [c for c in CATEGORIES if present[c] and recount[f"{c}_spread"].value >= 2]
    reasons, unexplained = [], []
    if uneven:
        bounds, causes = spread_limits(instance, assignments)
        reasons = [explain_limit(cause.to_json(), instance) for cause in causes if cause.category in uneven]
        for category in uneven:
            if bounds[category] < recount[f"{category}_spread"].value:
                unexplained.append(
                    _(
                        "%(label)s is %(value)s; skills and free days alone would allow %(bound)s. The rest comes from "
                        "other rules (consecutive nights, overlapping shifts, the weekly rest day and extended hours "
                        "taken together), from edits, or from a generation that stopped at its time limit."
                    )
                    % {
                        "label": labels[f"{category}_spread"],
                        "value": recount[f"{category}_spread"].value,
                        "bound": bounds[category],
                    }
                )
    score = solver.score_roster(instance, assignments)
    others = [(_("Missing people on shifts"), score["uncovered"])]
    if score["preferences_total"]:
        others.append((_("Wishes honoured"), f"{score['preferences_honoured']} / {score['preferences_total']}"))
    if score["wishes_off_total"]:
        others.append((_("Wished days off granted"), f"{score['wishes_off_granted']} / {score['wishes_off_total']}"))
    if score["shadow_shifts_wanted"]:
        others.append((_("Shadow shifts for new hires"), f"{score['shadow_shifts']} / {score['shadow_shifts_wanted']}"))
    # R-LAW-4: whoever a protection period keeps off every shift is not compared, and the panel says why.
    left_out = law.excluded(instance)
    return {
        "rows": rows,
        "compared": len(law.balanced_agents(instance)),
        "excluded": [excluded_text(instance.agents_by_id[i], period) for i, period in left_out.items()],
        "reasons": reasons,
        "unexplained": unexplained,
        "even": not uneven,
        "others": others,
        # Issue 26: each person's wished days off granted this month, by name.
        "wishes": sorted(
            (
                (instance.agents_by_id[int(agent_id)].name, granted, total)
                for agent_id, (granted, total) in score["wishes_by_agent"].items()
            ),
        ),
    }


def generation_summary(result: dict) -> str:
    """How the last generation ended, in one sentence: proven best, best found in time, or the first valid roster."""
    status, source = result.get("status"), result.get("source", "search")
    seconds = result.get("wall_time_s", 0)
    if status == "optimal":
        return _("Proven the best roster for these rules (%(seconds)s s).") % {"seconds": seconds}
    if status == "feasible" and source == "greedy":
        return _(
            "The search found nothing better within the time limit: this is the first valid roster found, "
            "not proven the best (%(seconds)s s). Generating again or a longer time limit may improve it."
        ) % {"seconds": seconds}
    if status == "feasible":
        return _("The best roster found within the time limit, not proven the best (%(seconds)s s).") % {
            "seconds": seconds
        }
    return _("No roster satisfies every hard rule; this is the best partial roster found (%(seconds)s s).") % {
        "seconds": seconds
    }
