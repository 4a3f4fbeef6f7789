"""What the duty day tells people and records, as message keys (dutydesk.texts): rendered in the reader's
language, not the writer's (issue #27 point 3)."""

from django.utils.translation import gettext_lazy as _

from dutydesk.texts import define

LEFT_POST = define("logbook.left_post", _("%(name)s left the post (%(shift)s) at %(time)s"))
EARLY_LEAVE = define("logbook.early_leave", _("%(name)s left %(shift)s early at %(time)s"))
ABSENT = define("logbook.absent", _("Absence from post: %(name)s has not signed in for %(shift)s"))
REPORT = define("logbook.report", _("Report from %(name)s: %(title)s"))
# A discipline record's reason written by the absence job (R-ATT-3).
ABSENCE_NOTE = define("logbook.absence_note", _("Not signed in 15 minutes after the start: absence from post."))
ABSENCE_EXCUSED = define(
    "logbook.absence_excused",
    _(
        "%(name)s's absence from post on %(shift)s is withdrawn: %(lead)s recorded the emergency call "
        "(emergency leave)."
    ),
)
