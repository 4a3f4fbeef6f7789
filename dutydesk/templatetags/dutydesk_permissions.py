"""`{% if request.user|may:"people.manage" %}` and `{% if user_role|granted:"roster.edit" %}`: a template shows a
link or a control only to the roles granted the action behind it, asking the table `allow` asks
(dutydesk.permissions). Builtins of every template (settings TEMPLATES builtins)."""

from django import template

from dutydesk import permissions

register = template.Library()


@register.filter
def may(user, action: str) -> bool:
    return permissions.can(user, action)


@register.filter
def granted(role, action: str) -> bool:
    return permissions.granted(role, action)
