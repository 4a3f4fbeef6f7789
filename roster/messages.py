"""Hard-rule problems, warnings and balance limits (plain values from roster.rules and roster.spread_limits) said
in the user's language.

The solver and the rules speak English for logs; people read these. Codes and params: docs/solver-format.md.
Skills are named by their display names (instance.skill_label), people by name, shifts by name.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _

from dutydesk.texts import listed
from roster import instance as plain

# Shift-level shortfalls repeat on every date a shift is short for the same reason: said once, with the dates.
GROUPED_PARAMS = (
    "counted",
    "headcount",
    "short",
    "free",
    "elsewhere",
    "nights",
    "addable",
    "available",
    "needed",
    "extra",
    "shadows",
    "law_rest",
    "law_cap",
    "law_protected",
    "others",
)
NAMES_SHOWN = 3


def _shift_name(instance: plain.Instance, day, key: str) -> str:
    duty_day = instance.days_by_date.get(day)
    shift = duty_day.shift(key) if duty_day else None
    return shift.name if shift else key


def _where(violation: plain.Violation, instance: plain.Instance) -> str:
    parts = []
    if violation.date:
        parts.append(f"{violation.date:%m-%d}")
    if violation.date and violation.shift:
        parts.append(_shift_name(instance, violation.date, violation.shift))
    return " ".join(parts)


def _name(violation: plain.Violation, instance: plain.Instance) -> str:
    agent = instance.agents_by_id.get(violation.agent) if violation.agent is not None else None
    return agent.name if agent else str(violation.agent or "")


def skills_text(codes, instance: plain.Instance) -> str:
    """Skills by their display names, joined as a person would write them: VIP专线 + 退款处理."""
    return " + ".join(instance.skill_label(code) for code in codes)


def names_text(agent_ids, instance: plain.Instance, *, shown: int = NAMES_SHOWN) -> str:
    """ "张伟、李娜" or "张伟、李娜、王芳 等 7 人"."""
    names = [instance.agents_by_id[i].name if i in instance.agents_by_id else str(i) for i in agent_ids]
    if len(names) <= shown:
        return listed(names)
    return _("%(names)s and %(more)s more") % {"names": listed(names[:shown]), "more": len(names) - shown}


def _skill_words(params: dict, instance: plain.Instance) -> dict:
    words = {}
    if "skills" in params:
        words["skill"] = skills_text(params["skills"], instance)
    elif "skill" in params:
        words["skill"] = skills_text(str(params["skill"]).split(" + "), instance)
    if "missing" in params:
        words["missing"] = skills_text(params["missing"], instance)
    return words


def describe(
    violation: plain.Violation, instance: plain.Instance, *, where: str | None = None, params: dict | None = None
) -> str:
    """One sentence, translated, naming the date, shift and person concerned."""
    p = dict(violation.params if params is None else params)
    words = {
        "where": _where(violation, instance) if where is None else where,
        "name": _name(violation, instance),
        **p,
        **_skill_words(violation.params, instance),
    }
    code = violation.code
    if code == "under_headcount":
        reason = p.get("reason")
        if reason == "too_few_free":
            return (
                _(
                    "%(where)s has %(counted)s of %(headcount)s people (%(short)s short): only %(free)s qualified "
                    "agents are free that day"
                )
                % words
            )
        if reason == "blocked":
            return (
                _(
                    "%(where)s has %(counted)s of %(headcount)s people (%(short)s short): the free agents are "
                    "needed elsewhere (%(elsewhere)s) or at the consecutive-night limit (%(nights)s)"
                )
                % words
            )
        if reason == "law":
            return _(
                "%(where)s has %(counted)s of %(headcount)s people (%(short)s short): the working-time law keeps "
                "the free agents off it (no rest day left that week: %(law_rest)s; the extended-hours cap "
                "reached: %(law_cap)s; in a protection period: %(law_protected)s; needed elsewhere or at the "
                "consecutive-night limit: %(other)s)"
            ) % {**words, "other": _sum_text(p.get("elsewhere"), p.get("nights"))}
        if reason == "law_public":
            return (
                _(
                    "%(where)s has %(counted)s of %(headcount)s people (%(short)s short): the working-time law keeps "
                    "the free agents off it (no rest day left that week: %(law_rest)s; the extended-hours cap "
                    "reached: %(law_cap)s; other reasons: %(others)s)"
                )
                % words
            )
        return _("%(where)s has %(counted)s of %(headcount)s people (%(short)s short)") % words
    if code in LAW_CODES:
        return _law_sentence(code, p, words)
    messages = {
        "skill_shortage": _(
            "%(where)s needs skill %(skill)s: %(available)s qualified agent(s) available, %(needed)s needed"
        ),
        "over_headcount": _("%(where)s has %(counted)s people, %(headcount)s needed"),
        "missing_skill": _("%(where)s: %(name)s lacks the skill %(missing)s"),
        "unqualified_alone": _("%(where)s: %(name)s is a new hire and may only shadow a qualified agent"),
        "qualified_as_shadow": _("%(where)s: %(name)s is qualified and should not be a shadow"),
        "shadow_alone": _("%(where)s: a shadow needs a qualified agent on the same shift"),
        "too_many_shadows": _("%(where)s has %(shadows)s shadows, at most %(max)s"),
        "promotion_pair": _("%(where)s is a promotion day and needs one A (primary) and at least one B (backup)")
        if p.get("promotion")
        else _("%(where)s is not a promotion day: A/B roles are only for promotion days"),
        "promotion_headcount": _("%(where)s is a promotion day and needs at least 2 people for an A/B pair"),
        "consecutive_nights": _("%(where)s: %(name)s would work %(nights)s night shifts in a row, at most %(max)s"),
        "overlap": _("%(where)s: %(name)s is already on another shift at the same time"),
        "too_many_per_day": _("%(where)s: %(name)s already has a shift that day"),
        "on_leave": _("%(where)s: %(name)s is on approved leave"),
        "unavailable": _("%(where)s: %(name)s declared this day unavailable"),
    }
    if code in messages:
        return messages[code] % words
    return violation.message


LAW_CODES = frozenset({"no_rest_day", "extended_hours", "protected_night", "protected_extended"})


def protection_kind(kind: str) -> str:
    """A protection period's kind as HR names it (R-LAW-4; no medical detail)."""
    if kind == "nursing":
        return _("nursing a baby under one year")
    return _("pregnant from the 7th month")


