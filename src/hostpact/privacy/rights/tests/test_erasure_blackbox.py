"""Black box: sign up, order and pay, fill every form, export, erase; then nothing is left.

Everything goes through the platform's own HTTP API and pages, the mail through the real SMTP
catcher, the erasure through the task worker (``db_worker --batch``). Afterwards each value the
person typed is looked for in the database file's bytes, every row and every file under the
data directory.
"""

import json
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from hostpact.accounts.models import User
from hostpact.billing.models import Invoice
from hostpact.core.mail import deliver_queued
from hostpact.privacy.rights.tests.helpers import price
from hostpact.testing.scan import find_plaintext

PERSON = {
    "name": "Zoravar Erasetestson", "email": "zoravar.erase@example.test",
    "phone": "+91 98555 13579", "e164": "+919855513579",
    "line1": "17 Forgetmenot Marg", "line2": "Flat Quokka-9",
    "new_phone": "+91 98555 24680", "new_e164": "+919855524680",
    "new_email": "zoravar.new@example.test",
    "bill_name": "Zoravar Billingname", "bill_company": "Erasewell Webworks",
    "bill_line1": "88 Ledger Gully", "bill_email": "accounts.zoravar@example.test",
    "card": "4242424242424242", "password": "a-long-enough-pass-1",
}


def _signup(client):
    resp = client.post("/api/v1/signup", {
        "name": PERSON["name"], "email": PERSON["email"], "phone": PERSON["phone"],
        "address": {"line1": PERSON["line1"], "city": "Pune", "postal_code": "411001",
                    "country": "IN"},
        "date_of_birth": "1988-08-08", "password": PERSON["password"],
        "card": {"number": PERSON["card"], "exp_month": 11, "exp_year": 2032, "cvc": "246"},
    }, content_type="application/json")
    assert resp.status_code == 201, resp.content
    return User.objects.get(pk=resp.json()["id"])


@pytest.mark.django_db(transaction=True)
@pytest.mark.commitment("C34")
@pytest.mark.commitment("C41")
@override_settings(SIGNUP_RATE_PER_HOUR=1000)
def test_everything_typed_is_gone_after_erasure(client, mail_catcher):
    """Each value typed into sign-up, /me, the billing address form and the order flow is in
    the export, then after erasure in no database byte, row or file under var/, and the mail
    catcher holds no message to the person; the invoice stays, unreadable in clear."""
    user = _signup(client)
    token = client.post("/api/v1/auth/token", {"email": PERSON["email"],
                                               "password": PERSON["password"]},
                        content_type="application/json").json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    resp = client.patch("/api/v1/me", {"phone": PERSON["new_phone"], "email": PERSON["new_email"],
                                       "address": {"line2": PERSON["line2"]}},
                        content_type="application/json", **auth)
    assert resp.status_code == 200, resp.content
    client.post("/login/", {"username": PERSON["email"], "password": PERSON["password"]})
    resp = client.post("/panel/billing-address/", {
        "name": PERSON["bill_name"], "company": PERSON["bill_company"],
        "line1": PERSON["bill_line1"], "city": "Mumbai", "postal_code": "400001",
        "country": "IN", "email": PERSON["bill_email"]})
    assert resp.status_code == 302, resp.content
    resp = client.post("/api/v1/orders", {"price_id": price().pk},
                       content_type="application/json", **auth)
    assert resp.status_code == 201, resp.content
    number = resp.json()["invoice"]["number"]
    resp = client.post(f"/api/v1/invoices/{number}/pay", **auth)
    assert resp.status_code == 200, resp.content
    deliver_queued()
    sent = mail_catcher.messages()
    assert len(sent) >= 2  # verification of the address, notice of the change, via SMTP

    typed = [PERSON[k] for k in ("name", "email", "new_e164", "line1", "line2", "new_email",
                                 "bill_name", "bill_company", "bill_line1", "bill_email")]
    from hostpact.privacy.rights.export.queries import build_export

    document = json.dumps(build_export(user.subject_id), default=str)
    assert [v for v in typed if v not in document] == []

    resp = client.post("/api/v1/me/erasure", **auth)
    assert resp.status_code == 202
    call_command("db_worker", "--batch", "--no-startup-delay")
    status_path = re.sub(r"^https?://[^/]+", "", resp.json()["status_url"])
    assert client.get(status_path).json()["state"] == "done"

    needles = [*typed, PERSON["phone"], PERSON["e164"], PERSON["card"], PERSON["name"].split()[1],
               PERSON["bill_name"].split()[1]]
    assert find_plaintext(["accounts_profile"]) or connection.vendor != "sqlite"  # sees text
    assert find_plaintext(needles) == []
    assert mail_catcher.messages() == []  # every message to either address is gone
    assert client.get("/api/v1/me", **auth).status_code == 401
    assert client.get("/panel/").status_code == 302
    invoice = Invoice.objects.get(number=number)
    assert invoice.billed_name == PERSON["bill_name"]  # kept for tax, encrypted at rest
