"""Addresses mail must no longer reach, and the bounces that lead there (policy 5.2, DESIGN
"Mail": one suppression state per address, checked at send time).

A suppression is kept per address (its blind index), never per account: a dead or unwilling
mailbox stays so whoever's account points at it. Marketing mail never goes to a suppressed
address; account notices still go unless the address hard-bounced. The feedback handlers
(``marketing.feedback``) parse the reports and call these services.
"""

from datetime import timedelta

from django.db import transaction

from hostpact.accounts.models import User
from hostpact.core import audit, clock, crypto
from hostpact.marketing.models import Bounce, Suppression

Reason = Suppression.Reason
SOFT_LIMIT = 3  # soft bounces ...
SOFT_WINDOW = timedelta(days=30)  # ... within this long suppress the address


def address_index(address: str) -> str:
    """The blind index an address is suppressed under (the accounts' email index)."""
    return crypto.blind_index("email", address or "")


def _subject_of(index: str):
    """The subscriber whose account uses the address, for the audit event, or None."""
    return (User.objects.filter(email_index=index).values_list("subject_id", flat=True)
            .first())


def suppressed(address: str) -> Suppression | None:
    """Return the suppression of ``address``, or None."""
    return Suppression.objects.filter(address_index=address_index(address)).first()


def suppressed_indexes(indexes) -> dict[str, str]:
    """Map each suppressed blind index among ``indexes`` to its reason."""
    out: dict[str, str] = {}
    indexes = [i for i in set(indexes) if i]
    for start in range(0, len(indexes), 500):
        out.update(Suppression.objects.filter(address_index__in=indexes[start:start + 500])
                   .values_list("address_index", "reason"))
    return out


def suppress_address(address: str, reason: str, detail: str = "", actor: str = "system"
                     ) -> Suppression:
    """Suppress ``address`` for ``reason``; return the suppression.

    An address already suppressed stays so; a hard bounce replaces a milder reason, because
    only a hard bounce also stops account notices. ``detail`` (a DSN status, a feedback type)
    must not hold an address.
    """
    if reason not in Reason.values:
        raise ValueError(f"unknown suppression reason {reason!r}")
    index = address_index(address)
    with transaction.atomic():
        row = Suppression.objects.select_for_update().filter(address_index=index).first()
        if row is not None and (row.reason == reason or reason != Reason.HARD_BOUNCE):
            return row
        if row is None:
            row = Suppression.objects.create(address_index=index, reason=reason,
                                             detail=detail[:200], created_at=clock.now())
        else:
            row.reason, row.detail = reason, detail[:200]
            row.save(update_fields=["reason", "detail"])
        audit.record(actor, "marketing.suppress", _subject_of(index), ["address_index"],
                     f"suppression:{row.pk}:{reason}")
    return row


def remove_suppression(suppression: Suppression, actor: str) -> None:
    """Lift ``suppression`` (staff: the mailbox works again); its bounces go with it."""
    with transaction.atomic():
        index = suppression.address_index
        Bounce.objects.filter(address_index=index).delete()
        Suppression.objects.filter(pk=suppression.pk).delete()
        audit.record(actor, "marketing.unsuppress", _subject_of(index), ["address_index"],
                     f"suppression:{suppression.pk}")


def record_bounce(address: str, *, kind: str, status: str, message=None,
                  actor: str = "system") -> Suppression | None:
    """Record a bounce of ``address`` and apply the rule: a hard bounce suppresses at once,
    ``SOFT_LIMIT`` soft bounces within ``SOFT_WINDOW`` too. Return the suppression, if any."""
    if kind not in Bounce.Kind.values:
        raise ValueError(f"unknown bounce kind {kind!r}")
    index = address_index(address)
    now = clock.now()
    with transaction.atomic():
        Bounce.objects.create(address_index=index, kind=kind, status=status[:16],
                              message=message, at=now)
        audit.record(actor, "marketing.bounce", _subject_of(index), ["address_index"],
                     f"bounce:{kind}:{status[:16]}")
        if kind == Bounce.Kind.HARD:
            return suppress_address(address, Reason.HARD_BOUNCE, status, actor)
        recent = Bounce.objects.filter(address_index=index, kind=Bounce.Kind.SOFT,
                                       at__gt=now - SOFT_WINDOW).count()
        if recent >= SOFT_LIMIT:
            return suppress_address(address, Reason.SOFT_BOUNCES, status, actor)
    return suppressed(address)
