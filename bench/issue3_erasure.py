"""Issue 3 benchmarks of the rights engine: erasure of one subscriber, and a retention run.

Both work on the database the environment points at (``HOSTPACT_DATA_DIR`` / ``DATABASE_URL``)
and are destructive: ``measure_erasure`` erases the subscribers it measures. Run them on the
bench data set (``bench/run.py`` seeds it), never on data you want to keep.

* ``measure_erasure(n=200)``: picks ``n`` active subscribers spread over the table (seeding
  more with the bulk seeder when there are fewer), gives each an order with a paid invoice
  (kept under the tax basis, so the keep path is measured too), then times
  ``erase_subject`` for each, one after the other. Goal of the issue: p95 ≤ 1 s.
* ``measure_retention()``: the wall time of one ``hostpact retention run`` over the whole data
  set, as an operator (or the daily task) runs it: the command in its own process, Django
  start-up included, reading the process's environment for the data set.

    .venv/bin/python bench/issue3_erasure.py --n 200
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hostpact.settings")
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _subscribers(n: int) -> list:
    from hostpact.accounts.models import User
    from hostpact.panel import seeding

    candidates = User.objects.filter(is_staff=False, is_active=True,
                                          subject__erasure__isnull=True)
    have = candidates.count()
    if have < n:
        seeding.seed_subscribers(n - have, seed=int(time.time()) % 1_000_000)
        have = candidates.count()
    step = max(1, have // n)
    ids = list(candidates.order_by("pk").values_list("pk", flat=True)[::step][:n])
    return list(User.objects.filter(pk__in=ids).select_related("profile"))


def _give_invoice(user) -> None:
    from hostpact.billing import catalogue
    from hostpact.billing import services as billing
    from hostpact.billing.models import Price

    catalogue.ensure_default_catalogue()
    price = Price.objects.filter(active=True, product__active=True).order_by("pk").first()
    placed = billing.place_order(user, price, "system:bench")
    try:
        billing.pay_invoice(placed.invoice, "system:bench")
    except billing.BillingError:
        pass  # an unpaid invoice is kept the same way


def measure_erasure(n: int = 200) -> dict:
    """p50/p95 seconds of ``erase_subject`` over ``n`` seeded subscribers."""
    _setup()
    from hostpact.privacy.rights.erasure import services as erasure

    users = _subscribers(n)
    for user in users:
        _give_invoice(user)
    times = []
    for user in users:
        start = time.perf_counter()
        job = erasure.erase_subject(user.subject_id, actor="system:bench", reason="staff")
        times.append(time.perf_counter() - start)
        assert job.state == "done", job.state
    return {"n": len(times), "p50_s": round(_percentile(times, 0.50), 4),
            "p95_s": round(_percentile(times, 0.95), 4), "max_s": round(max(times), 4),
            "goal_p95_s": 1.0, "met": _percentile(times, 0.95) <= 1.0}


def measure_retention() -> dict:
    """Total wall time of ``hostpact retention run`` over the whole data set."""
    import subprocess

    command = [str(ROOT / ".venv" / "bin" / "hostpact"), "retention", "run", "--format", "json"]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=os.environ.copy(), check=True,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    lines = json.loads(done.stdout)
    return {"seconds": round(seconds, 3), "handled": sum(line["count"] for line in lines),
            "rules": len(lines), "command": "hostpact retention run"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    args = parser.parse_args(argv)
    print(json.dumps({"erasure": measure_erasure(args.n), "retention": measure_retention()},
                     indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
