"""Issue 11's consent-POST figure: JSON choices on ``POST /consent/``, 16 clients at once.

granian runs exactly as production does (production's settings). Each of 16 clients first
gets its own CSRF token from ``GET /consent/``, as a visitor's browser does before the banner
posts; then wrk (16 connections, ``issue11_consent.lua``) posts
``{"categories": ["performance", "functional"]}`` with the token as cookie and header, each
answer a 204 that set ``hp_consent`` and wrote one ledger row. The ledger is counted before and
after: rows written must equal the 204s. Beside it, in turns, ``GET /bench/bare`` on the same
server at the same 16 connections: the floor of any request there. Figures are medians of the
turns.

    .venv/bin/python bench/issue11_consent.py --data-dir var/bench/data \
        --out bench/results/issue11_consent.json --duration 5
"""

import argparse
import json
import sqlite3
import sys
import urllib.error
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

import harness
from issue11_servers import (
    CONSENT_CODE,
    REQUEST_LOG_CODE,
    Missing,
    migrate,
    require,
    run_wrk_script,
    start,
    summary,
    variant_env,
)

CLIENTS = 16
PATH = "/consent/"
BODY = json.dumps({"categories": ["performance", "functional"]})
SCRIPT = harness.BENCH_DIR / "issue11_consent.lua"
LEDGER = "consent_consentrecord"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--duration", type=float, default=10.0, help="seconds per turn")
    p.add_argument("--warmup", type=float, default=2.0)
    p.add_argument("--turns", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    return p.parse_args(argv)


def csrf_token(base_url: str) -> str:
    """The CSRF token one new client gets from the consent page (its ``csrftoken`` cookie)."""
    with urllib.request.urlopen(base_url + PATH, timeout=10) as resp:  # noqa: S310 - local
        jar = SimpleCookie()
        for header in resp.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    if "csrftoken" not in jar:
        raise RuntimeError(f"GET {PATH} set no csrftoken cookie")
    return jar["csrftoken"].value


def post_once(base_url: str, token: str) -> int:
    """Status of one JSON choice posted with ``token``, as the banner posts it."""
    req = urllib.request.Request(base_url + PATH, data=BODY.encode(), method="POST", headers={
        "Content-Type": "application/json", "Cookie": f"csrftoken={token}",
        "X-CSRFToken": token})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310 - local
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def ledger_rows(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "hostpact.sqlite3", timeout=30) as db:
        return db.execute(f"SELECT COUNT(*) FROM {LEDGER}").fetchone()[0]  # noqa: S608


def run(args, env: dict) -> dict:
    """Measure consent POSTs and the bare view in turns; count the ledger rows written."""
    try:
        require(CONSENT_CODE + REQUEST_LOG_CODE)
    except Missing as exc:
        print(f"not measured: {exc}")
        return {"status": "missing", "detail": str(exc)}
    migrate(env)
    wrk = harness.ensure_wrk()
    server = start(variant_env(env), "consent", args.data_dir)
    try:
        tokens = [csrf_token(server.base_url) for _ in range(CLIENTS)]
        first = post_once(server.base_url, tokens[0])
        if first != 204:
            return {"status": "unavailable", "detail": f"POST {PATH} answers {first}"}
        tokens_file = args.data_dir.parent / "issue11-csrf-tokens.txt"
        tokens_file.write_text("".join(t + "\n" for t in tokens))
        post = dict(duration=args.warmup, connections=CLIENTS, threads=args.threads)
        if args.warmup:
            run_wrk_script(wrk, server.base_url, SCRIPT, [PATH, str(tokens_file), BODY], **post)
            harness.run_wrk(wrk, server.base_url, "/bench/bare", **post)
        post["duration"] = args.duration
        posts, bare, rows = [], [], 0
        for turn in range(args.turns):
            before = ledger_rows(args.data_dir)
            r = run_wrk_script(wrk, server.base_url, SCRIPT, [PATH, str(tokens_file), BODY],
                               **post)
            r["ledger_rows"] = ledger_rows(args.data_dir) - before
            rows += r["ledger_rows"]
            posts.append(r)
            bare.append(harness.run_wrk(wrk, server.base_url, "/bench/bare", **post))
            print(f"turn {turn + 1}: POST {PATH} {r['rps']:.0f}/s ({r['ledger_rows']} ledger "
                  f"rows, {r['non200']} not 204), GET /bench/bare {bare[-1]['rps']:.0f} req/s")
    finally:
        server.stop()
    figure, reference = summary(posts), summary(bare)
    answered = figure["requests"] - figure["failed"]
    return {"status": "ok", "clients": CLIENTS, "body": BODY, "turns": args.turns,
            "duration_s": args.duration, "posts": figure, "reference": reference,
            "ratio": figure["rps"] / reference["rps"], "ledger_rows": rows,
            # Requests still in flight when wrk stops can land after its count: allow those.
            "ledger_matches": answered <= rows <= answered + CLIENTS * args.turns}


def render(r: dict, t, verdict):
    """The consent POSTs' rows."""
    if r.get("status") != "ok":
        t.add_row(f"POST {PATH} (JSON), {CLIENTS} clients", r.get("status"), "report", "", "",
                  "", f"[red]not measured: {r.get('detail', '')}[/]")
        return t
    p, ref = r["posts"], r["reference"]
    t.add_row(f"POST {PATH} (JSON choice), {r['clients']} concurrent clients",
              f"{p['rps']:,.0f} /s", "report", f"{ref['rps']:,.0f} req/s", f"{r['ratio']:.0%}",
              f"{p['requests']:,}", "")
    t.add_row("  reference: GET /bench/bare, same server, same 16 connections", "", "", "", "",
              f"{ref['requests']:,}", "")
    t.add_row("  p50 / p95", f"{p['p50_ms']:.1f} / {p['p95_ms']:.1f} ms", "",
              f"{ref['p50_ms']:.1f} / {ref['p95_ms']:.1f} ms", "", "", "")
    t.add_row("  ledger rows written (one per 204)", f"{r['ledger_rows']:,}", "= answers", "",
              "", "", verdict(r["ledger_matches"] and p["failed"] == 0))
    return t


def main(argv=None) -> int:
    results = harness.run_alone(parse_args, run, argv)
    return 0 if results["status"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
