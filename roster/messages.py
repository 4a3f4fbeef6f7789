"""Hard-rule problems (roster.rules Violation: code + params) said in the user's language.

The solver and the rules speak English for logs; people read these. Codes and params: docs/solver-format.md.
"""

from django.utils.translation import gettext as _

from roster import instance as plain


def _where(violation: plain.Violation, instance: plain.Instance) -> str:
    parts = []
    if violation.date:
        parts.append(f"{violation.date:%m-%d}")
    if violation.date and violation.shift:
        day = instance.days_by_date.get(violation.date)
        shift = day.shift(violation.shift) if day else None
        parts.append(shift.name if shift else violation.shift)
    return " ".join(parts)


def _name(violation: plain.Violation, instance: plain.Instance) -> str:
    agent = instance.agents_by_id.get(violation.agent) if violation.agent is not None else None
    return agent.name if agent else str(violation.agent or "")


def describe(violation: plain.Violation, instance: plain.Instance) -> str:
    """One sentence, translated, naming the date, shift and person concerned."""
    p = dict(violation.params)
    words = {"where": _where(violation, instance), "name": _name(violation, instance), **p}
    code = violation.code
    if code == "under_headcount":
        reason = p.get("reason")
        if reason == "too_few_free":
            return _("%(where)s has %(counted)s of %(headcount)s people (%(short)s short): only %(free)s qualified "
                     "agents are free that day") % words
        if reason == "blocked":
            return _("%(where)s has %(counted)s of %(headcount)s people (%(short)s short): the free agents are "
                     "needed elsewhere (%(elsewhere)s) or at the consecutive-night limit (%(nights)s)") % words
        return _("%(where)s has %(counted)s of %(headcount)s people (%(short)s short)") % words
    messages = {
        "skill_shortage": _("%(where)s needs skill %(skill)s: %(available)s qualified agent(s) available, "
                            "%(needed)s needed"),
        "over_headcount": _("%(where)s has %(counted)s people, %(headcount)s needed"),
        "missing_skill": _("%(where)s: %(name)s lacks the required skill"),
        "unqualified_alone": _("%(where)s: %(name)s is a new hire and may only shadow a qualified agent"),
        "qualified_as_shadow": _("%(where)s: %(name)s is qualified and should not be a shadow"),
        "shadow_alone": _("%(where)s: a shadow needs a qualified agent on the same shift"),
        "too_many_shadows": _("%(where)s has %(shadows)s shadows, at most %(max)s"),
        "promotion_pair": _("%(where)s is a promotion day and needs one A (primary) and at least one B (backup)")
        if p.get("promotion") else _("%(where)s is not a promotion day: A/B roles are only for promotion days"),
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
