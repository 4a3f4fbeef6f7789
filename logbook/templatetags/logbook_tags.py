"""R-LOG-4 in templates: every list shows customer data through these filters (logbook.rules.mask)."""

from django import template

from logbook import rules

register = template.Library()


@register.filter
def masked(value):
    return rules.mask(value or "")


@register.filter
def masked_text(value):
    return rules.mask_text(value or "")


@register.simple_tag(takes_context=True)
def customer(context, entry, field: str) -> str:
    """`{% customer entry "customer_phone" %}`: a field of a logbook entry as this page's viewer may see it
    (R-LOG-4, logbook.rules.shown): in full for its author, the team's leads and its supervisors, masked otherwise.
    `{% customer entry "content" as text %}{{ text|truncatechars:80 }}` to shorten it afterwards."""
    from logbook.permissions import sees_customer_data

    profile = getattr(context["request"], "profile", None)
    full = profile is not None and sees_customer_data(profile, entry)
    return rules.shown(field, getattr(entry, field), full=full)


@register.filter
def may(user, action):
    """`{% if request.user|may:"logbook.settings" %}`: show a link only to the roles granted its action."""
    from dutydesk.permissions import can

    return can(user, action)
