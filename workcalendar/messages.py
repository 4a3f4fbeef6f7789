"""The import's problems in the user's words (workcalendar.rules gives them as codes)."""

from django.utils.translation import gettext as _

from workcalendar import rules


def describe(problem: rules.Problem, year: int) -> str:
    words = {
        rules.BAD_DATE: _('"%(value)s" is not a date; write it as %(year)s-01-31.'),
        rules.OUTSIDE_YEAR: _("%(value)s is not in %(year)s: this file is the calendar of %(year)s."),
        rules.DUPLICATE: _("%(value)s is listed twice (first on line %(other)s); keep one line per date."),
        rules.UNKNOWN_KIND: _('"%(value)s" is not a kind of day: write holiday, rest or workday.'),
        rules.NAME_TOO_LONG: _("The name starting “%(value)s” is longer than %(length)s characters."),
        rules.MISSING: _("A date and a kind are needed on every line."),
        rules.EXTRA_CELLS: _("The line has more than three values (date, kind, name)."),
        rules.NO_ROWS: _("The file has no rows."),
        rules.NOT_A_ROW: _("The row is not of the form date, kind, name."),
        rules.BAD_YEAR: _("The year %(value)s is outside the years the calendar keeps."),
        rules.CONTROL_CHARACTER: _("The line has a control character (such as NUL); remove it and import again."),
    }[problem.code]
    return words % {
        "value": problem.value,
        "year": year,
        "other": problem.other_line,
        "length": rules.NAME_LENGTH,
    }


def line_words(problem: rules.Problem) -> str:
    if problem.line is None:
        return _("the file")
    return _("line %(line)s") % {"line": problem.line}
