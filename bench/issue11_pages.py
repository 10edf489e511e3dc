"""Issue 11's page figures: what the consent enforcement and the request log cost a public page.

Three granian servers run side by side on the same data set, each exactly as production runs
it: **full** (production's settings), **no consent** (no ``ConsentMiddleware``, no consent
context processor, the consent template tags replaced by pass-through ones, so nothing is
filtered by the visitor's choice) and **no request log** (no ``RequestLogMiddleware``); see
``issue11_settings.py``. wrk drives them in turns, full first then the others, the order
reversed every turn, anonymous, 8 connections:

- ``GET /`` (the storefront home) on all three: consent ratio = full / no consent (goal
  ≥ 95 %), request-log ratio = full / no request log (goal ≥ 90 %);
- ``GET /bench/bare`` on full and no request log: the log's cost on the cheapest request, as
  a share of it (reported).

Each figure is the median of its turns; every turn is in the JSON.

    .venv/bin/python bench/issue11_pages.py --data-dir var/bench/data \
        --out bench/results/issue11_pages.json --duration 5 --turns 3
"""

import argparse
import sys
from pathlib import Path

import harness
from issue11_servers import (
    CONSENT_CODE,
    REQUEST_LOG_CODE,
    Missing,
    migrate,
    require,
    start,
    summary,
    variant_env,
)

CONSENT_GOAL = 0.95
REQUEST_LOG_GOAL = 0.90
VARIANTS = {"full": {}, "no_consent": {"consent": False}, "no_request_log": {"request_log": False}}
# (figure key, variant, path)
FIGURES = [("home_full", "full", "/"), ("home_no_consent", "no_consent", "/"),
           ("home_no_request_log", "no_request_log", "/"),
           ("bare_full", "full", "/bench/bare"),
           ("bare_no_request_log", "no_request_log", "/bench/bare")]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--duration", type=float, default=10.0, help="seconds per turn")
    p.add_argument("--warmup", type=float, default=2.0, help="seconds, once per figure")
    p.add_argument("--turns", type=int, default=3)
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--threads", type=int, default=2)
    return p.parse_args(argv)


def _look(server, path: str) -> dict:
    """What one answer of ``path`` shows of the variant: status, size, CSP, banner."""
    status, headers, body = harness.http_get(server.base_url + path)
    lower = {k.lower(): v for k, v in headers.items()}
    return {"status": status, "bytes": len(body),
            "csp": "content-security-policy" in lower,
            "banner": b'id="hp-consent"' in body}


def run(args, env: dict) -> dict:
    """Measure the five figures; ``status`` says why not when the code is missing."""
    try:
        require(CONSENT_CODE + REQUEST_LOG_CODE)
    except Missing as exc:
        print(f"not measured: {exc}")
        return {"status": "missing", "detail": str(exc)}
    migrate(env)
    wrk = harness.ensure_wrk()
    servers: dict = {}
    try:
        for name, switches in VARIANTS.items():
            servers[name] = start(variant_env(env, **switches), name, args.data_dir)
        looks = {name: _look(server, "/") for name, server in servers.items()}
        bad = {n: look["status"] for n, look in looks.items() if look["status"] != 200}
        if bad:
            return {"status": "unavailable", "detail": f"GET / answers {bad}", "looks": looks}
        opts = dict(connections=args.connections, threads=args.threads)
        if args.warmup:
            for _, variant, path in FIGURES:
                harness.run_wrk(wrk, servers[variant].base_url, path, duration=args.warmup,
                                **opts)
        runs: dict = {key: [] for key, _, _ in FIGURES}
        for turn in range(args.turns):
            order = FIGURES if turn % 2 == 0 else FIGURES[::-1]
            for key, variant, path in order:
                r = harness.run_wrk(wrk, servers[variant].base_url, path,
                                    duration=args.duration, **opts)
                runs[key].append(r)
                print(f"turn {turn + 1} {key}: {r['rps']:.0f} req/s, p95 {r['p95_ms']:.2f} ms"
                      + (f", {r['non200']} not 200" if r["non200"] else ""))
    finally:
        for server in servers.values():
            server.stop()
    figures = {key: {"variant": variant, "path": path, **summary(runs[key])}
               for key, variant, path in FIGURES}
    consent = figures["home_full"]["rps"] / figures["home_no_consent"]["rps"]
    log = figures["home_full"]["rps"] / figures["home_no_request_log"]["rps"]
    log_bare = figures["bare_full"]["rps"] / figures["bare_no_request_log"]["rps"]
    clean = all(f["failed"] == 0 for f in figures.values())
    return {
        "status": "ok", "figures": figures, "looks": looks, "turns": args.turns,
        "duration_s": args.duration, "connections": args.connections,
        "server": " ".join(["granian", *harness.GRANIAN_ARGS, "hostpact.wsgi:application"]),
        "consent": {"ratio": consent, "goal": CONSENT_GOAL,
                    "met": consent >= CONSENT_GOAL and clean},
        "request_log": {"ratio": log, "goal": REQUEST_LOG_GOAL,
                        "met": log >= REQUEST_LOG_GOAL and clean, "ratio_bare": log_bare},
    }


def render(r: dict, t, verdict):
    """The page figures' rows."""
    if r.get("status") != "ok":
        t.add_row("GET / with and without consent; request log on and off", r.get("status"),
                  "", "", "", "", f"[red]not measured: {r.get('detail', '')}[/]")
        return t
    f = r["figures"]

    def row(label, key, ref_key, ratio, goal, met):
        t.add_row(label, f"{f[key]['rps']:,.0f} req/s", goal, f"{f[ref_key]['rps']:,.0f} req/s",
                  f"{ratio:.0%}", f"{f[key]['requests']:,}", verdict(met) if goal else "")

    row("GET / (storefront home), consent enforced", "home_full", "home_no_consent",
        r["consent"]["ratio"], f"≥ {CONSENT_GOAL:.0%} of without", r["consent"]["met"])
    t.add_row("  reference: the same server without consent middleware, context, tags", "",
              "", "", "", f"{f['home_no_consent']['requests']:,}", "")
    row("GET / with the request log on", "home_full", "home_no_request_log",
        r["request_log"]["ratio"], f"≥ {REQUEST_LOG_GOAL:.0%} of off", r["request_log"]["met"])
    row("  GET /bench/bare with the request log on (cheapest request)", "bare_full",
        "bare_no_request_log", r["request_log"]["ratio_bare"], "", True)
    t.add_row("  p95 of GET /: full / no consent / no request log",
              " / ".join(f"{f[k]['p95_ms']:.1f}" for k in ("home_full", "home_no_consent",
                                                         "home_no_request_log")) + " ms",
              "", "", "", "", "")
    failed = sum(x["failed"] for x in f.values())
    if failed:
        t.add_row("  failed requests", f"{failed}", "0", "", "", "", "[red]MISSED[/]")
    return t


def main(argv=None) -> int:
    results = harness.run_alone(parse_args, run, argv)
    return 0 if results["status"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
