"""Auto-renewal: a domain with auto-renew on is invoiced, charged and renewed before it expires.

Daily, each active domain with auto-renew within ``AUTO_RENEW_DAYS`` of its expiry gets one
renewal year: an invoice at its TLD's renewal price (or the open one a declined card left, so
there is never a second), the charge, and a ``Fulfilment`` written with the payment that renews
it at the registry. A declined card mails the customer; the next run tries the same invoice.
Once renewed, the domain's expiry is past the window, so a second run does nothing.
"""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse

from hostpact.billing.models import Invoice, Order
from hostpact.billing.services import BillingError, invoice_orders, pay_invoice, place_items
from hostpact.core import clock
from hostpact.core.branding import from_address, site_url_for
from hostpact.core.mail import queue_mail
from hostpact.domains.models import Domain
from hostpact.domains.queries import shown
from hostpact.privacy.rights.guard import SubjectErased, lock_subject_for_write
from hostpact.storefront.models import Fulfilment
from hostpact.storefront.pricing import line_item_for_renewal
from hostpact.storefront.services.fulfilment import fulfil_one

AUTO_RENEW_DAYS = 30
ACTOR = "system:auto-renew"


def domains_due() -> list[int]:
    """Return the ids of active auto-renewing domains expiring within the window."""
    return list(Domain.objects.filter(
        auto_renew=True, state=Domain.State.ACTIVE,
        expires_at__lte=clock.now() + timedelta(days=AUTO_RENEW_DAYS)).values_list("pk",
                                                                                   flat=True))


def _open_invoice(domain: Domain) -> Invoice | None:
    return (Invoice.objects.filter(status=Invoice.Status.OPEN, user=domain.user,
                                   lines__order__kind="domain_renewal",
                                   lines__order__domain=domain.name,
                                   lines__order__status=Order.Status.PENDING)
            .distinct().first())


def _invoice(domain_id: int) -> tuple[Domain, Invoice] | None:
    with transaction.atomic():
        subject_id = Domain.objects.filter(pk=domain_id).values_list("subject_id",
                                                                     flat=True).first()
        try:
            lock_subject_for_write(subject_id)
        except SubjectErased:
            return None
        domain = Domain.objects.select_related("user").filter(
            pk=domain_id, auto_renew=True, state=Domain.State.ACTIVE,
            expires_at__lte=clock.now() + timedelta(days=AUTO_RENEW_DAYS)).first()
        if domain is None or domain.user is None or Fulfilment.objects.filter(
                domain=domain.name, state=Fulfilment.State.PENDING).exists():
            return None
        invoice = _open_invoice(domain)
        if invoice is None:
            line = line_item_for_renewal(domain.name, 1, domain.user.realm_id)
            if line is None:
                return None  # the TLD has no renewal price: nothing to charge
            invoice = place_items(domain.user, [line], actor=ACTOR).invoice
        return domain, invoice


def _declined(domain: Domain, exc: BillingError) -> None:
    realm_id = domain.user.realm_id
    page = site_url_for(realm_id) + reverse("panel:information")
    with transaction.atomic():
        queue_mail(domain.subject_id, domain.user.email,
                   f"We could not renew {shown(domain.name)}",
                   f"Hello,\n\n{shown(domain.name)} expires on "
                   f"{domain.expires_at:%d %b %Y} and renews automatically, but the payment "
                   f"failed: {exc}\n\nPlease update your card in My information "
                   f"({page}); we will try again tomorrow.\n",
                   from_addr=from_address(realm_id))


def auto_renew(domain_id: int) -> str:
    """Renew one due domain for a year; answer "renewed", "declined" or "" (nothing due)."""
    found = _invoice(domain_id)
    if found is None:
        return ""
    domain, invoice = found
    [order] = invoice_orders(invoice)
    try:
        with transaction.atomic():
            lock_subject_for_write(domain.subject_id)
            now = clock.now()
            row = Fulfilment.objects.create(
                order=order, user=domain.user, subject_id=domain.subject_id,
                kind=Fulfilment.Kind.RENEW, domain=domain.name, years=1, created_at=now,
                updated_at=now)
            pay_invoice(invoice, actor=ACTOR)
    except BillingError as exc:
        _declined(domain, exc)
        return "declined"
    fulfil_one(row.pk)
    return "renewed"
