"""Issue 3 benchmark: exporting one subscriber, p50 / p95 over n of them (goal p95 ≤ 200 ms).

``measure_export(n)`` times ``build_export`` in process, then ``GET /api/v1/me/export`` with a
bearer token through granian started with the production command line (``harness.Server``: the
whole request, server, middleware, auth, JSON and the audit event), one request after the
other, for ``n`` subscribers spread over the seeded table. It runs in a process whose
environment points at the benchmark's data directory (as ``bench/clients.py`` does).

The issue asks for subscribers "with orders, invoices and audit history". ``seed_demo`` may not
give them that yet, so with ``enrich=True`` (the default) each sampled subscriber that has no
invoice first gets three orders through the billing services (two paid) and five staff reads
in the audit ledger. That writes to the benchmark database, never anywhere else. Set-up is not
timed.

    python bench/issue3_export.py --n 200         # prints the figures as JSON
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

GOAL_P95_MS = 200.0
WARM_UP = 5


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hostpact.settings")
    import django

    django.setup()


def _sample(n: int):
    from hostpact.accounts.models import User

    ids = list(User.objects.filter(is_staff=False, is_active=True, profile__isnull=False)
               .order_by("id").values_list("id", flat=True))
    step = max(1, len(ids) // max(n, 1))
    chosen = ids[::step][:n]
    return list(User.objects.filter(id__in=chosen).order_by("id"))


def _enrich(users) -> int:
    """Give subscribers without invoices some orders, payments and staff reads; return how many."""
    from hostpact.accounts.models import User
    from hostpact.billing import services as billing
    from hostpact.billing.models import Invoice, Price
    from hostpact.core import audit
    from hostpact.testing.factories import make_staff

    staff = User.objects.filter(is_staff=True).order_by("id").first() or make_staff(
        "bench-staff@hostpact.test", groups=["support"])
    prices = list(Price.objects.filter(active=True, product__active=True,
                                       product__unit="").order_by("id")[:3])
    have = set(Invoice.objects.filter(user__in=users).values_list("user_id", flat=True))
    done = 0
    for user in users:
        if user.pk in have:
            continue
        who = f"subscriber:{user.customer_id}"
        for i, price in enumerate(prices):
            placed = billing.place_order(user, price, who)
            if i < 2:
                billing.pay_invoice(placed.invoice, who)
        for _ in range(5):
            audit.record(f"staff:{staff.pk}", "staff.read", user.subject_id,
                         ["email", "name", "phone", "city"], user.customer_id)
        done += 1
    return done


def _percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    if len(ordered) < 2:
        ordered = ordered * 2  # quantiles needs two points; one sample is its own percentile
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"count": len(samples), "p50_ms": round(q[49], 2), "p95_ms": round(q[94], 2),
            "max_ms": round(ordered[-1], 2),
            "goal_p95_ms": GOAL_P95_MS, "met": q[94] <= GOAL_P95_MS}


def _time(fn, items) -> list[float]:
    for item in items[:WARM_UP]:
        fn(item)
    out = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - start) * 1000)
    return out


def measure_export(n: int = 200, *, api: bool = True, enrich: bool = True) -> dict:
    """p50 / p95 (ms) of ``build_export`` and ``GET /api/v1/me/export`` (granian) over ``n``."""
    from django.apps import apps

    if not apps.ready:
        _setup_django()
    from hostpact.accounts import services as accounts
    from hostpact.privacy.rights.export.queries import build_export

    users = _sample(n)
    if not users:
        raise RuntimeError("no subscribers to export: run seed_demo first")
    enriched = _enrich(users) if enrich else 0
    result = {"subscribers": len(users), "enriched": enriched,
              "build_export": _percentiles(_time(lambda u: build_export(u.subject_id), users))}
    if api:
        tokens = {u.pk: accounts.issue_api_token(u)[0] for u in users}
        data_dir = Path(os.environ.get("HOSTPACT_DATA_DIR",
                                       harness.ROOT / "var" / "bench" / "data"))
        server = harness.Server(env=dict(os.environ),
                                log_path=data_dir.parent / "granian-issue3.log")
        server.start()
        try:
            def call(user):
                status, _, body = harness.http_get(
                    server.base_url + "/api/v1/me/export",
                    {"Authorization": f"Bearer {tokens[user.pk]}"}, timeout=30)
                if status != 200:
                    raise RuntimeError(f"export API answered {status}")
                return body

            result["api"] = _percentiles(_time(call, users))
        finally:
            server.stop()
        result["api"]["server"] = " ".join(["granian", *harness.GRANIAN_ARGS])
    sizes = [len(json.dumps(build_export(u.subject_id))) for u in users[:20]]
    result["document_bytes_median"] = int(statistics.median(sizes))
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--no-api", action="store_true")
    parser.add_argument("--no-enrich", action="store_true")
    args = parser.parse_args(argv)
    _setup_django()
    figures = measure_export(args.n, api=not args.no_api, enrich=not args.no_enrich)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