def _law_sentence(code: str, p: dict, words: dict) -> str:
    # The article named in the reader's words (issue 21): the supervisor sees which law, not a rule code.
    if code == "no_rest_day":
        week = f"{p['week_start'][5:]}–{p['week_end'][5:]}"
        return _(
            "%(where)s: %(name)s has no rest day in the week %(week)s (Labour Law article 38: at least one day of "
            "rest a week)"
        ) % {**words, "week": week}
    if code == "extended_hours":
        if p.get("period"):
            return _(
                "%(where)s: %(name)s reaches %(hours)s hours of rest-day and holiday duty in the settlement period "
                "%(start)s to %(end)s, more than the %(cap)s hours allowed (Labour Law article 41: %(monthly)s hours "
                "a month)"
            ) % {
                **words,
                "start": p["period_start"][:7],
                "end": p["period_end"][:7],
                "monthly": p.get("monthly_cap"),
            }
        return (
            _(
                "%(where)s: %(name)s reaches %(hours)s hours of rest-day and holiday duty this month, more than Labour "
                "Law article 41's %(cap)s hours a month"
            )
            % words
        )
    article = (
        pgettext("article of a law", "article 9")
        if p.get("article") == 9
        else pgettext("article of a law", "article 6")
    )
    kind = protection_kind(p.get("kind", ""))
    if code == "protected_night":
        return _(
            "%(where)s: %(name)s is protected (%(kind)s) and may not work night shifts (Special Provisions on the "
            "Labour Protection of Female Employees, %(article)s)"
        ) % {**words, "kind": kind, "article": article}
    return _(
        "%(where)s: %(name)s is protected (%(kind)s) and may not work extended hours, so no rest-day or holiday "
        "duty (Special Provisions on the Labour Protection of Female Employees, %(article)s)"
    ) % {**words, "kind": kind, "article": article}


def law_refusal(violation: plain.Violation, instance: plain.Instance) -> str:
    """Why the law keeps a person off a shift, for someone who may not know of a protection period (a teammate
    asking for a swap): the rest-day and hours rules as they are, a protection period not named."""
    if violation.code in ("protected_night", "protected_extended"):
        return _("%(name)s cannot take this shift under the working-time rules.") % {"name": _name(violation, instance)}
    return describe(violation, instance)


