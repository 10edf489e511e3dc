"""Issue 12's unsubscribe figure: RFC 8058 one-click POSTs to ``/u/<token>``, 16 clients at once.

granian runs exactly as production does. A preparing step (this program with ``--prepare``, in
the benchmark's Django environment) puts a sample of subscribers on the three marketing lists
and writes one unsubscribe token per subscriber and list. Before each turn every one of those
subscriptions is switched on again (straight in the database), so each POST of the turn is a
real unsubscribe: a locked write of the subscription, a ledger row and an audit event. wrk (16
connections, ``issue12_unsubscribe.lua``) posts ``List-Unsubscribe=One-Click`` with no cookie,
each answer a 200. The ledger is counted: rows written must equal the 200s while tokens last
(a token used twice in a turn is a replay and writes nothing). Beside it, in turns,
``GET /bench/bare`` on the same server at the same 16 connections. Figures are medians.

    .venv/bin/python bench/issue12_unsubscribe.py --data-dir var/bench/data \
        --out bench/results/issue12_unsubscribe.json --duration 5
"""

import argparse
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import harness
from issue11_servers import Missing, migrate, require, run_wrk_script, summary

CLIENTS = 16
GOAL = 500  # one-click POSTs per second
SCRIPT = harness.BENCH_DIR / "issue12_unsubscribe.lua"
SRC = harness.ROOT / "src" / "hostpact"
CODE = [(SRC / "marketing" / "views.py", "def unsubscribe"),
        (SRC / "marketing" / "tokens.py", "def make_token")]
LISTS = ("newsletters", "promotions", "partner-promotions")
LEDGER = "marketing_subscriptionchange"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--duration", type=float, default=10.0, help="seconds per turn")
    p.add_argument("--warmup", type=float, default=2.0)
    p.add_argument("--turns", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--subscribers", type=int, default=5000,
                   help="subscribers sampled (three tokens each)")
    return p.parse_args(argv)


