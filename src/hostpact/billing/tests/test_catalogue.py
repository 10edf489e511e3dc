"""The default catalogue: present on a fresh database, and safe to ensure again."""

from decimal import Decimal

import pytest

from hostpact.billing.catalogue import DEFAULT_PRODUCTS, ensure_default_catalogue
from hostpact.billing.models import Price, Product


@pytest.mark.django_db
@pytest.mark.commitment("C01")
def test_fresh_database_has_hosting_servers_ssl_and_email_to_order():
    """The migration leaves a catalogue of shared hosting, VPS, a dedicated server, SSL
    certificates and email, each with prices in INR."""
    kinds = set(Product.objects.filter(active=True).values_list("kind", flat=True))
    assert kinds == {"shared_hosting", "vps", "dedicated", "ssl", "email"}
    assert Product.objects.count() == len(DEFAULT_PRODUCTS)
    starter = Price.objects.get(product__code="shared-starter", cycle="monthly")
    assert starter.amount == Decimal("149.00") and starter.currency == "INR"
    assert Price.objects.filter(product__code="vps-4gb").count() == 3


@pytest.mark.django_db
def test_ensuring_the_catalogue_again_adds_nothing_and_keeps_staff_edits():
    """A second run creates no rows and leaves an edited price and a retired product alone."""
    price = Price.objects.get(product__code="shared-pro", cycle="annual")
    price.amount = Decimal("4999.00")
    price.save()
    Product.objects.filter(code="ssl-ov").update(active=False)
    before = (Product.objects.count(), Price.objects.count())
    assert ensure_default_catalogue() == 0
    assert (Product.objects.count(), Price.objects.count()) == before
    price.refresh_from_db()
    assert price.amount == Decimal("4999.00")
    assert not Product.objects.get(code="ssl-ov").active


@pytest.mark.django_db
def test_ensuring_the_catalogue_on_an_empty_table_creates_every_product_and_price():
    """From empty, every default product and each of its prices is created once."""
    Price.objects.all().delete()
    Product.objects.all().delete()
    expected = sum(1 + len(prices) for *_, prices in DEFAULT_PRODUCTS)
    assert ensure_default_catalogue() == expected
