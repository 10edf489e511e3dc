"""Multi-line orders: several items on one invoice, an order per line, services for products."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from hostpact.billing import services
from hostpact.billing.models import Invoice, InvoiceLine, Order, Service
from hostpact.billing.services import BillingError, LineItem
from hostpact.billing.tests.helpers import price
from hostpact.core import clock
from hostpact.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def actor(user):
    return f"subscriber:{user.customer_id}"


def items():
    plan = price("shared-starter", "annual")
    return [
        LineItem("Registration of cart-one.test, 2 years", Decimal("799.00"), 2,
                 kind="domain_registration", domain="cart-one.test"),
        LineItem("Starter (annual)", plan.amount, price=plan, domain="cart-one.test"),
    ]


def test_items_become_orders_on_one_invoice_with_gst_per_line(subscriber):
    """A domain for 2 years and a plan: one open invoice with two lines, each linked to its
    order; GST on each; a pending service for the plan only, attached to the domain."""
    with clock.freeze(NOW):
        placed = services.place_items(subscriber, items(), actor=actor(subscriber))
    invoice = Invoice.objects.get(pk=placed.invoice.pk)
    assert invoice.status == Invoice.Status.OPEN
    assert (invoice.subtotal, invoice.tax, invoice.total) == (
        Decimal("3097.00"), Decimal("557.46"), Decimal("3654.46"))
    domain, plan = placed.orders
    assert (domain.kind, domain.domain, domain.product, domain.quantity, domain.total) == (
        "domain_registration", "cart-one.test", None, 2, Decimal("1885.64"))
    assert (plan.kind, plan.product.code, plan.cycle, plan.total) == (
        "product", "shared-starter", "annual", Decimal("1768.82"))
    lines = list(InvoiceLine.objects.filter(invoice=invoice))
    assert [(ln.order_id, ln.description, ln.quantity, ln.unit_amount, ln.amount)
            for ln in lines] == [
        (domain.pk, "Registration of cart-one.test, 2 years", 2, Decimal("799.00"),
         Decimal("1598.00")),
        (plan.pk, "Starter (annual)", 1, Decimal("1499.00"), Decimal("1499.00"))]
    [service] = placed.services
    assert (service.order_id, service.domain, service.status) == (
        plan.pk, "cart-one.test", Service.Status.PENDING)
    assert AuditEntry.objects.filter(action="billing.order.place").count() == 2


def test_paying_marks_every_order_paid_and_starts_the_plan(subscriber):
    """Paying the invoice once: both orders paid, the plan's service active for its cycle."""
    with clock.freeze(NOW):
        placed = services.place_items(subscriber, items(), actor=actor(subscriber))
        payment = services.pay_invoice(placed.invoice, actor(subscriber))
    assert payment.amount == Decimal("3654.46")
    assert set(Order.objects.filter(pk__in=[o.pk for o in placed.orders])
               .values_list("status", flat=True)) == {"paid"}
    service = Service.objects.get(pk=placed.services[0].pk)
    assert service.status == Service.Status.ACTIVE
    assert service.renews_at == datetime(2027, 5, 4, 9, 0, tzinfo=UTC)


def test_a_renewal_after_a_multi_line_order_still_extends_its_service(subscriber):
    """The plan of a multi-line order is invoiced again near its end; paying it extends it."""
    with clock.freeze(NOW):
        placed = services.place_items(subscriber, items(), actor=actor(subscriber))
        services.pay_invoice(placed.invoice, actor(subscriber))
    service = placed.services[0]
    with clock.freeze(datetime(2027, 5, 1, 9, 0, tzinfo=UTC)):
        renewal = services.issue_renewal_invoice(service.pk)
        assert services.issue_renewal_invoice(service.pk) is None  # one open at a time
        services.pay_invoice(renewal, "system")
    assert renewal.lines.get().order_id == service.order_id
    assert Service.objects.get(pk=service.pk).renews_at == datetime(2028, 5, 4, 9, 0,
                                                                     tzinfo=UTC)


