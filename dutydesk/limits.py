"""How long free text may be, once for every app: the form refuses longer text with a clear message (max_length)
and the database refuses it too (a check constraint per field), so nothing stores or sends a megabyte of text.

Sizes are characters (Chinese text: one character each). A model field declares `TextField(max_length=...)`, which
ModelForms and the admin follow; `length_checks` gives the matching constraints for the model's Meta.
"""

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

NOTE = 1000  # a reason, a note, a comment
TEXT = 2000  # an entry's content, a summary, handover information
LONG = 4000  # a written report, accumulated progress notes
LIST = 10000  # a list made from other records (the handover's open items)


def length_checks(prefix: str, **limits: int) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=f"{prefix}_{field}_length")
        for field, limit in limits.items()
    ]
