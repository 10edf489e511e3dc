"""Test data of the storefront: carts filled through the storefront's own pages."""

from hostpact.billing.models import Price
from hostpact.domains.tests.helpers import register
from hostpact.testing import factories

SIGNUP = {
    "name": "Kavya Shopper", "email": "kavya@example.test", "phone": "+91 98765 40000",
    "date_of_birth": "1991-03-09", "line1": "8 Market Road", "line2": "", "city": "Mumbai",
    "region": "Maharashtra", "postal_code": "400001", "country": "IN",
    "password": "shopping-pass-123", "card_number": "4242 4242 4242 4242",
    "card_exp_month": "12", "card_exp_year": "2031", "card_cvc": "123",
}


def plan_price(code="shared-starter", cycle="annual") -> Price:
    return Price.objects.get(product__code=code, cycle=cycle)


def add_domain(client, name, years=1, privacy=False):
    data = {"kind": "register", "domain": name, "years": years}
    if privacy:
        data["privacy"] = "1"
    return client.post("/cart/add/", data)


def add_plan(client, price=None, domain=""):
    price = price or plan_price()
    return client.post("/cart/add/", {"kind": "plan", "price_id": price.pk, "domain": domain})


def taken_by_someone(name):
    """Register ``name`` for another subscriber."""
    return register(factories.make_subscriber(), name)
