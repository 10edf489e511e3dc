"""Retention per relationship (C41): a reseller's customer's data is kept while a service to
that customer runs, then offered to the reseller and deleted after a grace period.

An ``Offboarding`` opens when a customer's last service ends (billing's refund event, which
cancels the service: ``on_refunded``) or when the relationship with the reseller ends
(``end_relationship``: every customer gets one). The reseller is mailed that the data is
offered as an export (its panel downloads it through ``exports.export_customer``, which marks
it exported). ``run_offboarding`` (a daily task) erases each customer through the rights engine
once ``RESELLER_GRACE_DAYS`` have passed: tax invoices stay under their legal basis (the
engine keeps them), and so does whatever a legal hold (a dispute, a legal obligation, the
enforcement of an agreement) covers, listed in the report with its basis and end. A hold on the
whole customer pauses the erasure; the retention run resumes it once the hold ends, and the
next offboarding run records the deletion. A customer who pays for a new service during the
grace period keeps their account: the offboarding is cancelled (``on_paid``).
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from hostpact.billing.models import Service
from hostpact.core import audit, clock
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.privacy.rights.models import ErasureJob
from hostpact.resellers import hosts
from hostpact.resellers.models import Offboarding, Reseller
from hostpact.resellers.queries import customers_of, reseller_of_realm
from hostpact.resellers.services.removals import build_report, mail_controller

log = logging.getLogger(__name__)

SERVICES_ENDED = "services_ended"
RELATIONSHIP_ENDED = "relationship_ended"
RUNNING = (Service.Status.ACTIVE, Service.Status.SUSPENDED)
ACTOR = "system:offboarding"


def grace() -> timedelta:
    """Return how long the data stays offered before it is deleted."""
    return timedelta(days=settings.RESELLER_GRACE_DAYS)


def has_running_service(subject_id) -> bool:
    """Return True if a service to the subject is active or suspended (not ended)."""
    return Service.objects.filter(subject_id=subject_id, status__in=RUNNING).exists()


def _offer(reseller: Reseller, subject_id, reason: str, actor: str
           ) -> tuple[Offboarding, bool]:
    existing = Offboarding.objects.filter(reseller=reseller, subject_id=subject_id,
                                          state=Offboarding.State.OFFERED).first()
    if existing is not None:
        return existing, False
    now = clock.now()
    try:
        with transaction.atomic():
            ob = Offboarding.objects.create(reseller=reseller, subject_id=subject_id,
                                            reason=reason, offered_at=now,
                                            delete_after=now + grace())
            audit.record(actor, "resellers.offboarding.offer", subject_id, [],
                         f"offboarding:{ob.pk}")
    except IntegrityError:  # opened at the same moment by another path
        return Offboarding.objects.get(reseller=reseller, subject_id=subject_id,
                                       state=Offboarding.State.OFFERED), False
    return ob, True


def customer_services_ended(reseller: Reseller, customer, *, actor: str
                            ) -> Offboarding | None:
    """Open the offboarding of ``customer`` once no service to them runs (None while one
    does, or for anyone who is not ``reseller``'s customer), and mail the reseller the
    offer."""
    if customer is None or customer.realm_id != reseller.realm_id or customer.realm_id is None:
        return None
    if has_running_service(customer.subject_id):
        return None
    with transaction.atomic():
        ob, created = _offer(reseller, customer.subject_id, SERVICES_ENDED, actor)
        if created:
            mail_controller(reseller, "resellers/mail/offboarding_offer.txt",
                            {"count": 1, "customers": [customer.customer_id],
                             "delete_after": ob.delete_after, "reason": SERVICES_ENDED},
                            f"Your customer {customer.customer_id}'s data: export it before "
                            f"{ob.delete_after:%d %B %Y}")
    return ob


def end_relationship(reseller: Reseller, *, actor: str) -> list[Offboarding]:
    """End the relationship with ``reseller``: it stops selling, and every one of its
    customers' data is offered to it, then deleted after the grace period. Ending it again
    offers nothing new."""
    with transaction.atomic():
        reseller = Reseller.objects.select_for_update().get(pk=reseller.pk)
        if reseller.state != Reseller.State.ENDED:
            reseller.state, reseller.ended_at = Reseller.State.ENDED, clock.now()
            reseller.save(update_fields=["state", "ended_at"])
            audit.record(actor, "resellers.ended", None, [], f"reseller:{reseller.pk}")
        opened = []
        for customer in customers_of(reseller).order_by("pk"):
            ob, created = _offer(reseller, customer.subject_id, RELATIONSHIP_ENDED, actor)
            if created:
                opened.append((ob, customer.customer_id))
        if opened:
            delete_after = opened[0][0].delete_after
            mail_controller(reseller, "resellers/mail/offboarding_offer.txt",
                            {"count": len(opened), "customers": [c for _, c in opened],
                             "delete_after": delete_after, "reason": RELATIONSHIP_ENDED},
                            f"Our relationship has ended: export your customers' data before "
                            f"{delete_after:%d %B %Y}")
        transaction.on_commit(hosts.forget)
    log.info("relationship with reseller %s ended, %d offboardings", reseller.pk, len(opened))
    return [ob for ob, _ in opened]


def cancel_offboarding(ob: Offboarding, *, actor: str) -> Offboarding:
    """Cancel an offered offboarding (the customer has a service again)."""
    with transaction.atomic():
        ob = Offboarding.objects.select_for_update().get(pk=ob.pk)
        if ob.state == Offboarding.State.OFFERED:
            ob.state = Offboarding.State.CANCELLED
            ob.save(update_fields=["state"])
            audit.record(actor, "resellers.offboarding.cancel", ob.subject_id, [],
                         f"offboarding:{ob.pk}")
    return ob


def _report(ob: Offboarding, job: ErasureJob) -> dict:
    report = build_report([], job)
    del report["removed"]
    if job.state != ErasureJob.State.DONE:
        report["held"] = job.hold_reason
    return report


def _delete(ob: Offboarding) -> Offboarding:
    if ob.reason == SERVICES_ENDED and has_running_service(ob.subject_id):
        return cancel_offboarding(ob, actor=ACTOR)
    job = erasure.erase_subject(ob.subject_id, actor=ACTOR, reason=ErasureJob.Reason.RESELLER)
    with transaction.atomic():
        ob = Offboarding.objects.select_for_update().get(pk=ob.pk)
        ob.report = _report(ob, job)
        fields = ["report"]
        if job.state == ErasureJob.State.DONE:
            ob.state, ob.deleted_at = Offboarding.State.DELETED, clock.now()
            fields += ["state", "deleted_at"]
            audit.record(ACTOR, "resellers.offboarding.delete", ob.subject_id, [],
                         f"offboarding:{ob.pk}")
        ob.save(update_fields=fields)
    return ob


def run_offboarding(moment=None) -> int:
    """Delete the data of every offboarding whose grace period is over (a hold on the whole
    customer leaves it offered, with the hold's reason in its report, until the retention run
    has finished the erasure); return how many were deleted. Idempotent."""
    moment = moment or clock.now()
    deleted = 0
    due = Offboarding.objects.filter(state=Offboarding.State.OFFERED, delete_after__lte=moment)
    for ob in list(due.order_by("delete_after", "pk")):
        try:
            if _delete(ob).state == Offboarding.State.DELETED:
                deleted += 1
        except Exception:  # noqa: BLE001 - one customer's failure must not stop the others
            log.exception("offboarding %s could not be deleted", ob.pk)
    return deleted


# --- billing's events ------------------------------------------------------------------------

def on_refunded(order, refund) -> None:
    """Billing's refund event (it cancels the order's service): offboard a reseller's
    customer whose last service that was."""
    reseller = reseller_of_realm(getattr(order.user, "realm_id", None))
    if reseller is not None and Service.objects.filter(order=order).exists():
        customer_services_ended(reseller, order.user, actor="system:billing")


def on_paid(invoice, payment) -> None:
    """Billing's payment event: a customer who pays for a service during the grace period
    keeps their data, so their offboarding for ended services is cancelled."""
    open_ = Offboarding.objects.filter(subject_id=invoice.subject_id, reason=SERVICES_ENDED,
                                       state=Offboarding.State.OFFERED)
    for ob in list(open_):
        if has_running_service(ob.subject_id):
            cancel_offboarding(ob, actor="system:billing")
