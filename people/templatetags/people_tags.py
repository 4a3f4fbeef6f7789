"""People's pieces in other apps' pages: the support directory on the duty page (R-TRAIN-2)"""

from django import template

register = template.Library()


@register.inclusion_tag("people/_support_directory.html", takes_context=True)
def support_directory(context, team):
    """The team's support directory, folded behind one button (one tap on a phone)."""
    from people.queries import support_directory as contacts_of

    return {"team": team, "contacts": contacts_of(team), "request": context.get("request")}
