"""After sign-ups, successful and refused, no personal data is readable at rest."""

import logging

import pytest
from django.db import connection
from django.test import override_settings

from hostpact.testing.scan import all_cells, find_plaintext

PEOPLE = [
    # (name, email, phone as typed, phone E.164, street, card, dob, expected status)
    ("Kavya Plaintextcheck", "kavya.scan@example.test", "+91 98111 22334", "+919811122334",
     "44 Quietwater Lane", "4242424242424242", "1984-06-01", 201),
    ("Arjun Declinedcard", "arjun.scan@example.test", "+91 98222 33445", "+919822233445",
     "9 Declined Street", "4000000000000002", "1979-03-03", 400),
    ("Tiny Childperson", "tiny.scan@example.test", "+91 98333 44556", "+919833344556",
     "1 Nursery Close", "5555555555554444", "2019-05-05", 403),
    ("Priya Badpostcode", "priya.scan@example.test", "+91 98444 55667", "+919844455667",
     "3 Wrongcode Road", "4242424242424242", "1990-01-01", 400),
]
# A leading zero, so no number in a row (the id of a permission re-created after an earlier
# test's flush, say) can read the same and fail the scan for nothing.
CVC = "073"


def body(name, email, phone, street, card, dob, postal="411001"):
    return {"name": name, "email": email, "phone": phone,
            "address": {"line1": street, "city": "Pune", "postal_code": postal, "country": "IN"},
            "date_of_birth": dob, "password": "a-long-enough-pass-1",
            "card": {"number": card, "exp_month": 10, "exp_year": 2031, "cvc": CVC}}


@pytest.mark.django_db(transaction=True)
@pytest.mark.commitment("C02")
@override_settings(SIGNUP_RATE_PER_HOUR=1000)
def test_no_card_or_identity_in_clear_anywhere(client, caplog):
    """Database bytes, every row, every file under var/ and the logs hold no card number, CVC,
    name, email, phone or street of anyone who signed up or was refused."""
    caplog.set_level(logging.DEBUG)
    for name, email, phone, _, street, card, dob, status in PEOPLE:
        postal = "ABC" if "Badpostcode" in name else "411001"
        resp = client.post("/api/v1/signup", body(name, email, phone, street, card, dob, postal),
                           content_type="application/json")
        assert resp.status_code == status, resp.content
    needles = []
    for name, email, phone, e164, street, card, *_ in PEOPLE:
        spaced = " ".join(card[i:i + 4] for i in range(0, 16, 4))
        needles += [name, *name.split(), email, phone, e164, street, card, spaced]
    # The scanner does see plain text where there is some (a table name in the schema).
    assert find_plaintext(["accounts_profile"]) or connection.vendor != "sqlite"
    assert find_plaintext(needles) == []
    assert CVC not in all_cells()
    log_text = caplog.text
    assert not [n for n in needles if n in log_text]
