"""A reseller's customer stops the reseller's contact (C40, policy 10.2).

The customer tells the reseller (its panel, its API or the form on its storefront); the wish is
recorded once, takes the customer off every marketing list, and from then on the send filter
registered with core's outbox (``skip_opted_out``) stops any marketing mail the platform would
send them for the reseller, even one queued before. Transactional notices still go.
"""

from django.db import IntegrityError, transaction

from hostpact.accounts.models import User
from hostpact.core import audit, clock
from hostpact.marketing import lists
from hostpact.marketing import services as marketing
from hostpact.resellers.models import OptOut, Reseller
from hostpact.resellers.queries import reseller_of_realm

SKIP_REASON = "the customer stopped the reseller's contact"


class OptOutError(ValueError):
    """An opt-out that cannot be recorded; ``field`` names the part at fault."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def record_opt_out(reseller: Reseller, customer: User, *, channel: str, actor: str
                   ) -> tuple[OptOut, bool]:
    """Record that ``customer`` wants no more of ``reseller``'s contact and take them off every
    marketing list; return the opt-out and whether it is new (a second returns the first)."""
    if customer.realm_id != reseller.realm_id:
        raise OptOutError("This account is not a customer of this reseller.", "customer")
    if channel not in OptOut.Channel.values:
        raise OptOutError(f"channel: one of {', '.join(OptOut.Channel.values)}.", "channel")
    found = OptOut.objects.filter(reseller=reseller, subject_id=customer.subject_id).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            row = OptOut.objects.create(reseller=reseller, subject_id=customer.subject_id,
                                        channel=channel, recorded_by=actor[:64],
                                        recorded_at=clock.now())
            marketing.unsubscribe_all_marketing(customer.subject_id, marketing.Method.RESELLER,
                                                actor)
            audit.record(actor, "resellers.opt_out", customer.subject_id, [],
                         f"opt-out:{row.pk}:{channel}")
    except IntegrityError:  # recorded at the same moment by another request
        return OptOut.objects.get(reseller=reseller, subject_id=customer.subject_id), False
    return row, True


def after_leaving(subject_id, list_key: str, method: str) -> None:
    """Record a reseller's customer's one-click unsubscribe from a mail (RFC 8058) as their
    opt-out of the reseller's contact: the mail was the reseller's (marketing's listener)."""
    if method != marketing.Method.ONE_CLICK:
        return
    customer = User.objects.filter(subject_id=subject_id, realm__isnull=False).first()
    reseller = reseller_of_realm(customer.realm_id) if customer is not None else None
    if reseller is not None:
        record_opt_out(reseller, customer, channel=OptOut.Channel.ONE_CLICK, actor="system")


def has_opted_out(subject_id) -> bool:
    """Return True if ``subject_id`` stopped their reseller's contact."""
    return OptOut.objects.filter(subject_id=subject_id).exists()


def skip_opted_out(messages) -> dict[int, str]:
    """The send filter: skip every marketing message to a customer who stopped their
    reseller's contact (one query per batch; transactional notices are left alone)."""
    marketing_keys = {m.key for m in lists.marketing_lists()}
    promo = {m.subject_id for m in messages if m.category in marketing_keys and m.subject_id}
    if not promo:
        return {}
    out = set(OptOut.objects.filter(subject_id__in=promo).values_list("subject_id", flat=True))
    return {m.pk: SKIP_REASON for m in messages
            if m.category in marketing_keys and m.subject_id in out}
