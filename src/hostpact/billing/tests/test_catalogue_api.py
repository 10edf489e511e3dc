"""GET /api/v1/catalogue: what is for sale, public, with GST worked out on every amount."""

import pytest

from hostpact.billing.models import Price, TldPrice

pytestmark = pytest.mark.django_db


def test_the_catalogue_is_public_with_products_tlds_and_gst(client):
    """Without credentials: INR, GST 0.18, each product's prices with their GST and total, and
    each configured TLD's register, renew and transfer amounts, as two-decimal strings."""
    resp = client.get("/api/v1/catalogue")
    assert resp.status_code == 200
    body = resp.json()
    assert body["currency"] == "INR" and body["tax"] == {"name": "GST", "rate": "0.18"}
    starter = next(p for p in body["products"] if p["code"] == "shared-starter")
    monthly = Price.objects.get(product__code="shared-starter", cycle="monthly")
    assert starter["kind"] == "shared_hosting" and starter["unit"] == ""
    assert {"id": monthly.pk, "cycle": "monthly", "amount": "149.00", "tax": "26.82",
            "total": "175.82"} in starter["prices"]
    assert body["tlds"] == [
        {"tld": "test", "register": {"amount": "799.00", "tax": "143.82", "total": "942.82"},
         "renew": {"amount": "899.00", "tax": "161.82", "total": "1060.82"},
         "transfer": {"amount": "799.00", "tax": "143.82", "total": "942.82"}},
        {"tld": "example",
         "register": {"amount": "999.00", "tax": "179.82", "total": "1178.82"},
         "renew": {"amount": "1099.00", "tax": "197.82", "total": "1296.82"},
         "transfer": {"amount": "999.00", "tax": "179.82", "total": "1178.82"}},
    ]


def test_only_configured_and_active_tlds_and_sold_prices_are_listed(client, settings):
    """A priced TLD not in DOMAIN_TLDS, a retired TLD and a retired price are left out."""
    TldPrice.objects.create(tld="other", register="1.00", renew="1.00", transfer="1.00")
    TldPrice.objects.filter(tld="test").update(active=False)
    settings.DOMAIN_TLDS = ["example", "test"]
    Price.objects.filter(product__code="shared-starter", cycle="monthly").update(active=False)
    body = client.get("/api/v1/catalogue").json()
    assert [t["tld"] for t in body["tlds"]] == ["example"]
    starter = next(p for p in body["products"] if p["code"] == "shared-starter")
    assert [p["cycle"] for p in starter["prices"]] == ["annual"]


def test_the_catalogue_is_in_the_openapi_document_without_security(client):
    """The document lists GET /api/v1/catalogue, needing no credentials."""
    op = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/catalogue"]["get"]
    assert not op.get("security")
    assert "200" in op["responses"]
