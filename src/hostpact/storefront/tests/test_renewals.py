"""Auto-renewal: a domain with auto-renew on is invoiced, charged and renewed before expiry."""

from datetime import timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta

from hostpact.billing.models import Invoice, Order
from hostpact.core import clock
from hostpact.core.models import OutboxMessage
from hostpact.domains.services.changes import set_auto_renew
from hostpact.domains.tests.helpers import register
from hostpact.storefront.models import Fulfilment
from hostpact.storefront.tasks import auto_renew_domains
from hostpact.testing import factories

pytestmark = pytest.mark.django_db


def mails(user, subject_line):
    return [m for m in OutboxMessage.objects.filter(subject_id=user.subject_id)
            if m.subject_line == subject_line]


def test_a_domain_within_30_days_of_expiry_is_renewed_once(subscriber):
    """Within 30 days of expiry the domain gets one year at the TLD's renewal price, paid
    with the card on file; the next run finds nothing to do."""
    domain = register(subscriber, "evergreen.test")
    expiry = domain.expires_at
    with clock.freeze(expiry - timedelta(days=31)):
        assert auto_renew_domains.call() == 0
    with clock.freeze(expiry - timedelta(days=20)):
        assert auto_renew_domains.call() == 1
        assert auto_renew_domains.call() == 0
    domain.refresh_from_db()
    assert domain.expires_at == expiry + relativedelta(years=1)
    [order] = Order.objects.filter(user=subscriber, kind="domain_renewal")
    assert order.domain == "evergreen.test" and order.status == Order.Status.PAID
    assert order.subtotal == Decimal("899.00") and order.total == Decimal("1060.82")
    assert Fulfilment.objects.get().state == "done"


def test_auto_renew_off_is_left_alone(subscriber):
    """A domain with auto-renew off is not invoiced."""
    domain = register(subscriber, "manual.test")
    set_auto_renew(domain, False, actor="system:test")
    with clock.freeze(domain.expires_at - timedelta(days=5)):
        assert auto_renew_domains.call() == 0
    assert not Order.objects.filter(kind="domain_renewal").exists()


def test_a_declined_card_mails_the_customer_and_retries_the_same_invoice():
    """A declined charge leaves the domain as it was, mails the customer, and the next day's
    run tries the same open invoice rather than issuing another."""
    user = factories.make_subscriber(card_number="4000000000000341")
    domain = register(user, "unpaid.test")
    expiry = domain.expires_at
    with clock.freeze(expiry - timedelta(days=10)):
        assert auto_renew_domains.call() == 0
    with clock.freeze(expiry - timedelta(days=9)):
        assert auto_renew_domains.call() == 0
    domain.refresh_from_db()
    assert domain.expires_at == expiry
    assert Invoice.objects.filter(user=user, status=Invoice.Status.OPEN).count() == 1
    [first, second] = mails(user, "We could not renew unpaid.test")
    assert "payment failed" in first.body and not Fulfilment.objects.exists()
