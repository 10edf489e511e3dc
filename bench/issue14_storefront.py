"""Issue 14's storefront figure: the white-label home page of 1,000 resellers beside ours
(goal: ≥ 90 % of our req/s).

Its own data set (``--data-dir``, SQLite, wiped each run unless ``--reuse``): the migrated
catalogue and ``--resellers`` approved resellers made with the app's own service, each with its
own host name (``r0001.resellers.test`` …) and brand. One granian serves it exactly as
production runs it (``harness.Server``); wrk (``rotate.lua``) asks, in turns, ``GET /`` with a
``Host`` header rotating over every reseller's host (each request another reseller: the host
map, the brand and the price list of each) and ``GET /`` on our own host, 8 connections,
anonymous. Each figure is the median of its turns; every turn is in the JSON.

    .venv/bin/python bench/issue14_storefront.py [--reuse] [--quick]
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import harness
from dataset import HOSTPACT

GOAL = 0.90
HOST = "r{:04d}.resellers.test"
BRAND = "Reseller {:04d} Hosting"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path,
                   default=harness.ROOT / "var/bench/issue14_storefront")
    p.add_argument("--out", type=Path,
                   default=harness.BENCH_DIR / "results/issue14_storefront.json")
    p.add_argument("--resellers", type=int, default=1000)
    p.add_argument("--duration", type=float, default=10.0, help="seconds per turn")
    p.add_argument("--warmup", type=float, default=2.0, help="seconds, once per figure")
    p.add_argument("--turns", type=int, default=5)
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--reuse", action="store_true", help="keep a seeded data set")
    p.add_argument("--quick", action="store_true", help="short turns (3 × 3 s)")
    p.add_argument("--seed-child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.quick:
        args.duration, args.warmup, args.turns = 3.0, 1.0, 3
    return args


def seed_child(count: int) -> dict:
    """Create the resellers that are missing (run in a child with Django set up)."""
    import django

    django.setup()
    from hostpact.resellers.models import ResellerHost
    from hostpact.resellers.services.resellers import create_reseller

    have = set(ResellerHost.objects.values_list("host", flat=True))
    t0, made = time.perf_counter(), 0
    for n in range(1, count + 1):
        if HOST.format(n) in have:
            continue
        create_reseller(name=f"Reseller {n:04d} Pvt Ltd", host=HOST.format(n),
                        brand_name=BRAND.format(n), actor="system:bench", approve=True)
        made += 1
    return {"made": made, "seconds": time.perf_counter() - t0}


def _seed(args, env: dict) -> dict:
    if not args.reuse and args.data_dir.exists():
        shutil.rmtree(args.data_dir)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run([HOSTPACT, "migrate", "--noinput"], cwd=harness.ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--seed-child",
                           "--resellers", str(args.resellers)],
                          cwd=harness.ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError("seeding failed: " + " ".join(done.stderr.strip().splitlines()[-3:]))
    return json.loads(done.stdout.strip().splitlines()[-1])


def _looks(server, hosts: list[str]) -> dict:
    """What the first reseller's home and ours show: status, and whose brand."""
    status, _, body = harness.http_get(server.base_url + "/", headers={"Host": hosts[0]})
    ours_status, _, ours = harness.http_get(server.base_url + "/")
    return {"reseller_status": status, "reseller_brand": BRAND.format(1).encode() in body,
            "reseller_names_platform": b"hostpact</title>" in body,
            "ours_status": ours_status, "ours_brand": b"hostpact</title>" in ours}


def _summary(runs: list[dict]) -> dict:
    return {"rps": statistics.median(r["rps"] for r in runs),
            "p50_ms": statistics.median(r["p50_ms"] for r in runs),
            "p95_ms": statistics.median(r["p95_ms"] for r in runs),
            "requests": sum(r["requests"] for r in runs),
            "failed": sum(r["non200"] + r["errors_total"] for r in runs),
            "turns": [{k: r[k] for k in ("rps", "p50_ms", "p95_ms", "requests", "non200")}
                      for r in runs]}


def run(args, env: dict) -> dict:
    """Seed, serve, and measure both figures in alternating turns."""
    env = {**env, "HOSTPACT_DATA_DIR": str(args.data_dir.resolve())}
    seeded = _seed(args, env)
    hosts = [HOST.format(n) for n in range(1, args.resellers + 1)]
    hosts_file = args.data_dir / "hosts.txt"
    hosts_file.write_text("".join(h + "\n" for h in hosts))
    wrk = harness.ensure_wrk()
    server = harness.Server(env=env, log_path=args.data_dir / "granian.log")
    server.start()
    figures = {"resellers": dict(header="Host", values_file=hosts_file), "ours": {}}
    opts = dict(connections=args.connections, threads=args.threads)
    runs: dict = {name: [] for name in figures}
    try:
        looks = _looks(server, hosts)
        if looks["reseller_status"] != 200 or looks["ours_status"] != 200:
            return {"status": "unavailable", "detail": f"GET / answers {looks}"}
        for extra in figures.values():
            harness.run_wrk(wrk, server.base_url, "/", duration=args.warmup, **opts, **extra)
        for turn in range(args.turns):
            order = list(figures.items())
            for name, extra in order if turn % 2 == 0 else order[::-1]:
                r = harness.run_wrk(wrk, server.base_url, "/", duration=args.duration,
                                    **opts, **extra)
                runs[name].append(r)
                print(f"turn {turn + 1} {name}: {r['rps']:.0f} req/s, p95 {r['p95_ms']:.2f} ms"
                      + (f", {r['non200']} not 200" if r["non200"] else ""))
    finally:
        server.stop()
    resellers, ours = _summary(runs["resellers"]), _summary(runs["ours"])
    ratio = resellers["rps"] / ours["rps"] if ours["rps"] else 0.0
    clean = resellers["failed"] == 0 and ours["failed"] == 0
    return {"status": "ok", "resellers_count": args.resellers, "seed": seeded, "looks": looks,
            "turns": args.turns, "duration_s": args.duration, "connections": args.connections,
            "server": " ".join(["granian", *harness.GRANIAN_ARGS, "hostpact.wsgi:application"]),
            "resellers": resellers, "ours": ours, "ratio": ratio, "goal": GOAL,
            "met": ratio >= GOAL and clean and looks["reseller_brand"]
            and not looks["reseller_names_platform"]}


def render(r: dict, t, verdict):
    """The storefront rows, for the benchmarks' table."""
    if r.get("status") != "ok":
        t.add_row("GET / on 1,000 reseller hosts beside ours", r.get("status"), "", "", "",
                  "", f"[red]not measured: {r.get('detail', '')}[/]")
        return t
    s, o = r["resellers"], r["ours"]
    t.add_row(f"GET / (white-label home), Host rotating over {r['resellers_count']:,} "
              "resellers", f"{s['rps']:,.0f} req/s", f"≥ {GOAL:.0%} of ours",
              f"{o['rps']:,.0f} req/s", f"{r['ratio']:.0%}", f"{s['requests']:,}",
              verdict(r["met"]))
    t.add_row("  p95: resellers / ours", f"{s['p95_ms']:.1f} / {o['p95_ms']:.1f} ms", "", "",
              "", f"{o['requests']:,}", "")
    return t


def main(argv=None) -> int:
    return harness.main_with_seed_child(parse_args, run, render,
                                        lambda args: seed_child(args.resellers),
                                        "issue 14 storefront", argv)


if __name__ == "__main__":
    sys.exit(main())
