"""Every write about people: members (add, change, move, leave, skills, activation), HR imports, qualification
checks, training and the support directory. Views, tasks, the import command and the demo call these; each names
the acting person (None only for the command line and scheduled jobs)."""


class PeopleError(Exception):
    """A user action that cannot be done; the message is translated and shown as is (nothing was changed)."""
