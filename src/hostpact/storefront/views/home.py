"""The public pages: the home page with the plans, and the domain search.

The search answers the whole page, or with ``fragment=1`` only its results: the script of the
page fetches the fragment as one types, and without the script the form submits. Amounts are
the realm's in force: a reseller's host shows the reseller's prices.
"""

from dataclasses import dataclass

from django.shortcuts import render
from django.views.decorators.http import require_GET

from hostpact.billing.catalogue import tld_prices
from hostpact.billing.models import Price, Product
from hostpact.billing.services import price_amount
from hostpact.core import realms
from hostpact.domains.search import search_domains
from hostpact.storefront.models import MAX_YEARS, MIN_YEARS
from hostpact.storefront.pricing import tld_amount, with_gst

YEARS = list(range(MIN_YEARS, MAX_YEARS + 1))


@dataclass
class Plan:
    product: Product
    prices: list  # (price, amount with GST)


def _plans() -> list[tuple[str, list[Plan]]]:
    """Return the catalogue's active products by kind, each with its prices incl. GST (the
    realm in force's)."""
    realm_id = realms.current()
    by_product: dict[int, Plan] = {}
    for price in (Price.objects.select_related("product")
                  .filter(active=True, product__active=True)
                  .order_by("product__sort_order", "product__code", "amount")):
        plan = by_product.setdefault(price.product_id, Plan(price.product, []))
        plan.prices.append((price, with_gst(price_amount(price, realm_id))))
    kinds: dict[str, list[Plan]] = {}
    for plan in by_product.values():
        kinds.setdefault(plan.product.get_kind_display(), []).append(plan)
    return list(kinds.items())


@require_GET
def home(request):
    return render(request, "storefront/home.html", {"kinds": _plans(), "q": ""})


@dataclass
class Row:
    result: object
    price: object  # the TLD's price per year, or None when the TLD is not on sale

    @property
    def register_with_gst(self):
        if self.price is None:
            return None
        return with_gst(tld_amount(self.price, "register", realms.current()))


@require_GET
def domains(request):
    query = request.GET.get("q", "")[:300]
    search = search_domains(query)
    prices = tld_prices() if search.results else {}
    context = {
        "q": query, "search": search, "years": YEARS,
        "rows": [Row(r, prices.get(r.tld)) for r in search.results],
        "suggestions": [Row(r, prices.get(r.tld)) for r in search.suggestions],
    }
    if request.GET.get("fragment"):
        return render(request, "storefront/_results.html", context)
    return render(request, "storefront/domains.html", context,
                  status=400 if search.error else 200)
