"""The hooks through which apps above billing follow payments and refunds.

Rewards, commissions and their clawbacks (the ``referrals`` app) are facts about a payment, so
they must be written in the paying transaction: a payment rolled back takes them with it. Yet a
reward is never worth a failed payment: each listener runs in its own savepoint, and its error is
logged (by ids only, never a name or an amount) and swallowed, so the payment or refund goes on.
"""

import logging
from collections.abc import Callable

from django.db import transaction

log = logging.getLogger(__name__)

Listener = Callable[[object, object], None]
_paid: list[Listener] = []
_refunded: list[Listener] = []


def _register(listeners: list, fn):
    if fn not in listeners:
        listeners.append(fn)
    return fn


def on_paid(fn: Listener) -> Listener:
    """Register ``fn(invoice, payment)``, called inside the transaction that paid the invoice.

    Usable as a decorator; registering the same function twice registers it once."""
    return _register(_paid, fn)


def on_refunded(fn: Listener) -> Listener:
    """Register ``fn(order, refund)``, called inside the transaction that refunded the order.

    Usable as a decorator; registering the same function twice registers it once."""
    return _register(_refunded, fn)


def _name(fn) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


def _notify(listeners: list, event: str, first, second) -> None:
    for fn in list(listeners):
        try:
            with transaction.atomic():
                fn(first, second)
        except Exception as exc:
            # Ids and the exception's type only: its message could carry personal data.
            log.error("billing %s listener %s failed for %s %s (%s)", event, _name(fn),
                      type(first).__name__.lower(), first.pk, type(exc).__name__)


def paid(invoice, payment) -> None:
    """Tell the listeners ``invoice`` was paid by ``payment``; call it inside the payment's
    transaction, after its writes."""
    _notify(_paid, "paid", invoice, payment)


def refunded(order, refund) -> None:
    """Tell the listeners ``order`` was refunded by ``refund``; call it inside the refund's
    transaction, after its writes."""
    _notify(_refunded, "refunded", order, refund)
