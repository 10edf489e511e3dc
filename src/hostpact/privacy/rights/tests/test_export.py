"""Access and portability: the export holds every value a subscriber gave, described by the data
map, plus who received their data and which staff looked at it; credentials stay out."""

import datetime
import json
from datetime import UTC

import pytest

from hostpact.accounts import services as accounts
from hostpact.billing import services as billing
from hostpact.billing.models import Price
from hostpact.core import clock
from hostpact.privacy.rights.export.queries import CREDENTIALS_NOTE, build_export
from hostpact.testing.factories import make_staff, make_subscriber

pytestmark = pytest.mark.django_db

GIVEN = dict(
    name="Meera Exportable", email="meera.export@example.test", phone="+919812345678",
    line1="7 Banyan Street", line2="Flat 3B", city="Nashik",
    region="Maharashtra", postal_code="422001", country="IN",
    date_of_birth=datetime.date(1987, 6, 15),
)
BILLING = dict(name="Meera Billing Name", company="Exportable Works", line1="9 Mill Lane",
               line2="Unit 4", city="Thane", region="Maharashtra", postal_code="400601",
               country="IN", email="accounts@example.test")


def actor(user):
    return f"subscriber:{user.customer_id}"


def values(document) -> list:
    """Every exported value, flattened."""
    return [item["value"] for models in document["sections"].values()
            for records in models.values() for record in records for item in record["items"]]


def items(document, app, model):
    return [{i["field"]: i for i in record["items"]}
            for record in document["sections"][app][model]]


@pytest.fixture
def rich_subscriber():
    """A subscriber with two orders (one billed to the postal, one to a billing address)."""
    user = make_subscriber(**GIVEN)
    price = Price.objects.get(product__code="shared-starter", cycle="monthly")
    first = billing.place_order(user, price, actor(user))
    billing.pay_invoice(first.invoice, actor(user))
    billing.set_billing_address(user, BILLING, actor(user))
    billing.place_order(user, price, actor(user))
    return user


@pytest.mark.commitment("C32")
def test_export_contains_every_value_the_subscriber_gave(rich_subscriber):
    """Name, email, phone, each address part, date of birth, the card summary, the billing
    address and the invoices' billed names are all in the export, decrypted."""
    document = build_export(rich_subscriber.subject_id)
    exported = values(document)
    expected = [GIVEN["name"], GIVEN["email"], GIVEN["phone"], GIVEN["line1"],
                GIVEN["line2"], GIVEN["city"], GIVEN["region"], GIVEN["postal_code"],
                GIVEN["country"], "1987-06-15", "visa", "4242", "12", "2031",
                *BILLING.values()]
    for value in expected:
        assert value in exported, value
    billed = sorted(i["billed_name"]["value"] for i in items(document, "billing", "Invoice"))
    assert billed == sorted([GIVEN["name"], BILLING["name"]])
    assert all("Nashik" in i["billed_address"]["value"] or "Thane" in i["billed_address"]["value"]
               for i in items(document, "billing", "Invoice"))
    assert document["export"]["customer_id"] == rich_subscriber.customer_id


@pytest.mark.commitment("C32")
def test_sections_per_app_describe_each_value_from_the_data_map(rich_subscriber):
    """One section per app; each value carries label, category, purposes, retention period and
    erasure method from the data map; the whole document is plain JSON."""
    document = build_export(rich_subscriber.subject_id)
    assert {"accounts", "billing"} <= set(document["sections"])
    [profile] = items(document, "accounts", "Profile")
    name = profile["name"]
    assert name["label"] == "Name" and name["category"] == "user.name"
    assert "essential.service.account_management" in name["purposes"]
    assert name["retention_period"] == "while the account is open"
    assert name["erasure"] == "crypto-shred"
    invoice = items(document, "billing", "Invoice")[0]["billed_name"]
    assert invoice["erasure"] == "keep-under-legal-basis"
    assert invoice["retention_period"].startswith("8 years") and invoice["legal_basis"]
    assert json.loads(json.dumps(document)) == document
    assert {"generated_at", "customer_id", "policy_version"} <= set(document["export"])
    assert isinstance(document["disclosures"], list)


