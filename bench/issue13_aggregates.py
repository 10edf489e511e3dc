"""Issue 13's aggregate profile figures: building the profile tables over N seeded subscribers
(60 % with optional answers), then the staff dashboard's p95.

The data set is its own (``--data-dir``, SQLite, wiped unless ``--reuse``): ``seed_demo
--subscribers N --answers 0.6`` seeds subscribers and gives 60 % of them answers to the
"About you" form. Then, in this process:

1. **build**: ``audiences.profiles.build_profiles`` (every subscriber's attributes read in
   chunks with their keys unwrapped a chunk at a time, counted, the tables replaced); seconds;
2. **dashboard**: ``--requests`` GETs of ``/backoffice/audiences/`` by a logged-in
   marketing staff member through Django's test client (the view, suppression and template;
   no web server in between); p50 and p95 in milliseconds.

    .venv/bin/python bench/issue13_aggregates.py                       # 100,000 subscribers
    .venv/bin/python bench/issue13_aggregates.py --subscribers 5000    # a smoke check
"""

import argparse
import datetime
import json
import statistics
import sys
import time
from pathlib import Path

import dataset
import harness
from rich.console import Console

console = Console()


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--subscribers", type=int, default=100_000)
    p.add_argument("--answers", type=float, default=0.6,
                   help="the fraction of subscribers with optional answers")
    p.add_argument("--requests", type=int, default=200, help="dashboard GETs measured")
    p.add_argument("--data-dir", type=Path, default=harness.ROOT / "var/bench/issue13")
    p.add_argument("--out", type=Path,
                   default=harness.BENCH_DIR / "results/issue13_aggregates.json")
    p.add_argument("--reuse", action="store_true", help="keep an already seeded data set")
    return p.parse_args(argv)


def _percentile(values: list, p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(args) -> dict:
    """Build the tables, then time the dashboard (Django set up from the environment)."""
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from hostpact.audiences import profiles
    from hostpact.audiences.models import Answers
    from hostpact.testing.factories import make_staff

    answered = Answers.objects.count()
    t0 = time.perf_counter()
    cells = profiles.build_profiles(actor="system:bench")
    build_s = time.perf_counter() - t0
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    staff = make_staff(f"bench-{time.time_ns()}@staff.example", groups=("marketing",))
    client.force_login(staff)  # a new one each run: a reused data set keeps the last
    url = reverse("audiences:dashboard")
    assert client.get(url).status_code == 200  # warm: templates, key cache, query plans
    times = []
    for _ in range(args.requests):
        t = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"the dashboard answered {response.status_code}")
    return {"answered": answered, "cells": cells, "build_s": build_s,
            "requests": len(times), "p50_ms": statistics.median(times),
            "p95_ms": _percentile(times, 95), "page_bytes": len(response.content)}


def run(args) -> dict:
    """Seed (unless reused), then build the profile tables and time the dashboard."""
    env = dataset.bench_env(args.data_dir.resolve())
    results = {"issue": 13, "part": "aggregates", "subscribers": args.subscribers,
               "answers_fraction": args.answers,
               "at": datetime.datetime.now(datetime.UTC).isoformat()}
    results["seed"] = dataset.seed(args.data_dir, env, reuse=args.reuse, seed_args=[
        "--subscribers", str(args.subscribers), "--seed", "13", "--answers", str(args.answers)])
    results["aggregates"] = dataset.in_process(env, measure, args)
    results["status"] = "ok"
    return results


def render(r: dict, t, verdict):
    """The aggregate profile rows, in the benchmarks' table."""
    a = r["aggregates"]
    t.add_row(f"aggregate profiles over {r['subscribers']:,} subscribers "
              f"({a['answered']:,} with answers): build", f"{a['build_s']:.1f} s", "report",
              "", "", f"{a['cells']:,} cells", "")
    t.add_row(f"  staff dashboard ({a['requests']} GETs, in process)",
              f"p95 {a['p95_ms']:.1f} ms", "report", f"p50 {a['p50_ms']:.1f} ms", "", "", "")
    return t


def main(argv=None) -> int:
    from report import new_table, verdict

    args = parse_args(argv)
    results = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    console.print(render(results, new_table("hostpact benchmarks: issue 13 aggregates"),
                         verdict))
    return 0


if __name__ == "__main__":
    sys.exit(main())
