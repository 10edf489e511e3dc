"""The panel's billing pages: order, view, pay and download invoices, set a billing address."""

import re

import pytest

from hostpact.billing import services
from hostpact.billing.models import BillingAddress, Invoice, Service
from hostpact.billing.tests.helpers import DECLINED_LATER_CARD, price
from hostpact.testing.factories import make_subscriber


def actor(user):
    return f"subscriber:{user.customer_id}"


@pytest.fixture
def logged_in(client, subscriber):
    client.force_login(subscriber)
    return client


@pytest.mark.django_db
def test_billing_pages_need_a_login(client):
    """Anonymous visitors are sent to the login page."""
    for url in ("/panel/services/", "/panel/invoices/", "/panel/billing-address/",
                f"/panel/services/order/{price().pk}/"):
        resp = client.get(url)
        assert resp.status_code == 302 and resp["Location"].startswith("/login/")


@pytest.mark.django_db
@pytest.mark.commitment("C01")
def test_subscriber_orders_from_the_catalogue_and_pays_in_the_panel(logged_in, subscriber):
    """Services page lists the catalogue; the order page shows GST and whom it bills; placing
    the order leads to the invoice, whose Pay button activates the service."""
    page = logged_in.get("/panel/services/").content.decode()
    assert "VPS 4 GB" in page and "DV SSL certificate" in page and "Business email" in page
    target = price("shared-business", "monthly")
    assert f"/panel/services/order/{target.pk}/" in page

    confirm = logged_in.get(f"/panel/services/order/{target.pk}/").content.decode()
    assert "₹299.00" in confirm and "₹53.82" in confirm and "₹352.82" in confirm
    assert subscriber.profile.name in confirm and "postal address" in confirm

    resp = logged_in.post(f"/panel/services/order/{target.pk}/", {"quantity": "1"})
    invoice = Invoice.objects.get(user=subscriber)
    assert resp.status_code == 302 and resp["Location"] == f"/panel/invoices/{invoice.number}/"
    page = logged_in.get(resp["Location"]).content.decode()
    assert "Pay now" in page and "GST 18%" in page and "₹352.82" in page

    resp = logged_in.post(f"/panel/invoices/{invoice.number}/pay/")
    assert resp.status_code == 302
    page = logged_in.get(resp["Location"]).content.decode()
    assert "is paid" in page and "Pay now" not in page
    assert Service.objects.get(user=subscriber).status == Service.Status.ACTIVE
    services_page = logged_in.get("/panel/services/").content.decode()
    assert "Business" in services_page and "Active" in services_page


@pytest.mark.django_db
def test_invoice_list_is_paginated_and_newest_first(logged_in, subscriber):
    """Twenty-one invoices: the first page shows twenty, newest first; page two the oldest."""
    for _ in range(21):
        services.place_order(subscriber, price(), actor(subscriber))
    first = logged_in.get("/panel/invoices/").content.decode()
    numbers = re.findall(r">(INV-\d{4}-\d{6})</a>", first)
    assert len(numbers) == 20 and numbers[0].endswith("000021")
    second = logged_in.get("/panel/invoices/?page=2").content.decode()
    assert re.findall(r">(INV-\d{4}-\d{6})</a>", second) == [numbers[0][:-6] + "000001"]
    assert logged_in.get("/panel/invoices/?page=zzz").status_code == 200


@pytest.mark.django_db
@pytest.mark.commitment("C01")
def test_invoice_downloads_as_a_printable_file(logged_in, subscriber):
    """Download answers an attachment named after the invoice, with lines, GST and billed
    name."""
    invoice = services.place_order(subscriber, price("ssl-dv", "annual"),
                                   actor(subscriber)).invoice
    resp = logged_in.get(f"/panel/invoices/{invoice.number}/download/")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("text/html")
    assert resp["Content-Disposition"] == f'attachment; filename="{invoice.number}.html"'
    body = resp.content.decode()
    assert f"Tax invoice {invoice.number}" in body and "DV SSL certificate" in body
    assert "GST 18%" in body and "₹1,178.82" in body and subscriber.profile.name in body