@pytest.mark.commitment("C32")
def test_credentials_are_not_exported_and_the_document_says_so(client, rich_subscriber):
    """The password hash, the authenticator secret, backup codes, session keys and the card's
    gateway token stay out; the document says they are held but not exported."""
    user = rich_subscriber
    device = accounts.start_totp(user)
    codes = accounts.regenerate_backup_codes(user)
    client.force_login(user)
    user.refresh_from_db()
    text = json.dumps(build_export(user.subject_id))
    card = user.payment_methods.get()
    for secret in [user.password, device.key, *codes, card.token, client.session.session_key]:
        assert secret not in text
    document = json.loads(text)
    assert "password hash and two-factor secrets are not exported" in CREDENTIALS_NOTE
    assert CREDENTIALS_NOTE in document["export"]["notes"]
    withheld = {(w["model"], w["field"]) for w in document["withheld"]}
    assert {("User", "password"), ("TOTPDevice", "key"), ("BackupCode", "code_hash"),
            ("PaymentMethod", "token")} <= withheld


@pytest.mark.commitment("C32")
def test_staff_reads_are_summarised_by_month_with_the_latest_listed(client, rich_subscriber):
    """Each back-office look at the subscriber is counted per month and the latest are listed
    with date, staff id, role and the fields shown — never the values."""
    staff = make_staff(groups=["support"])
    client.force_login(staff)
    url = f"/admin/accounts/user/{rich_subscriber.pk}/change/"
    with clock.freeze(datetime.datetime(2026, 1, 10, 6, 0, tzinfo=UTC)):
        assert client.get(url).status_code == 200
    with clock.freeze(datetime.datetime(2026, 2, 11, 6, 0, tzinfo=UTC)):
        assert client.get(url).status_code == 200
        assert client.get(url).status_code == 200
    reads = build_export(rich_subscriber.subject_id)["staff_reads"]
    assert reads["total"] == 3
    assert reads["by_month"] == [{"month": "2026-01", "count": 1},
                                 {"month": "2026-02", "count": 2}]
    latest = reads["recent"][0]
    assert latest["actor"] == f"staff:{staff.pk}" and latest["roles"] == ["support"]
    assert latest["date"].startswith("2026-02-11")
    assert {"email", "name"} <= set(latest["fields"])
    assert GIVEN["name"] not in json.dumps(reads)


@pytest.mark.commitment("C32")
def test_another_subscribers_data_is_never_in_the_export(rich_subscriber, other_subscriber):
    """The export is built for one subject: the other subscriber's values are absent."""
    text = json.dumps(build_export(rich_subscriber.subject_id))
    assert other_subscriber.email not in text
    assert other_subscriber.profile.name not in text


def test_export_is_fast_and_does_not_grow_queries_with_rows(django_assert_max_num_queries,
                                                           rich_subscriber):
    """The number of queries does not depend on how many orders and invoices the subscriber
    has (no query per row)."""
    price = Price.objects.get(product__code="vps-2gb", cycle="monthly")
    build_export(rich_subscriber.subject_id)  # warm the key cache and app registry
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        build_export(rich_subscriber.subject_id)
    for _ in range(5):
        billing.place_order(rich_subscriber, price, actor(rich_subscriber))
    with django_assert_max_num_queries(len(before.captured_queries)):
        build_export(rich_subscriber.subject_id)


@pytest.mark.commitment("C32")
def test_disclosures_of_the_subscriber_are_listed(rich_subscriber, other_subscriber):
    """Each disclosure carrying the subscriber's data is in the export (recipient, categories,
    purpose, legal basis, date); another subscriber's disclosure is not."""
    from hostpact import privacy

    privacy.disclose("email-provider", [rich_subscriber.subject_id], ["user.contact.email"],
                     "essential.service.notifications.email", "", actor="system:test")
    privacy.disclose("registry", [other_subscriber.subject_id], ["user.name"],
                     "essential.service", "", actor="system:test")
    listed = build_export(rich_subscriber.subject_id)["disclosures"]
    mine = [d for d in listed if d["purpose"] == "essential.service.notifications.email"
            and d["categories"] == ["user.contact.email"]]
    assert mine and mine[0]["recipient"].startswith("Example Mail Relay")
    assert mine[0]["legal_basis"] and mine[0]["date"]
    assert not any(d["recipient"].startswith("Example Registry") for d in listed)
