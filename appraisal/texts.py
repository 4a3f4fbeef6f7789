"""What the appraisal tells people, as message keys (dutydesk.texts): rendered in the reader's language."""

from django.utils.translation import gettext_lazy as _

from dutydesk.texts import define

READY = define("appraisal.ready", _("Your appraisal for %(month)s is ready: acknowledge or dispute it"))
DISPUTED = define("appraisal.disputed", _("%(name)s disputes the appraisal of %(month)s"))
ANSWERED = define("appraisal.answered", _("Your dispute of %(month)s was answered"))
