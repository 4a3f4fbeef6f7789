from django import template

from dutydesk.notifications.queries import unread_count
from dutydesk.permissions import profile_of

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notice_count(context):
    """The bell's number for the signed-in person, or None (no bell) for someone without a profile."""
    request = context.get("request")
    profile = profile_of(request.user) if request is not None else None
    return None if profile is None else unread_count(profile)
