"""What the people pages tell and record, as message keys (dutydesk.texts): rendered in the reader's language,
not the writer's (issue #27 point 3)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dutydesk.texts import Text, define, is_defined
from people.exports import LABELS
from people.models import CheckResult

LEAVER_HOLDS_SHIFTS = define(
    "people.leaver_holds_shifts",
    _("%(name)s leaves on %(date)s and holds %(count)d shift(s) after it: revise the roster"),
)
TRAINING_INVITED = define("people.training.invited", _("Training: %(topic)s, %(when)s"))
TRAINING_TRAINER = define("people.training.trainer", _("Trainer: %(trainer)s. Where: %(where)s."))
TRAINING_CHANGED = define("people.training.changed", _("Training changed: %(topic)s, now %(when)s"))
TRAINING_WHERE = define("people.training.where", _("Where: %(where)s."))
TRAINING_CANCELLED = define("people.training.cancelled", _("Training cancelled: %(topic)s, %(when)s"))
TRAINING_REMINDER = define("people.training.reminder", _("Reminder: training %(topic)s, %(when)s"))
REWARD_EARNED = define(
    "people.reward.earned", _("You earned a training opportunity for %(count)d excellent months in a row")
)
REWARD_EARNED_SUPERVISORS = define(
    "people.reward.earned.supervisors", _("%(name)s earned a training opportunity: invite them to a session")
)
CHECK_DUE = define("people.check.due", _("%(name)s has done %(count)d shadow shifts: record the qualification check"))
CHECK_PASSED = define(
    "people.check.passed",
    _("You passed the qualification check: you work shifts on your own from the roster of %(month)s."),
)
CHECK_PASSED_SUPERVISORS = define(
    "people.check.passed.supervisors",
    _("%(name)s passed the qualification check; qualified from the roster of %(month)s."),
)
CHECK_DRAFT = define(
    "people.check.draft", _("The draft of %(month)s can count her or him too: open the new hires page.")
)
CHECK_FAILED = define(
    "people.check.failed", _("The qualification check was not passed this time: more shadow shifts are planned.")
)
CHECK_FAILED_SUPERVISORS = define(
    "people.check.failed.supervisors",
    _("%(name)s did not pass the qualification check: plan more shadow shifts (generate the draft again)."),
)
SHIFTS = define("people.shifts", pgettext_lazy("a list of shifts", "Shifts: %(shifts)s"))

# The change log (PersonEvent.note_text): which fields changed, by their labels in the reader's language.
for _name, _label in LABELS.items():
    define(f"people.field.{_name}", _label)
FIELDS = define("people.fields", pgettext_lazy("change log: the fields that changed", "%(fields)s"))
CHECK_EVENT = define("people.check.event", pgettext_lazy("change log", "%(result)s %(date)s"))
for _value, _label in CheckResult.choices:
    define(f"people.check.result.{_value}", _label)
COUNTS_IN_DRAFT = define("people.check.counts_in_draft", _("counts in the draft of %(month)s"))
MARKED_QUALIFIED = define(
    "people.import.marked_qualified",
    _("%(team)s; marked by the importer as already working alone"),
)


def fields(names) -> Text:
    """The changed fields of a person for the change log, each by its label where it has one."""
    return FIELDS(fields=[Text(f"people.field.{n}") if is_defined(f"people.field.{n}") else n for n in names])
