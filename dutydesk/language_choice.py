"""Who hears that a signed-in person chose a language with the switcher (issue #27 point 3).

The switcher is the shared layer's view; what the choice is kept for (the language of e-mailed notices) belongs to
the notifications app, which registers here in ready(): dutydesk/ imports no app above it (test_layering).
"""

from collections.abc import Callable

Listener = Callable[..., None]
_listeners: list[Listener] = []


def register(listener: Listener) -> None:
    """`listener(profile=..., language=...)` is called after the switch; registering twice keeps one."""
    if listener not in _listeners:
        _listeners.append(listener)


def chosen(*, profile, language: str) -> None:
    for listener in _listeners:
        listener(profile=profile, language=language)
