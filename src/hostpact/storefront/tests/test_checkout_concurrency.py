"""Two checkouts of one cart at the same moment (a double click): one charge."""

import threading

import pytest
from django.db import connection

from hostpact.billing.catalogue import ensure_default_catalogue
from hostpact.billing.models import Payment
from hostpact.storefront.models import Cart, Checkout, Fulfilment
from hostpact.storefront.services.cart import add_item
from hostpact.storefront.services.checkout import checkout_cart
from hostpact.testing import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_simultaneous_pays_of_one_cart_charge_once():
    """Both requests answer the same checkout; one payment and one fulfilment exist."""
    ensure_default_catalogue()  # a transactional test may find the tables emptied
    user = factories.make_subscriber()
    cart = add_item(None, user, kind="register", domain="double-click.test")
    start, answers = threading.Barrier(2), []

    def pay():
        try:
            start.wait()
            answers.append(checkout_cart(Cart.objects.get(pk=cart.pk), user).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(answers) == 2 and len(set(answers)) == 1
    assert Checkout.objects.count() == 1 and Payment.objects.count() == 1
    assert Fulfilment.objects.count() == 1
