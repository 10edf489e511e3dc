"""The in-process half of issue 9's benchmark, on the data set ``bench/run.py`` seeded.

``prepare`` prices the extra TLDs the search figure configures and lists registered names (the
searches for them compute suggestions). ``run --count N`` takes N seeded subscribers through
the storefront's own services, each with a cart of a new domain and a hosting plan attached to
it: order, invoice, payment, and the registration the task worker would run (called here in the
same process, so its time is counted). Prints one JSON line.

    .venv/bin/python bench/issue9_checkout.py run --count 200
"""

import argparse
import json
import os
import statistics
import sys
import time
from decimal import Decimal

import django

EXTRA_TLD_PRICES = {"shop": "1299.00", "store": "1499.00", "web": "899.00"}


def prepare() -> dict:
    from hostpact.billing.models import TldPrice
    from hostpact.domains.models import Domain

    for tld, amount in EXTRA_TLD_PRICES.items():
        TldPrice.objects.get_or_create(tld=tld, defaults={
            "register": Decimal(amount), "renew": Decimal(amount), "transfer": Decimal(amount),
            "currency": "INR", "active": True})
    taken = list(Domain.objects.filter(name__regex=r"^[a-z0-9-]+\.test$")
                 .values_list("name", flat=True)[:1000])
    return {"domains": Domain.objects.count(), "taken": taken}


def run(count: int) -> dict:
    from hostpact.accounts.models import User
    from hostpact.billing.models import PaymentMethod, Price
    from hostpact.storefront.models import Fulfilment
    from hostpact.storefront.services.cart import add_item
    from hostpact.storefront.services.checkout import checkout_cart
    from hostpact.storefront.services.fulfilment import fulfil_one

    plan = Price.objects.get(product__code="shared-starter", cycle="annual")
    with_card = PaymentMethod.objects.filter(is_default=True).values_list("user_id", flat=True)
    users = list(User.objects.filter(pk__in=with_card[: count * 2], profile__isnull=False)
                 .order_by("pk")[:count])
    stamp = int(time.time())
    timings, states = [], {}
    for i, user in enumerate(users):
        name = f"bench-{stamp}-{i}.test"
        t0 = time.perf_counter()
        cart = add_item(None, user, kind="register", domain=name, years=1)
        cart = add_item(cart, user, kind="plan", price_id=plan.pk, domain=name)
        checkout = checkout_cart(cart, user)
        for pk in Fulfilment.objects.filter(checkout=checkout).values_list("pk", flat=True):
            state = fulfil_one(pk)
            states[state] = states.get(state, 0) + 1
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    if not timings:
        return {"status": "no subscriber with a card to check out"}
    return {"status": "ok", "count": len(timings), "states": states,
            "p50_ms": statistics.median(timings),
            "p95_ms": timings[max(0, round(0.95 * len(timings)) - 1)],
            "max_ms": timings[-1]}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("what", choices=["prepare", "run"])
    p.add_argument("--count", type=int, default=200)
    args = p.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hostpact.settings")
    django.setup()
    out = prepare() if args.what == "prepare" else run(args.count)
    print(json.dumps(out, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
