"""Ordering: an order issues an invoice with a gapless yearly number and a GST line, and paying
it with the stored card token activates the service."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import transaction

from hostpact.billing import services
from hostpact.billing.models import Invoice, InvoiceSequence, Order, Payment, Service
from hostpact.billing.tests.helpers import price
from hostpact.core import clock
from hostpact.core.models import AuditEntry
from hostpact.testing.factories import make_subscriber


def actor(user):
    return f"subscriber:{user.customer_id}"


@pytest.mark.django_db
@pytest.mark.commitment("C01")
def test_order_invoice_payment_activates_the_service(subscriber):
    """Catalogue → order → invoice (number, GST 18 % line, total) → payment with the stored card
    token → an active service renewing after its cycle."""
    with clock.freeze(datetime(2026, 3, 10, 6, 0, tzinfo=UTC)):
        placed = services.place_order(subscriber, price("vps-2gb", "monthly"),
                                      actor(subscriber))
        invoice = placed.invoice
        assert invoice.number == "INV-2026-000001" and invoice.status == Invoice.Status.OPEN
        assert invoice.subtotal == Decimal("799.00")
        assert invoice.tax_rate == Decimal("0.18") and invoice.tax == Decimal("143.82")
        assert invoice.total == Decimal("942.82")
        [line] = invoice.lines.all()
        assert line.description == "VPS 2 GB (monthly)" and line.amount == Decimal("799.00")
        assert placed.service.status == Service.Status.PENDING

        payment = services.pay_invoice(invoice, actor(subscriber))

    assert payment.amount == Decimal("942.82") and payment.reference.startswith("ch_test_")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    service = Service.objects.get(order=placed.order)
    assert service.status == Service.Status.ACTIVE
    assert service.started_at == datetime(2026, 3, 10, 6, 0, tzinfo=UTC)
    assert service.renews_at == datetime(2026, 4, 10, 6, 0, tzinfo=UTC)
    assert Order.objects.get(pk=placed.order.pk).status == Order.Status.PAID
    actions = list(AuditEntry.objects.filter(subject_id=subscriber.subject_id)
                   .values_list("action", flat=True))
    assert {"billing.invoice.issue", "billing.order.place", "billing.invoice.pay"} <= set(actions)


@pytest.mark.django_db
@pytest.mark.commitment("C01")
def test_annual_price_per_mailbox_multiplies_and_renews_after_a_year(subscriber):
    """Five mailboxes on the annual price: the line and GST are for five, renewal in a year."""
    with clock.freeze(datetime(2026, 1, 31, 12, 0, tzinfo=UTC)):
        placed = services.place_order(subscriber, price("email-business", "annual"),
                                      actor(subscriber), quantity=5)
        services.pay_invoice(placed.invoice, actor(subscriber))
    assert placed.invoice.subtotal == Decimal("2995.00")
    assert placed.invoice.tax == Decimal("539.10")
    service = Service.objects.get(pk=placed.service.pk)
    assert service.quantity == 5
    assert service.renews_at == datetime(2027, 1, 31, 12, 0, tzinfo=UTC)


@pytest.mark.django_db
@pytest.mark.commitment("C01")
def test_invoice_numbers_are_sequential_and_restart_at_the_indian_new_year():
    """Numbers run 1, 2, 3 within a year across subscribers, and restart at 1 when the year
    changes in India (18:30 UTC on 31 December), without a gap."""
    first, second = make_subscriber(), make_subscriber()
    numbers = []
    with clock.freeze(datetime(2026, 12, 31, 18, 0, tzinfo=UTC)):  # 23:30 in Kolkata
        for user in (first, second, first):
            numbers.append(services.place_order(user, price(), actor(user)).invoice.number)
    with clock.freeze(datetime(2026, 12, 31, 18, 31, tzinfo=UTC)):  # 00:01 on 1 January
        for user in (second, first):
            numbers.append(services.place_order(user, price(), actor(user)).invoice.number)
    assert numbers == ["INV-2026-000001", "INV-2026-000002", "INV-2026-000003",
                       "INV-2027-000001", "INV-2027-000002"]
    assert dict(InvoiceSequence.objects.values_list("year", "last")) == {2026: 3, 2027: 2}


@pytest.mark.django_db
@pytest.mark.commitment("C01")
def test_an_order_rolled_back_leaves_no_gap_in_the_numbers(subscriber):
    """A number taken in a transaction that fails is given back: the next invoice takes it."""
    with clock.freeze(datetime(2026, 5, 1, tzinfo=UTC)):
        services.place_order(subscriber, price(), actor(subscriber))

        class Boom(Exception):
            pass

        with pytest.raises(Boom), transaction.atomic():
            services.place_order(subscriber, price(), actor(subscriber))
            raise Boom
        third = services.place_order(subscriber, price(), actor(subscriber)).invoice
    assert third.number == "INV-2026-000002"
    assert list(Invoice.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_an_inactive_price_or_a_bad_quantity_is_refused_and_writes_nothing(subscriber):
    """Ordering a retired price, or several of a product sold one at a time, names the field
    and leaves no order, invoice, service or used number behind."""
    retired = price("shared-pro", "annual")
    retired.active = False
    retired.save()
    with pytest.raises(services.BillingError) as exc:
        services.place_order(subscriber, retired, actor(subscriber))
    assert exc.value.field == "price_id"
    with pytest.raises(services.BillingError) as exc:
        services.place_order(subscriber, price(), actor(subscriber), quantity=2)
    assert exc.value.field == "quantity"
    with pytest.raises(services.BillingError) as exc:
        services.place_order(subscriber, price("email-business"), actor(subscriber),
                             quantity=0)
    assert exc.value.field == "quantity"
    assert not Order.objects.exists() and not Invoice.objects.exists()
    assert not Service.objects.exists() and not InvoiceSequence.objects.exists()


@pytest.mark.django_db
def test_a_paid_invoice_cannot_be_paid_again(subscriber):
    """The second payment of the same invoice is refused; one payment exists."""
    invoice = services.place_order(subscriber, price(), actor(subscriber)).invoice
    services.pay_invoice(invoice, actor(subscriber))
    with pytest.raises(services.BillingError) as exc:
        services.pay_invoice(invoice, actor(subscriber))
    assert exc.value.code == "not_open"
    assert Payment.objects.filter(invoice=invoice).count() == 1


@pytest.mark.django_db
@pytest.mark.commitment("C01")
def test_renewal_invoice_is_issued_once_near_the_end_of_the_term_and_extends_it(subscriber):
    """A week before renewal the task issues one renewal invoice (not two); paying it moves
    ``renews_at`` on by one cycle."""
    from hostpact.billing.tasks import issue_renewal_invoices

    with clock.freeze(datetime(2026, 3, 10, 6, 0, tzinfo=UTC)):
        placed = services.place_order(subscriber, price(), actor(subscriber))
        services.pay_invoice(placed.invoice, actor(subscriber))
        assert issue_renewal_invoices.call() == 0
    with clock.freeze(datetime(2026, 4, 5, 6, 0, tzinfo=UTC)):
        assert issue_renewal_invoices.call() == 1
        assert issue_renewal_invoices.call() == 0
        renewal = Invoice.objects.get(order=placed.order, status=Invoice.Status.OPEN)
        assert renewal.number == "INV-2026-000002" and "renewal to 10 May 2026" in \
            renewal.lines.get().description
        services.pay_invoice(renewal, actor(subscriber))
    service = Service.objects.get(pk=placed.service.pk)
    assert service.renews_at == datetime(2026, 5, 10, 6, 0, tzinfo=UTC)
