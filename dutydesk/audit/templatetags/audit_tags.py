"""`{% history_link team person=profile.pk %}`: a link to the team's history of a person, a day or a roster, shown
only to those who may read it (audit.team)."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from dutydesk.permissions import can

register = template.Library()


@register.simple_tag(takes_context=True)
def history_link(context, team, **narrow):
    request = context["request"]
    if team is None or not can(request.user, "audit.team"):
        return ""
    narrow = {key: value.isoformat() if hasattr(value, "isoformat") else value for key, value in narrow.items()}
    url = reverse("audit:team", kwargs={"team": team.slug}) + "?" + urlencode(narrow)
    return format_html(
        '<a class="btn btn-sm btn-outline-secondary" href="{}" data-testid="history-link">{}</a>',
        url,
        _("Change history"),
    )
