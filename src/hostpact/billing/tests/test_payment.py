"""Paying uses the stored gateway token only, bills the subscriber's own data, and a refused
charge changes nothing."""

import pytest
from django.db import connection
from django.test import override_settings

from hostpact.billing import services
from hostpact.billing.models import Invoice, Order, Payment, Service
from hostpact.billing.tests.helpers import DECLINED_LATER_CARD, RECORDING, RecordingGateway, price
from hostpact.core.models import AuditEntry, DataKey
from hostpact.testing.factories import TEST_CARD, make_subscriber


def actor(user):
    return f"subscriber:{user.customer_id}"


@pytest.mark.django_db
@pytest.mark.commitment("C16")
@override_settings(PAYMENT_GATEWAY=RECORDING)
def test_payment_sends_the_gateway_the_stored_token_never_a_card_number():
    """At payment time the gateway is asked for one charge, with the token stored at sign-up;
    no card number, CVC or expiry reaches it, and no card is tokenised again."""
    user = make_subscriber()
    token = user.payment_methods.get(is_default=True).token
    invoice = services.place_order(user, price("shared-business", "annual"), actor(user)).invoice
    RecordingGateway.calls = []
    services.pay_invoice(invoice, actor(user))
    assert [name for name, _ in RecordingGateway.calls] == ["charge"]
    args = RecordingGateway.calls[0][1]
    assert args[0] == token and token.startswith("tok_test_")
    assert str(args[1]) == str(invoice.total) and args[2] == "INR"
    assert args[3] == invoice.number
    sent = repr(args)
    assert TEST_CARD not in sent and TEST_CARD[-4:] + "'" not in sent and "123" not in sent


@pytest.mark.django_db
@pytest.mark.commitment("C16")
def test_invoice_is_billed_to_the_subscribers_own_name_and_postal_address(subscriber):
    """Without a billing address, the invoice copies the subscriber's name and postal address
    (encrypted at rest under the subject's tax-class key)."""
    invoice = services.place_order(subscriber, price(), actor(subscriber)).invoice
    profile = subscriber.profile
    invoice = Invoice.objects.get(pk=invoice.pk)
    assert invoice.billed_name == profile.name
    assert invoice.billed_address.splitlines() == [profile.line1,
                                                   "Pune Maharashtra 411001", "India"]
    with connection.cursor() as cur:
        cur.execute("SELECT billed_name FROM billing_invoice WHERE id = %s", [invoice.pk])
        raw = cur.fetchone()[0]
    assert profile.name not in raw and raw.startswith("hp1.")
    assert DataKey.objects.filter(subject_id=subscriber.subject_id, retention_class="tax").exists()


@pytest.mark.django_db
@pytest.mark.commitment("C16")
def test_a_billing_address_different_from_the_postal_one_is_used_on_the_next_invoice(subscriber):
    """After setting a billing address the next invoice is made out to it; the invoice issued
    before keeps the postal address; clearing it goes back to the postal address."""
    before = services.place_order(subscriber, price(), actor(subscriber)).invoice
    services.set_billing_address(subscriber, {
        "name": "Ravi Accounts", "company": "Lakeview Studio LLP", "line1": "7 MG Road",
        "city": "Bengaluru", "region": "Karnataka", "postal_code": "560001", "country": "IN",
        "email": "accounts@lakeview.example"}, actor(subscriber))
    after = Invoice.objects.get(pk=services.place_order(subscriber, price(),
                                                        actor(subscriber)).invoice.pk)
    assert after.billed_name == "Ravi Accounts"
    assert after.billed_company == "Lakeview Studio LLP"
    assert after.billed_address.splitlines() == ["7 MG Road", "Bengaluru Karnataka 560001",
                                                 "India"]
    before = Invoice.objects.get(pk=before.pk)
    assert before.billed_name == subscriber.profile.name
    assert AuditEntry.objects.filter(action="billing.address.set",
                                     subject_id=subscriber.subject_id).exists()

    services.set_billing_address(subscriber, None, actor(subscriber))
    again = Invoice.objects.get(pk=services.place_order(subscriber, price(),
                                                        actor(subscriber)).invoice.pk)
    assert again.billed_name == subscriber.profile.name and again.billed_company is None


@pytest.mark.django_db
@pytest.mark.commitment("C16")
def test_a_declined_charge_leaves_the_invoice_open_and_writes_nothing():
    """A card the bank declines at charge time: a clear error, the invoice stays open, the
    order unpaid, the service pending, and no payment or audit entry is written."""
    user = make_subscriber(card_number=DECLINED_LATER_CARD)
    placed = services.place_order(user, price(), actor(user))
    entries = AuditEntry.objects.count()
    with pytest.raises(services.BillingError) as exc:
        services.pay_invoice(placed.invoice, actor(user))
    assert exc.value.code == "card_declined" and "declined" in str(exc.value)
    assert "still open" in str(exc.value)
    assert Invoice.objects.get(pk=placed.invoice.pk).status == Invoice.Status.OPEN
    assert Order.objects.get(pk=placed.order.pk).status == Order.Status.PENDING
    assert Service.objects.get(pk=placed.service.pk).status == Service.Status.PENDING
    assert not Payment.objects.exists()
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_without_a_card_on_file_payment_is_refused(subscriber):
    """No default card: the refusal says so and the invoice stays open."""
    placed = services.place_order(subscriber, price(), actor(subscriber))
    subscriber.payment_methods.all().delete()
    with pytest.raises(services.BillingError) as exc:
        services.pay_invoice(placed.invoice, actor(subscriber))
    assert exc.value.code == "no_card"
    assert Invoice.objects.get(pk=placed.invoice.pk).status == Invoice.Status.OPEN
