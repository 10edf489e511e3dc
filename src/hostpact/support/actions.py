"""Links other apps add to the support desk's ticket page, without support importing them.

An app higher up (community: "Record as a removal request") registers a label, the URL of its
own back-office page for a ticket, and the queues whose tickets show it; the ticket page asks
``actions_for(ticket)``. Support stays below the apps that use it.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TicketAction:
    label: str
    url_for: Callable  # url_for(ticket) -> str
    queues: tuple[str, ...]


_actions: dict[str, TicketAction] = {}


def register_ticket_action(label: str, url_for: Callable, queues=("abuse",)) -> None:
    """Show a link ``label`` to ``url_for(ticket)`` on the page of tickets in ``queues``."""
    _actions[label] = TicketAction(label, url_for, tuple(queues))


def actions_for(ticket) -> list[tuple[str, str]]:
    """Return the (label, URL) of every action registered for ``ticket``'s queue."""
    return [(a.label, a.url_for(ticket)) for a in _actions.values() if ticket.queue in a.queues]
