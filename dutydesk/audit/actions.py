"""What each recorded action is called on a history page. Apps describe their actions once, at import of their
permissions module (loaded in AppConfig.ready): `describe("roster.publish", _("Published the roster"))`."""

LABELS: dict[str, object] = {}
# Names of values an event records that are no model field (a retention run's counts, a reveal's fields).
FIELD_LABELS: dict[str, object] = {}


def describe(action: str, label) -> None:
    LABELS[action] = label


def label_of(action: str):
    return LABELS.get(action, action)


def describe_field(name: str, label) -> None:
    FIELD_LABELS[name] = label