def take_reason(violation: plain.Violation, instance: plain.Instance, skill_names: dict[str, str] | None = None) -> str:
    """Why a person may not take a shift (roster.rules.take_refusal), in one sentence as a teammate may read it
    beside the person's name (issue #13 point 6, #27 point 11): the missing skill by its name, the other hard rules
    as the roster says them, the working-time law without a protection period named (R-LAW-4). Used by swaps,
    substitutes and the marketplace alike."""
    agent = instance.agents_by_id.get(violation.agent) if violation.agent is not None else None
    day = instance.days_by_date.get(violation.date) if violation.date else None
    shift = day.shift(violation.shift) if day and violation.shift else None
    words = {
        "name": agent.name if agent else "",
        "day": f"{violation.date:%m-%d}" if violation.date else "",
        "shift": shift.name if shift else (violation.shift or ""),
    }
    if violation.code == "already_on_shift":
        return _("Already on this shift (%(day)s %(shift)s).") % words
    if violation.code == "missing_skill":
        missing = violation.params.get("missing") or sorted(
            (shift.skills if shift else set()) - (agent.skills if agent else set())
        )
        names = skill_names or {}
        return ngettext(
            "Does not hold the skill %(skills)s that %(day)s %(shift)s needs.",
            "Does not hold the skills %(skills)s that %(day)s %(shift)s needs.",
            len(missing),
        ) % {
            **words,
            "skills": pgettext("list separator", ", ").join(names.get(c) or instance.skill_label(c) for c in missing),
        }
    return sentence_without_name(law_refusal(violation, instance), words["name"])


def sentence_without_name(text: str, name: str) -> str:
    """A rule's sentence about a colleague, said after their name: without the name at its start, ending with a
    full stop (。 in Chinese, . in English)."""
    text = text.strip()
    if name and text.startswith(name):
        text = text[len(name) :].lstrip(" :：，,")
        text = text[:1].upper() + text[1:]
    if text and text[-1] not in ".。!！?？":
        # The reader's language decides, not the text: an English sentence names Chinese people and shifts.
        text += "。" if (get_language() or "").startswith("zh") else "."
    return text


def _sum_text(*values) -> str:
    return str(sum(v for v in values if isinstance(v, int)))


def summarise(violations: list[plain.Violation], instance: plain.Instance) -> list[str]:
    """The problems of a roster, each cause said once: the same shift short for the same reason on 11 dates is
    one sentence naming the 11 dates (figures that differ between dates given as a range), not 11 sentences."""
    groups: dict[tuple, list[plain.Violation]] = defaultdict(list)
    for v in violations:
        groups[_group_key(v)].append(v)
    sentences = []
    for members in groups.values():
        first = members[0]
        if len(members) == 1:
            sentences.append(describe(first, instance))
            continue
        dates = listed(f"{d:%m-%d}" for d in sorted({v.date for v in members if v.date}))
        where = (
            _("%(shift)s (%(dates)s)") % {"shift": _shift_name(instance, first.date, first.shift), "dates": dates}
            if first.shift
            else dates
        )
        params = dict(first.params)
        for key in GROUPED_PARAMS:
            values = sorted({v.params[key] for v in members if isinstance(v.params.get(key), int)})
            if len(values) > 1:
                params[key] = f"{values[0]}–{values[-1]}"
        sentences.append(describe(first, instance, where=where, params=params))
    return sentences


def _group_key(v: plain.Violation) -> tuple:
    # Same code, shift and person, and the same kind of reason: one cause. Dates and counts may differ.
    reason = v.params.get("reason") or tuple(v.params.get("skills") or v.params.get("missing") or ())
    promotion = v.params.get("promotion")
    if v.code in ("no_rest_day", "extended_hours"):
        # Each week, each month's total is its own fact (its figures are not a range of the same cause).
        return (v.code, v.shift, v.agent, v.date)
    return (v.code, v.shift, v.agent, reason, promotion)


