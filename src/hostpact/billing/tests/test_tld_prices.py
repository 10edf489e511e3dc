"""TLD prices: the default TLDs are priced on a fresh database, and only active ones are read."""

from decimal import Decimal

import pytest

from hostpact.billing.catalogue import DEFAULT_TLDS, ensure_default_catalogue, tld_prices
from hostpact.billing.models import TldPrice

pytestmark = pytest.mark.django_db


def test_fresh_database_prices_the_default_tlds_in_inr_before_gst():
    """.test costs 799/899/799 and .example 999/1099/999 a year (register, renew, transfer)."""
    prices = tld_prices()
    assert set(prices) == {"test", "example"}
    assert (prices["test"].register, prices["test"].renew, prices["test"].transfer) == (
        Decimal("799.00"), Decimal("899.00"), Decimal("799.00"))
    assert (prices["example"].register, prices["example"].renew,
            prices["example"].transfer) == (Decimal("999.00"), Decimal("1099.00"),
                                            Decimal("999.00"))
    assert {p.currency for p in prices.values()} == {"INR"}


def test_a_retired_tld_is_not_offered_and_ensuring_again_keeps_staff_edits():
    """An inactive TLD is left out of tld_prices(); a second ensure adds nothing and keeps an
    edited price."""
    TldPrice.objects.filter(tld="example").update(active=False)
    TldPrice.objects.filter(tld="test").update(renew=Decimal("949.00"))
    assert ensure_default_catalogue() == 0
    assert list(tld_prices()) == ["test"]
    assert tld_prices()["test"].renew == Decimal("949.00")


def test_ensuring_on_an_empty_table_creates_each_default_tld_once():
    """From empty, one row per default TLD is created."""
    TldPrice.objects.all().delete()
    assert ensure_default_catalogue() == len(DEFAULT_TLDS)
    assert TldPrice.objects.count() == len(DEFAULT_TLDS)
