"""Replacing the card payments use, from "My information" (C33)."""

import pytest

from hostpact.accounts.tests.helpers import web_login


@pytest.mark.django_db
@pytest.mark.commitment("C33")
def test_replace_card_in_the_panel(client, subscriber):
    """A new card goes through the gateway and becomes the default; only its summary is kept
    and the number is never echoed back."""
    web_login(client, subscriber)
    resp = client.post("/panel/information/card/", {
        "card_number": "5555 5555 5555 4444", "card_exp_month": "3", "card_exp_year": "2032",
        "card_cvc": "321"})
    assert resp.status_code == 302
    card = subscriber.payment_methods.get(is_default=True)
    assert (card.brand, card.last4, card.exp_year) == ("mastercard", "4444", "2032")
    resp = client.post("/panel/information/card/", {
        "card_number": "4000 0000 0000 0002", "card_exp_month": "3", "card_exp_year": "2032",
        "card_cvc": "321"})
    assert resp.status_code == 400 and "card_number" in resp.context["form"].errors
    assert "4000 0000 0000 0002" not in resp.content.decode()
    assert subscriber.payment_methods.get(is_default=True).pk == card.pk


@pytest.mark.django_db
def test_card_page_needs_login_and_answers(client, subscriber):
    """The card page sends a visitor to the login page and answers 200 for a subscriber."""
    resp = client.get("/panel/information/card/")
    assert resp.status_code == 302 and resp["Location"].startswith("/login/")
    assert web_login(client, subscriber).status_code == 302
    assert client.get("/panel/information/card/").status_code == 200
