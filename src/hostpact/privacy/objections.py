"""Objections to a data use: what stops it for the person who objects.

A verified objection in the data-subject-request flow names a data use. The policy engine stops
the optional uses its versions added; an app that keeps a switch of its own for a use (a mail
list's subscription, in marketing) registers a handler here from its ``datamap.py``, and the
request's fulfilment runs every handler of that use and of the narrower ones.
"""

from collections.abc import Callable

from hostpact.privacy import taxonomy

_objection_handlers: list[tuple[str, Callable]] = []


def objection_handler(use: str, handler: Callable) -> None:
    """Let ``handler(subject_id, actor) -> bool`` stop ``use`` for a person who objects to it
    or to a broader use (a verified data-subject request); it answers whether it changed
    anything (a mail list's subscription, say)."""
    taxonomy.check("data_use", use)
    if (use, handler) not in _objection_handlers:
        _objection_handlers.append((use, handler))


def handle_objection(subject_id, use: str, actor: str) -> list[str]:
    """Run the handlers of ``use`` and of every narrower use; return the uses stopped."""
    return [own for own, handler in _objection_handlers
            if taxonomy.within(own, use) and handler(subject_id, actor)]