def renewal(**changes):
    """A domain renewal line, with ``changes`` made to it."""
    fields = {"description": "Renewal of a.test, 1 year", "amount": Decimal("10.00"),
              "kind": "domain_renewal", "domain": "a.test", **changes}
    return [LineItem(**fields)]


@pytest.mark.parametrize("bad,field", [
    (lambda: [], "items"),
    (lambda: "not a list", "items"),
    (lambda: [{"description": "x"}], "items"),
    (lambda: renewal(amount=Decimal("-1.00")), "amount"),
    (lambda: renewal(amount=Decimal("1.001")), "amount"),
    (lambda: renewal(amount=1.5), "amount"),
    (lambda: renewal(amount="ten"), "amount"),
    (lambda: renewal(amount=Decimal("NaN")), "amount"),
    (lambda: renewal(quantity=0), "quantity"),
    (lambda: renewal(quantity=101), "quantity"),
    (lambda: renewal(quantity=True), "quantity"),
    (lambda: renewal(description=""), "description"),
    (lambda: renewal(kind="hosting"), "kind"),
    (lambda: renewal(domain=""), "domain"),
    (lambda: renewal(domain="Ünï.test"), "domain"),
    (lambda: renewal(price=price()), "price"),
    (lambda: [LineItem("Thing", Decimal("10.00"))], "price"),
    (lambda: [LineItem("Thing", Decimal("1.00"), price=price())], "amount"),
    (lambda: [LineItem("Thing", price().amount, 2, price=price())], "quantity"),
])
def test_bad_items_are_refused_naming_the_field_and_write_nothing(subscriber, bad, field):
    """No items, a negative, fractional-paisa, float or text amount, a quantity out of range,
    no description, an unknown kind, a domain line without an A-label, a product without its
    price or at another amount: BillingError naming the field, nothing written."""
    with pytest.raises(BillingError) as exc:
        services.place_items(subscriber, bad(), actor=actor(subscriber))
    assert exc.value.field == field, str(exc.value)
    assert not Order.objects.exists() and not Invoice.objects.exists()


def test_a_domain_transfer_line_is_ordered_as_a_domain_line(subscriber):
    """A transfer-in line is a domain line: ordered under its kind and A-label, no catalogue
    price; without its domain it is refused."""
    line = LineItem("Domain transfer in moving.test, 1 year", Decimal("699.00"),
                    kind="domain_transfer", domain="moving.test")
    placed = services.place_items(subscriber, [line], actor=actor(subscriber))
    [order] = placed.orders
    assert (order.kind, order.domain) == (Order.Kind.DOMAIN_TRANSFER, "moving.test")
    with pytest.raises(BillingError) as exc:
        services.place_items(subscriber, [LineItem("Transfer", Decimal("1.00"),
                                                   kind="domain_transfer")],
                             actor=actor(subscriber))
    assert exc.value.field == "domain"


def test_a_bad_second_item_refuses_the_whole_order(subscriber):
    """One good line and one bad: nothing at all is ordered."""
    good, _ = items()
    with pytest.raises(BillingError):
        services.place_items(subscriber, [good, LineItem("", Decimal("1.00"))],
                             actor=actor(subscriber))
    assert not Order.objects.exists()


def test_place_order_is_one_line_of_place_items(subscriber):
    """place_order still answers its order, invoice and service, the line linked to the order
    and the invoice naming it."""
    placed = services.place_order(subscriber, price("vps-2gb", "monthly"), actor(subscriber))
    assert placed.invoice.order_id == placed.order.pk
    assert placed.invoice.lines.get().order_id == placed.order.pk
    assert (placed.order.kind, placed.order.description) == ("product", "VPS 2 GB (monthly)")
    assert placed.service.order_id == placed.order.pk and placed.service.domain == ""
