"""Issue 14's reseller API figure: ``GET /api/v1/reseller/customers?page=N`` over random pages
of one reseller's 10,000 customers, with a valid key, through the real server.

Its own data set (``--data-dir``, SQLite, wiped each run unless ``--reuse``): the migrated
catalogue, one approved reseller made with the app's service, and ``--customers`` customers
seeded fast with ``panel.seeding`` (bulk rows with sealed values, as the demo seeds) and then
moved into the reseller's realm, and a key made with ``keys.create_key``. One granian serves
it as production runs it (``harness.Server``); ``--requests`` sequential GETs of random pages
(25 a page; each decrypts one page of names, counts by the realm's index, writes its
disclosure and its key-log row) give p50 and p95 in milliseconds.

    .venv/bin/python bench/issue14_api.py [--reuse] [--quick]
"""

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import harness
from dataset import HOSTPACT

NAME = "Bench API Reseller"
HOST = "api-bench.resellers.test"
PER_PAGE = 25


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path, default=harness.ROOT / "var/bench/issue14_api")
    p.add_argument("--out", type=Path, default=harness.BENCH_DIR / "results/issue14_api.json")
    p.add_argument("--customers", type=int, default=10_000)
    p.add_argument("--requests", type=int, default=500)
    p.add_argument("--warmup", type=int, default=20)
    p.add_argument("--reuse", action="store_true", help="keep a seeded data set")
    p.add_argument("--quick", action="store_true", help="100 requests, 5 to warm up")
    p.add_argument("--seed-child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.quick:
        args.requests, args.warmup = 100, 5
    return args


def seed_child(count: int) -> dict:
    """Make the reseller and its customers if missing, and a new key (a child with Django set
    up); return the secret."""
    import django

    django.setup()
    from hostpact.accounts.models import User
    from hostpact.core.models import Subject
    from hostpact.panel.seeding import seed_subscribers
    from hostpact.resellers.models import Reseller
    from hostpact.resellers.services.keys import create_key
    from hostpact.resellers.services.resellers import create_reseller

    t0 = time.perf_counter()
    reseller = Reseller.objects.filter(name=NAME).first()
    if reseller is None:
        reseller = create_reseller(name=NAME, host=HOST, actor="system:bench", approve=True)
    have = User.objects.filter(realm_id=reseller.realm_id).count()
    made = []
    if have < count:
        seed_subscribers(count - have, seed=1400 + have, owners=made)
        # Seeded as the platform's, then moved: the realm is the only difference.
        Subject.objects.filter(id__in=[s for _, s in made]).update(realm_id=reseller.realm_id)
        User.objects.filter(pk__in=[u for u, _ in made]).update(realm_id=reseller.realm_id)
    _, secret = create_key(reseller, name="bench", scopes=["customers:read"], days=1,
                           actor="system:bench")
    return {"made": len(made), "customers": have + len(made), "secret": secret,
            "seconds": time.perf_counter() - t0}


def _seed(args, env: dict) -> dict:
    if not args.reuse and args.data_dir.exists():
        shutil.rmtree(args.data_dir)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([HOSTPACT, "migrate", "--noinput"], cwd=harness.ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--seed-child",
                           "--customers", str(args.customers)],
                          cwd=harness.ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError("seeding failed: " + " ".join(done.stderr.strip().splitlines()[-3:]))
    return json.loads(done.stdout.strip().splitlines()[-1])


def _percentile(values: list, p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run(args, env: dict) -> dict:
    """Seed, serve, and time random pages with the key."""
    env = {**env, "HOSTPACT_DATA_DIR": str(args.data_dir.resolve())}
    seeded = _seed(args, env)
    headers = {"Authorization": f"Bearer {seeded.pop('secret')}"}
    pages = max(1, -(-seeded["customers"] // PER_PAGE))
    rng = random.Random(14)
    server = harness.Server(env=env, log_path=args.data_dir / "granian.log")
    server.start()
    times, failed, body = [], 0, {}
    try:
        base = f"{server.base_url}/api/v1/reseller/customers?per_page={PER_PAGE}&page="
        for n in range(args.warmup + args.requests):
            t = time.perf_counter()
            status, _, raw = harness.http_get(base + str(rng.randint(1, pages)),
                                              headers=headers)
            elapsed = (time.perf_counter() - t) * 1000
            if status != 200:
                failed += 1
                body = {"status": status, "body": raw[:300].decode(errors="replace")}
                continue
            if n >= args.warmup:
                times.append(elapsed)
                body = json.loads(raw)
    finally:
        server.stop()
    if not times:
        return {"status": "unavailable", "detail": f"no page answered 200: {body}"}
    return {"status": "ok", "seed": seeded, "pages": pages, "per_page": PER_PAGE,
            "requests": len(times), "failed": failed, "count": body.get("count"),
            "p50_ms": statistics.median(times), "p95_ms": _percentile(times, 95),
            "server": " ".join(["granian", *harness.GRANIAN_ARGS, "hostpact.wsgi:application"])}


def render(r: dict, t, verdict):
    """The reseller API row, for the benchmarks' table."""
    if r.get("status") != "ok":
        t.add_row("GET /api/v1/reseller/customers (10,000 customers)", r.get("status"), "", "",
                  "", "", f"[red]not measured: {r.get('detail', '')}[/]")
        return t
    t.add_row(f"GET /api/v1/reseller/customers?page=N over {r['count']:,} customers "
              f"({r['requests']} random pages)", f"p95 {r['p95_ms']:.1f} ms", "report",
              f"p50 {r['p50_ms']:.1f} ms", "", f"{r['failed']} failed", "")
    return t


def main(argv=None) -> int:
    return harness.main_with_seed_child(parse_args, run, render,
                                        lambda args: seed_child(args.customers),
                                        "issue 14 reseller API", argv)


if __name__ == "__main__":
    sys.exit(main())
