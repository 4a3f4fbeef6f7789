"""`{{ names|listed }}`: a list said the reader's way (、 in Chinese, a comma in English), a builtin of every
template (settings TEMPLATES builtins)."""

from django import template

from dutydesk.texts import listed as listed_text

register = template.Library()


@register.filter
def listed(values) -> str:
    return listed_text(values or [])
