"""People's pieces in other apps' pages: the support directory on the duty page (R-TRAIN-2)"""

from django import template

from dutydesk.permissions import can

register = template.Library()


@register.inclusion_tag("people/_support_directory.html", takes_context=True)
def support_directory(context, team):
    """The team's support directory, folded behind one button (one tap on a phone)."""
    from people.queries import support_directory as contacts_of

    return {"team": team, "contacts": contacts_of(team), "request": context.get("request")}


@register.filter
def may(user, action):
    """`{% if request.user|may:"people.reward" %}`: show a control only to the roles granted its action."""
    return can(user, action)
