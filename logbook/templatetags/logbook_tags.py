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
def masked_name(value):
    return rules.mask_name(value or "")


@register.simple_tag(takes_context=True)
def customer(context, entry, field: str) -> str:
    """`{% customer entry "customer_phone" %}`: a field of a logbook entry as it may leave the record (R-LOG-4,
    R-PIPL-1, logbook.rules.shown): masked for everyone, whole only on the response to a reveal of this entry that
    was just recorded with its reason (the view puts `revealed_entry_id` in the context, R-PIPL-2).
    `{% customer entry "content" as text %}{{ text|truncatechars:80 }}` to shorten it afterwards."""
    full = context.get("revealed_entry_id") == entry.pk
    return rules.shown(field, getattr(entry, field), full=full)
