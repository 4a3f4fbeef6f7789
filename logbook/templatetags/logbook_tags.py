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


@register.filter
def may(user, action):
    """`{% if request.user|may:"logbook.settings" %}`: show a link only to the roles granted its action."""
    from dutydesk.permissions import can

    return can(user, action)