def prepare(count: int, tokens_out: Path) -> int:
    """In Django: sample ``count`` subscribers, give each a row per marketing list, write one
    token a line; return how many tokens."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hostpact.settings")
    import django

    django.setup()
    from clients import sample_users
    from django.db import transaction

    from hostpact.accounts.models import User
    from hostpact.core import clock
    from hostpact.marketing.models import Subscription
    from hostpact.marketing.tokens import make_token
    from hostpact.panel.seeding import SeedError, seed_subscribers

    have = User.objects.filter(is_staff=False).count()
    if have < count:
        try:
            seed_subscribers(count - have, seed=1212)
        except SeedError:
            pass  # seeded by an earlier run: use who is there
    users = sample_users(count)
    subjects = [u.subject_id for u in users]
    now = clock.now()
    with transaction.atomic():
        have = set(Subscription.objects.filter(subject_id__in=subjects, list_key__in=LISTS)
                   .values_list("subject_id", "list_key"))
        Subscription.objects.bulk_create(
            [Subscription(subject_id=s, list_key=k, subscribed=True, changed_at=now)
             for s in subjects for k in LISTS if (s, k) not in have], batch_size=1000)
    lines = [make_token(s, k) for k in LISTS for s in subjects]
    tokens_out.write_text("".join(t + "\n" for t in lines))
    return len(lines)


def _db(data_dir: Path):
    return sqlite3.connect(data_dir / "hostpact.sqlite3", timeout=60)


def ledger_rows(data_dir: Path) -> int:
    with _db(data_dir) as db:
        return db.execute(f"SELECT COUNT(*) FROM {LEDGER}").fetchone()[0]  # noqa: S608


def resubscribe(data_dir: Path) -> None:
    """Switch the sampled subscriptions on again, so the next turn's POSTs are real changes
    (the benchmark's own reset: the platform never writes a subscription this way)."""
    keys = ",".join(f"'{k}'" for k in LISTS)
    with _db(data_dir) as db:
        db.execute(f"UPDATE marketing_subscription SET subscribed = 1 "  # noqa: S608
                   f"WHERE list_key IN ({keys}) AND subscribed = 0")


def run(args, env: dict) -> dict:
    """Measure one-click POSTs and the bare view in turns; count the ledger rows written."""
    try:
        require(CODE)
    except Missing as exc:
        print(f"not measured: {exc}")
        return {"status": "missing", "detail": str(exc)}
    migrate(env)
    tokens_file = (args.data_dir.parent / "issue12-unsubscribe-tokens.txt").resolve()
    prep = subprocess.run(
        [sys.executable, __file__, "--prepare", str(args.subscribers), str(tokens_file)],
        env={**env, "PYTHONPATH": str(harness.BENCH_DIR) + ":" + env.get("PYTHONPATH", "")},
        cwd=harness.ROOT, capture_output=True, text=True)
    if prep.returncode:
        return {"status": "unavailable", "detail": prep.stderr[-2000:]}
    tokens = int(prep.stdout.strip().splitlines()[-1])
    wrk = harness.ensure_wrk()
    server = harness.Server(env=env, log_path=args.data_dir.parent / "granian-issue12.log")
    server.start()
    try:
        post = dict(duration=args.warmup, connections=CLIENTS, threads=args.threads)
        script_args = ["/u/", str(tokens_file), str(args.threads)]
        if args.warmup:
            run_wrk_script(wrk, server.base_url, SCRIPT, script_args, **post)
            harness.run_wrk(wrk, server.base_url, "/bench/bare", **post)
        post["duration"] = args.duration
        posts, bare, rows = [], [], 0
        for turn in range(args.turns):
            resubscribe(args.data_dir)
            before = ledger_rows(args.data_dir)
            r = run_wrk_script(wrk, server.base_url, SCRIPT, script_args, **post)
            r["ledger_rows"] = ledger_rows(args.data_dir) - before
            rows += r["ledger_rows"]
            posts.append(r)
            bare.append(harness.run_wrk(wrk, server.base_url, "/bench/bare", **post))
            print(f"turn {turn + 1}: POST /u/<token> {r['rps']:.0f}/s ({r['ledger_rows']} "
                  f"unsubscribes, {r['non200']} not 200), GET /bench/bare "
                  f"{bare[-1]['rps']:.0f} req/s")
    finally:
        server.stop()
    figure, reference = summary(posts), summary(bare)
    answered = figure["requests"] - figure["failed"]
    per_turn = answered / max(1, args.turns)
    return {"status": "ok", "clients": CLIENTS, "tokens": tokens, "turns": args.turns,
            "duration_s": args.duration, "posts": figure, "reference": reference,
            "ratio": figure["rps"] / reference["rps"], "ledger_rows": rows,
            "goal_rps": GOAL, "meets_goal": figure["rps"] >= GOAL,
            # While tokens last each 200 is one change; beyond, replays write nothing.
            "all_real": per_turn <= tokens,
            "ledger_matches": (rows <= answered + CLIENTS * args.turns
                               and (per_turn > tokens or answered <= rows))}


def render(r: dict, t, verdict):
    """The unsubscribe POSTs' rows."""
    if r.get("status") != "ok":
        t.add_row(f"POST /u/<token> (one-click), {CLIENTS} clients", r.get("status"), "report",
                  "", "", "", f"[red]not measured: {r.get('detail', '')}[/]")
        return t
    p, ref = r["posts"], r["reference"]
    t.add_row(f"POST /u/<token> (RFC 8058 one-click), {r['clients']} concurrent clients",
              f"{p['rps']:,.0f} /s", f"≥ {r['goal_rps']} /s", f"{ref['rps']:,.0f} req/s",
              f"{r['ratio']:.0%}", f"{p['requests']:,}", verdict(r["meets_goal"]))
    t.add_row("  reference: GET /bench/bare, same server, same 16 connections", "", "", "", "",
              f"{ref['requests']:,}", "")
    t.add_row("  p50 / p95", f"{p['p50_ms']:.1f} / {p['p95_ms']:.1f} ms", "",
              f"{ref['p50_ms']:.1f} / {ref['p95_ms']:.1f} ms", "", "", "")
    t.add_row("  unsubscribes written (one ledger row per 200)", f"{r['ledger_rows']:,}",
              "= answers", "", "", "", verdict(r["ledger_matches"] and p["failed"] == 0))
    return t


def main(argv=None) -> int:
    if argv is None and len(sys.argv) == 4 and sys.argv[1] == "--prepare":
        print(prepare(int(sys.argv[2]), Path(sys.argv[3])))
        return 0
    results = harness.run_alone(parse_args, run, argv)
    return 0 if results["status"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
