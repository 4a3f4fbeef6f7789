"""Words for the codes stored with a statement's shift rows (JSON), in the user's language."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext_lazy as _

from compensation.rules import Source

register = template.Library()

SOURCE_LABELS = {
    Source.SIGNED: _("Signed in and out"),
    Source.NO_SIGN_OUT: _("No sign-out: counted to the end of the shift"),
    Source.ABSENT: _("Absent from post"),
    Source.UNRECORDED: _("No attendance record: planned hours counted"),
    Source.NOT_YET: _("Not yet worked"),
}


@register.filter
def source_label(code: str) -> str:
    return SOURCE_LABELS.get(code, code)


@register.filter
def hours(value) -> str:
    """0.00-style hours; a blank for nothing, so that a table's non-zero figures stand out."""
    if value in (None, ""):
        return ""
    value = Decimal(str(value))
    return f"{value:.2f}" if value else "—"
