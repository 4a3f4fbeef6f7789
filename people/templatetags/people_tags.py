"""People's pieces in other apps' pages: the support directory on the duty page (R-TRAIN-2) and the training
reward on the appraisal month (R-APP-5). Each costs one query, whatever the page."""

from django import template

from dutydesk.permissions import can
from people.models import TrainingReward

register = template.Library()


@register.inclusion_tag("people/_support_directory.html", takes_context=True)
def support_directory(context, team):
    """The team's support directory, folded behind one button (one tap on a phone)."""
    from people.queries import support_directory as contacts_of

    return {"team": team, "contacts": contacts_of(team), "request": context.get("request")}


@register.simple_tag
def rewarded_profiles(team, month) -> set[int]:
    """Ids of the people of `team` already granted a training opportunity for `month`."""
    if team is None or month is None:
        return set()
    return set(TrainingReward.objects.filter(team=team, month=month).values_list("profile_id", flat=True))


@register.filter
def may(user, action):
    """`{% if request.user|may:"people.reward" %}`: show a control only to the roles granted its action."""
    return can(user, action)
