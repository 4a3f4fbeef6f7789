"""Stored texts in the reader's language: a message key and its parameters are stored, never the sentence.

A notice, a discipline record's reason or a change-log line written by the system used to be stored as the sentence
in the writer's language, so an English reader saw Chinese (issue #27 point 3). Now each app defines its messages
once, in its `texts.py`, as keys with lazy translatable templates:

    LEAVE_APPROVED = define("leave.approved", _("Leave of %(name)s approved"))
    notify(..., subject=LEAVE_APPROVED(name=profile.name))

`LEAVE_APPROVED(name=...)` is a `Text`: its key and parameters, stored as JSON (`Text.as_json`) beside the text
column that rows had before, and rendered when read, in the reader's language (`render`, the `|text` filter). A
parameter is a plain value (a name, a date already written out), another Text (a shift kind, a field's label), or
a list of them (said with the language's list separator). A row written before a key existed, or whose key is no
longer defined, shows the text stored beside it: old rows stay readable.

Every app's `texts` module is imported at start-up (DutydeskConfig.ready), so any page can render any key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import pgettext

_TEMPLATES: dict[str, object] = {}  # key -> lazy template (gettext_lazy / pgettext_lazy)


@dataclass(frozen=True)
class Text:
    key: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return render_text(self)

    def as_json(self) -> dict:
        return {"key": self.key, "params": {name: _json(value) for name, value in self.params.items()}}

    def map_params(self, change: Callable[[str], str]) -> Text:
        """The same text with every plain string parameter passed through `change` (e.g. masking)."""
        return Text(self.key, {name: _map(value, change) for name, value in self.params.items()})


def define(key: str, template) -> Callable[..., Text]:
    """Register `key` with its lazy template (%(name)s placeholders); returns the maker of its Texts."""
    if key in _TEMPLATES and str(_TEMPLATES[key]) != str(template):
        raise ValueError(f"text key {key!r} is defined twice with different templates")
    _TEMPLATES[key] = template

    def make(**params) -> Text:
        return Text(key, params)

    make.key = key
    return make


def is_defined(key: str) -> bool:
    return key in _TEMPLATES


def _json(value):
    if isinstance(value, Text):
        return value.as_json()
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, int | float | bool) or value is None:
        return value
    return str(value)


def _map(value, change):
    if isinstance(value, Text):
        return value.map_params(change)
    if isinstance(value, list | tuple):
        return [_map(v, change) for v in value]
    if isinstance(value, str):
        return change(value)
    return value


def from_json(data) -> Text | None:
    """The Text stored as `data` (a dict from as_json), or None for an empty or malformed value."""
    if not isinstance(data, dict) or not isinstance(data.get("key"), str):
        return None
    return Text(data["key"], {name: _param(value) for name, value in (data.get("params") or {}).items()})


def _param(value):
    if isinstance(value, dict):
        return from_json(value) or ""
    if isinstance(value, list):
        return [_param(v) for v in value]
    return value


def listed(values) -> str:
    """Values said as a list in the active language: 、 in Chinese, a comma in English."""
    return pgettext("list separator", ", ").join(str(v) for v in values)


def _rendered(value) -> str | int | float:
    if isinstance(value, Text):
        return render_text(value)
    if isinstance(value, list):
        # The language's way of listing things: 、 in Chinese, a comma in English.
        return pgettext("list separator", ", ").join(str(_rendered(v)) for v in value)
    return "" if value is None else value


def render_text(text: Text, fallback: str = "") -> str:
    template = _TEMPLATES.get(text.key)
    if template is None:
        return fallback
    params = {name: _rendered(value) for name, value in text.params.items()}
    try:
        return str(template) % params if params else str(template)
    except (KeyError, TypeError, ValueError):
        return fallback or str(template)


def render(data, fallback: str = "", *, language: str | None = None) -> str:
    """A stored text (JSON from Text.as_json) in the active language, or in `language`; `fallback` (the text
    stored beside it) when there is none or its key is not defined."""
    text = data if isinstance(data, Text) else from_json(data)
    if text is None:
        return fallback or ""
    if language is None:
        return render_text(text, fallback)
    with translation.override(language):
        return render_text(text, fallback)


def stored(value) -> tuple[str, dict]:
    """(the sentence as a fallback in the site's language, the JSON to store) for a Text or a plain string: what a
    model with a text column and a JSON column beside it saves. A plain string (a person's own words) has no key."""
    from django.conf import settings

    if isinstance(value, Text):
        return render(value, language=settings.LANGUAGE_CODE), value.as_json()
    return value or "", {}


def discover() -> None:
    """Import every installed app's `texts` module, so that each key is defined before any page renders it."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("texts")