@pytest.mark.django_db
def test_another_subscribers_invoice_answers_404_on_every_page(client, subscriber):
    """View, download and pay of someone else's invoice number: 404, and nothing paid."""
    other = make_subscriber()
    invoice = services.place_order(other, price(), actor(other)).invoice
    client.force_login(subscriber)
    for url in (f"/panel/invoices/{invoice.number}/",
                f"/panel/invoices/{invoice.number}/download/"):
        resp = client.get(url)
        assert resp.status_code == 404 and other.profile.name not in resp.content.decode()
    assert client.post(f"/panel/invoices/{invoice.number}/pay/").status_code == 404
    assert Invoice.objects.get(pk=invoice.pk).status == Invoice.Status.OPEN
    assert client.get("/panel/invoices/INV-1999-999999/").status_code == 404


@pytest.mark.django_db
@pytest.mark.commitment("C16")
def test_declined_card_shows_a_clear_error_and_the_invoice_stays_open(client):
    """Paying with a card the bank declines re-renders the invoice with the reason."""
    user = make_subscriber(card_number=DECLINED_LATER_CARD)
    invoice = services.place_order(user, price(), actor(user)).invoice
    client.force_login(user)
    resp = client.post(f"/panel/invoices/{invoice.number}/pay/")
    assert resp.status_code == 402
    page = resp.content.decode()
    assert "Payment failed" in page and "declined" in page and "Pay now" in page
    assert Invoice.objects.get(pk=invoice.pk).status == Invoice.Status.OPEN


@pytest.mark.django_db
def test_order_with_a_bad_quantity_re_renders_and_places_nothing(logged_in):
    """A quantity of zero or text on a per-mailbox product: 400, the field named, no order."""
    target = price("email-business", "monthly")
    for bad in ("0", "lots", "101"):
        resp = logged_in.post(f"/panel/services/order/{target.pk}/", {"quantity": bad})
        assert resp.status_code == 400 and 'id="id_quantity_error"' in resp.content.decode()
    assert not Invoice.objects.exists()
    assert logged_in.get("/panel/services/order/999999/").status_code == 404


@pytest.mark.django_db
@pytest.mark.commitment("C16")
def test_billing_address_form_sets_it_and_the_next_invoice_uses_it(logged_in, subscriber):
    """The billing address page saves a different address, which the next order bills;
    "use my postal address" removes it again."""
    resp = logged_in.post("/panel/billing-address/", {
        "name": "Meera Finance", "company": "", "line1": "12 Park Street", "line2": "",
        "city": "Kolkata", "region": "West Bengal", "postal_code": "700016", "country": "IN",
        "email": ""})
    assert resp.status_code == 302
    assert BillingAddress.objects.get(user=subscriber).city == "Kolkata"
    confirm = logged_in.get(f"/panel/services/order/{price().pk}/").content.decode()
    assert "Meera Finance" in confirm and "billing address" in confirm
    logged_in.post(f"/panel/services/order/{price().pk}/", {"quantity": "1"})
    assert Invoice.objects.get(user=subscriber).billed_name == "Meera Finance"

    resp = logged_in.post("/panel/billing-address/", {"use_postal": "1"})
    assert resp.status_code == 302 and not BillingAddress.objects.filter(user=subscriber).exists()
    page = logged_in.get("/panel/billing-address/").content.decode()
    assert subscriber.profile.name in page


@pytest.mark.django_db
def test_billing_address_form_names_the_bad_fields_and_stores_nothing(logged_in, subscriber):
    """Missing name and city, a postal code not in India's format: 400 with each field named."""
    resp = logged_in.post("/panel/billing-address/", {
        "name": "  ", "line1": "1 Road", "city": "", "postal_code": "ABC", "country": "IN"})
    assert resp.status_code == 400
    page = resp.content.decode()
    for field in ("name", "city", "postal_code"):
        assert f'id="id_{field}_error"' in page
    assert not BillingAddress.objects.exists()