def explain_limit(limit: dict, instance: plain.Instance) -> str:
    """Why a spread stays above 1, in one sentence (roster.spread_limits.Limit as JSON)."""
    category = {"duty": _("shifts"), "night": _("night shifts"), "holiday": _("holiday shifts")}[limit["category"]]
    agents = limit["agents"]
    words = {
        "category": category,
        "count": limit["count"],
        "places": limit["places"],
        "people": len(agents),
        "names": names_text(agents, instance),
        "skill": skills_text(limit.get("skills") or (), instance),
        "average": _number(limit["average"]),
        "each": _number(limit["places"] / len(agents)) if agents else "0",
    }
    cause = limit["cause"]
    if cause == "skill":
        return (
            ngettext(
                "Only %(people)s agent holds %(skill)s and must cover %(places)s %(category)s: at least %(count)s "
                "(the team averages %(average)s).",
                "Only %(people)s agents hold %(skill)s and must cover %(places)s %(category)s between them: "
                "%(each)s each on average, at least %(count)s for one of them (the team averages %(average)s).",
                len(agents),
            )
            % words
        )
    if cause == "few_capable":
        return (
            _(
                "Only %(people)s agents can take %(category)s at all (skills and free days): %(places)s of them "
                "make %(each)s each on average, at least %(count)s for one of them (the team averages "
                "%(average)s)."
            )
            % words
        )
    if cause == "leave":
        return (
            _(
                "%(names)s can work at most %(count)s %(category)s this month (leave or days declared "
                "unavailable), while the team averages %(average)s."
            )
            % words
        )
    if cause == "few_skills":
        return (
            _(
                "%(names)s can work at most %(count)s %(category)s this month: their skills fit few of the "
                "shifts, while the team averages %(average)s."
            )
            % words
        )
    if cause == "without_skill":
        return (
            _(
                "The %(people)s agents without %(skill)s share only %(places)s %(category)s, so one of them "
                "works at most %(count)s (the team averages %(average)s)."
            )
            % words
        )
    if cause == "working_time":
        return (
            _(
                "%(names)s can work at most %(count)s %(category)s this month under the working-time rules (a rest "
                "day every week, the extended-hours cap, protection periods), while the team averages %(average)s."
            )
            % words
        )
    if cause == "night_only":
        return (
            _(
                "%(names)s can only take night shifts (their skills fit no other shift): for their shifts to "
                "match the team's, each works at least %(count)s nights."
            )
            % words
        )
    return ""


def excluded_text(agent: plain.Agent, protection: plain.Protection) -> str:
    """Why a person is left out of the month's balance (roster.law.excluded), in one sentence."""
    return _(
        "%(name)s is left out of this month's balance: a protection period (%(kind)s, %(start)s to %(end)s) covers "
        "every duty day of the month, and in it the law allows no night shifts and no rest-day or holiday duty."
    ) % {
        "name": agent.name,
        "kind": protection_kind(protection.kind),
        "start": f"{protection.start:%Y-%m-%d}",
        "end": f"{protection.end:%Y-%m-%d}",
    }


def left_out_text(name: str, periods) -> str:
    """Why the fairness report does not compare a person in a period (roster.fairness.protected_throughout), in one
    sentence; `periods` are their ProtectionPeriod rows (or anything with kind, starts_on, ends_on)."""
    return _(
        "%(name)s is not compared in this period: protection periods (%(periods)s) cover every duty day of it, and "
        "in them the law allows no night shifts and no rest-day or holiday duty."
    ) % {
        "name": name,
        "periods": "; ".join(
            f"{protection_kind(p.kind)}, {p.starts_on:%Y-%m-%d} – {p.ends_on:%Y-%m-%d}" for p in periods
        ),
    }


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def explain_wish(outcome) -> str:
    """A wished day off (roster.wishes.WishOutcome) granted, or why not, in the user's language (issue 26)."""
    day = f"{outcome.date:%m-%d}"
    if outcome.granted:
        return _("%(date)s: granted, you are off that day.") % {"date": day}
    if outcome.reason == "crowded":
        return _(
            "%(date)s: not granted. The day needs %(needed)s people and only %(free)s colleagues who had not wished "
            "it off could work, so %(granted)s of the %(wished)s wishes for that day could be granted; those "
            "refused last month came first."
        ) % {"date": day, **outcome.params}
    return _(
        "%(date)s: not granted. Enough colleagues were free, but giving them your shift would have made the "
        "month's workload uneven (someone working more shifts than the team's share)."
    ) % {"date": day}
