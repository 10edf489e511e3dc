"""The hook through which the registration data directories (WHOIS, RDAP) follow every change.

The directories serve precomputed answers (docs/decisions/0006). Every domain service that
changes what they publish (dates, statuses, name servers, contacts, the privacy setting, the
end of sponsorship) calls ``changed()`` after its writes, inside its own transaction; the
listeners (the ``rds`` app registers one, above this app) rewrite their answers in the same
transaction, so an answer is never older than the data it was made from and a rolled-back
change leaves the old answer in place.
"""

from collections.abc import Callable, Iterable

Listener = Callable[[list[int], list[int]], None]
_listeners: list[Listener] = []


def on_change(listener: Listener) -> Listener:
    """Register ``listener(domain_ids, contact_ids)``, called on every published change."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def _ids(objects) -> list[int]:
    if objects is None:
        return []
    if not isinstance(objects, Iterable) or hasattr(objects, "pk"):
        objects = [objects]
    return sorted({getattr(o, "pk", o) for o in objects if getattr(o, "pk", o) is not None})


def changed(domains=None, contacts=None) -> None:
    """Tell the directories that ``domains`` and/or ``contacts`` (objects or ids) changed.

    Call it inside the transaction of the change, after the writes."""
    domain_ids, contact_ids = _ids(domains), _ids(contacts)
    if not (domain_ids or contact_ids):
        return
    for listener in _listeners:
        listener(domain_ids, contact_ids)
