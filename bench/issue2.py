"""Issue 2's figures: seeding the demo data set, and the control panel, My information and
``GET /api/v1/me`` under load beside ``/bench/bare`` (a constant JSON view behind the same server
and middleware) and the logged-in floor.

On a fresh SQLite data directory under ``var/bench/`` it migrates, times ``hostpact seed_demo``,
logs in a sample of the seeded subscribers (sessions and API tokens), starts granian exactly as
production does, and drives it with wrk at 8 connections. A machine that is slower or busier
slows the reference too, so the ratio is the figure that travels. ``bench/run.py`` runs it first;
the later issues measure the data set it seeded.
"""

import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import harness
from dataset import bench_env
from report import new_table, verdict
from rich.console import Console
from rich.table import Table

ROOT = harness.ROOT
HOSTPACT = str(harness.VENV_BIN / "hostpact")
# Piped output (make, CI logs) would wrap the table at 80 columns.
console = Console(width=None if sys.stdout.isatty() else 150)

P95_GOAL_MS = 25.0
SEED_GOAL_S = 60.0
# "100000 subscribers seeded (seed 1) in 41.2 s", "100000 domains with … seeded … in 80.3 s"
SEED_PARTS = re.compile(r"^\d+ (subscribers|domains|WHOIS/RDAP answers)\b.*? in ([\d.]+) s",
                        re.MULTILINE)

# (key, label, path, credential) — credential is the header that logs the request in.
ENDPOINTS = [
    ("panel", "GET /panel/ (dashboard)", "/panel/", "cookie"),
    ("information", "GET /panel/information/ (My information)", "/panel/information/", "cookie"),
    ("me", "GET /api/v1/me (bearer token)", "/api/v1/me", "token"),
]
# Each page's req/s goal, as a share of the logged-in floor's (issue 7): what a page may cost on
# top of reading the session and the user.
RATIO_GOALS = {"panel": 0.50, "information": 0.40, "me": 0.70}
# The bare view twice: anonymous, and with the same rotating session cookies as the panel
# pages, so it pays whatever the middleware does for a logged-in browser. The logged-in one is
# the reference ("the same server and middleware" for logged-in subscribers).
BARE = ("bare", "GET /bench/bare, logged in (reference)", "/bench/bare", "cookie")
BARE_ANON = ("bare_anonymous", "GET /bench/bare, anonymous", "/bench/bare", None)
# The same constant behind the login check: the part of every panel page's cost that is reading
# the session and the user. The pages' req/s goals are shares of its req/s.
FLOOR = ("logged_in", "GET /bench/logged-in (constant, login required)", "/bench/logged-in",
         "cookie")


def hostpact(env, *args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([HOSTPACT, *args], cwd=ROOT, env=env, check=True, **kwargs)


def seed(args, env) -> dict:
    """Migrate and time seed_demo (wall clock of the whole command, start-up included)."""
    if args.reuse and (args.data_dir / "hostpact.sqlite3").exists():
        console.print(f"[yellow]--reuse: keeping {args.data_dir}, no seeding timed[/]")
        return {"status": "reused"}
    if args.data_dir.exists():
        shutil.rmtree(args.data_dir)
    args.data_dir.mkdir(parents=True)
    t0 = time.perf_counter()
    hostpact(env, "migrate", "--noinput", stdout=subprocess.DEVNULL)
    migrate_s = time.perf_counter() - t0
    console.rule(f"seed_demo --subscribers {args.subscribers} --domains {args.domains} "
                 f"--seed {args.seed}")
    t0 = time.perf_counter()
    out = hostpact(env, "seed_demo", "--subscribers", str(args.subscribers), "--domains",
                   str(args.domains), "--seed", str(args.seed), stdout=subprocess.PIPE,
                   text=True).stdout
    seconds = time.perf_counter() - t0
    console.print(out.strip())
    # The command times each part; the subscribers' part is issue 2's figure.
    parts = {kind: float(s) for kind, s in SEED_PARTS.findall(out)}
    return {"status": "ok", "migrate_s": migrate_s, "seconds": parts.get("subscribers", seconds),
            "command_s": seconds, "domains_s": parts.get("domains"), "domains": args.domains,
            "answers_s": parts.get("WHOIS/RDAP answers"),
            "subscribers": args.subscribers, "per_second": args.subscribers / seconds}


def prepare_clients(args, env, seeded: dict) -> dict:
    out = args.data_dir.parent / "clients.json"
    cmd = [str(harness.VENV_BIN / "python"), str(harness.BENCH_DIR / "clients.py"),
           "--count", str(args.clients), "--out", str(out)]
    if seeded["status"] == "missing":
        cmd += ["--ensure", str(min(args.clients, 50))]
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)
    data = json.loads(out.read_text())
    clients = data["clients"]
    if not clients:
        raise RuntimeError("no subscribers to log in: did seeding create any?")
    cookies = args.data_dir.parent / "cookies.txt"
    tokens = args.data_dir.parent / "tokens.txt"
    cookies.write_text("".join(c["cookie"] + "\n" for c in clients))
    tokens.write_text("".join(f"Bearer {c['token']}\n" for c in clients))
    return {"count": len(clients), "seconds": time.perf_counter() - t0,
            "first": clients[0], "files": {"cookie": ("Cookie", cookies),
                                           "token": ("Authorization", tokens)}}


def preflight(server, endpoint, clients) -> dict:
    """One request as the first client: the endpoint must answer 200 before it is loaded."""
    _, _, path, cred = endpoint
    headers = {}
    if cred == "cookie":
        headers["Cookie"] = clients["first"]["cookie"]
    elif cred == "token":
        headers["Authorization"] = f"Bearer {clients['first']['token']}"
    status, resp_headers, body = harness.http_get(server.base_url + path, headers)
    return {"status": status, "bytes": len(body),
            "content_type": resp_headers.get("Content-Type", ""),
            "location": resp_headers.get("Location")}


def measure(args, wrk, server, endpoint, clients, sampler) -> dict:
    key, label, path, cred = endpoint
    check = preflight(server, endpoint, clients)
    if check["status"] != 200:
        console.print(f"[red]{label}: answers {check['status']} "
                      f"{check['location'] or ''} — not measured[/]")
        return {"label": label, "path": path, "status": "unavailable", "preflight": check}
    header, values = clients["files"][cred] if cred else (None, None)
    opts = dict(connections=args.connections, threads=args.threads, header=header,
                values_file=values)
    if args.warmup:
        harness.run_wrk(wrk, server.base_url, path, duration=args.warmup, **opts)
    cpu_before = server.cpu_seconds()
    result = harness.run_wrk(wrk, server.base_url, path, duration=args.duration, **opts)
    result["cpu_ms_per_request"] = ((server.cpu_seconds() - cpu_before) * 1000
                                    / max(1, result["requests"]))
    result.update(label=label, path=path, status="ok", preflight=check,
                  memory_after=server.memory()["hwm_sum_kb"], rss_peak_so_far=sampler.peak_kb)
    bad = result["non200"] + result["errors_total"]
    console.print(f"{label}: {result['requests']} requests, {result['rps']:.0f} req/s, "
                  f"p50 {result['p50_ms']:.2f} ms, p95 {result['p95_ms']:.2f} ms, "
                  f"server CPU {result['cpu_ms_per_request']:.2f} ms/request"
                  + (f" [red]({bad} failed, first status {result['first_bad_status']})[/]"
                     if bad else ""))
    return result


def render(results: dict) -> Table:
    t = new_table(f"hostpact benchmarks (issues 2, 3 and 9) — {results['machine']['cpus']} "
                  f"CPUs; issue 2: wrk {results['params']['connections']} connections, "
               f"{results['params']['duration']:.0f} s per figure, load average "
               f"{results['machine']['loadavg_start'][0]:.1f} → "
               f"{results['machine']['loadavg_end'][0]:.1f}")
    s = results["seed"]
    if s["status"] == "ok":
        t.add_row(f"seed_demo {s['subscribers']:,} subscribers", f"{s['seconds']:.1f} s",
                  f"≤ {SEED_GOAL_S:.0f} s", "", "", "", verdict(s["goal_met"]))
    else:
        t.add_row("seed_demo", s["status"], f"≤ {SEED_GOAL_S:.0f} s", "", "", "", "—")
    bare, anon = results["reference"], results["reference_anonymous"]
    for ref in (bare, anon):
        t.add_row(ref["label"], f"{ref['rps']:,.0f} req/s", "", "", "", f"{ref['requests']:,}",
                  "")
        t.add_row("", f"p50 {ref['p50_ms']:.2f} / p95 {ref['p95_ms']:.2f} ms", "", "", "", "",
                  "")
        t.add_row("", f"CPU {ref['cpu_ms_per_request']:.2f} ms/req", "", "", "", "", "")
    floor = results.get("logged_in_floor")
    if floor and floor["status"] == "ok":
        t.add_row(floor["label"], f"{floor['rps']:,.0f} req/s", "", f"{bare['rps']:,.0f}",
                  f"{floor['ratio']:.0%}", f"{floor['requests']:,}", "")
        t.add_row("", f"p50 {floor['p50_ms']:.2f} / p95 {floor['p95_ms']:.2f} ms, CPU "
                  f"{floor['cpu_ms_per_request']:.2f} ms/req", "", "", "", "", "")
    for key, *_ in ENDPOINTS:
        r = results["endpoints"][key]
        if r["status"] != "ok":
            t.add_row(r["label"], f"HTTP {r['preflight']['status']}", "", "", "", "",
                      "[red]not measured[/]")
            continue
        t.add_row(r["label"] + " req/s", f"{r['rps']:,.0f}",
                  f"≥ {RATIO_GOALS[key]:.0%} of the floor", f"{floor['rps']:,.0f}",
                  f"{r['ratio_floor']:.0%}", f"{r['requests']:,}", verdict(r["ratio_met"]))
        t.add_row("  req/s vs the bare view (logged in)", "", "", f"{bare['rps']:,.0f}",
                  f"{r['ratio']:.0%}", "", "")
        t.add_row("  req/s vs the anonymous bare view", "", "", f"{anon['rps']:,.0f}",
                  f"{r['ratio_anonymous']:.0%}", "", "")
        t.add_row("  p50", f"{r['p50_ms']:.2f} ms", "", f"{bare['p50_ms']:.2f} ms",
                  f"{r['p50_ms'] / bare['p50_ms']:.1f}×", "", "")
        t.add_row("  p95", f"{r['p95_ms']:.2f} ms", f"≤ {P95_GOAL_MS:.0f} ms",
                  f"{bare['p95_ms']:.2f} ms", f"{r['p95_ms'] / bare['p95_ms']:.1f}×", "",
                  verdict(r["p95_met"]))
        t.add_row("  server CPU per request", f"{r['cpu_ms_per_request']:.2f} ms", "",
                  f"{bare['cpu_ms_per_request']:.2f} ms",
                  f"{r['cpu_ms_per_request'] / bare['cpu_ms_per_request']:.1f}×", "", "")
        if r["non200"] or r["errors_total"]:
            t.add_row("  failed requests", f"{r['non200'] + r['errors_total']}", "0", "", "",
                      "", "[red]MISSED[/]")
    m = results["memory"]
    t.add_row(f"peak memory, granian ({m['processes']} processes, ΣVmHWM)",
              f"{m['hwm_sum_kb'] / 1024:.0f} MiB", "report", "", "", "", "")
    t.add_row("  largest single process (VmHWM)", f"{m['hwm_max_kb'] / 1024:.0f} MiB", "", "",
              "", "", "")
    t.add_row("  peak of summed RSS, sampled 5/s", f"{m['rss_peak_kb'] / 1024:.0f} MiB", "",
              "", "", "", "")
    return t


def _reference(endpoint, before: dict, after: dict) -> dict:
    ref = {"label": endpoint[1], "path": endpoint[2], "credential": endpoint[3],
           "before": before, "after": after}
    for k in ("rps", "p50_ms", "p95_ms", "p99_ms", "cpu_ms_per_request"):
        ref[k] = (before[k] + after[k]) / 2
    ref["requests"] = before["requests"] + after["requests"]
    return ref


def run(args) -> dict:
    env = bench_env(args.data_dir)
    wrk = harness.ensure_wrk()
    results = {
        "issue": 2,
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "loadavg_start": os.getloadavg()},
        "params": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "server": " ".join(["granian", *harness.GRANIAN_ARGS, "hostpact.wsgi:application"]),
        "goals": {"seed_s": SEED_GOAL_S, "p95_ms": P95_GOAL_MS, "ratio_of_floor": RATIO_GOALS,
                  "ratio_reference": "GET /bench/logged-in, the constant behind login_required"},
    }
    results["seed"] = s = seed(args, env)
    if s["status"] == "ok":
        s["goal_met"] = s["seconds"] <= SEED_GOAL_S
        console.print(f"seeded {s['subscribers']:,} subscribers in {s['seconds']:.1f} s")
    clients = prepare_clients(args, env, s)
    results["clients"] = {"count": clients["count"], "seconds": clients["seconds"]}
    console.print(f"{clients['count']} logged-in clients ready in {clients['seconds']:.1f} s")

    server = harness.Server(env=env, log_path=args.data_dir.parent / "granian.log")
    try:
        results["health"] = server.start()
        console.print(f"granian on {server.base_url} ({' '.join(server.command[1:])})")
        with harness.RssSampler(server.proc.pid) as sampler:
            anon_before = measure(args, wrk, server, BARE_ANON, clients, sampler)
            bare_before = measure(args, wrk, server, BARE, clients, sampler)
            floor_before = measure(args, wrk, server, FLOOR, clients, sampler)
            endpoints = {key: measure(args, wrk, server, (key, *rest), clients, sampler)
                         for key, *rest in ENDPOINTS}
            floor_after = measure(args, wrk, server, FLOOR, clients, sampler)
            bare_after = measure(args, wrk, server, BARE, clients, sampler)
            anon_after = measure(args, wrk, server, BARE_ANON, clients, sampler)
        mem = server.memory()
    finally:
        server.stop()

    # Each reference is measured before and after the endpoints; their mean absorbs drift.
    ref = _reference(BARE, bare_before, bare_after)
    anon = _reference(BARE_ANON, anon_before, anon_after)
    results["reference"] = ref
    results["reference_anonymous"] = anon
    floor = {"status": "ok", **_reference(FLOOR, floor_before, floor_after)}
    for key, r in endpoints.items():
        if r["status"] == "ok":
            r["ratio"] = r["rps"] / ref["rps"]
            r["ratio_anonymous"] = r["rps"] / anon["rps"]
            r["ratio_floor"] = r["rps"] / floor["rps"]
            r["ratio_met"] = r["ratio_floor"] >= RATIO_GOALS[key] and r["non200"] == 0
            r["p95_met"] = r["p95_ms"] <= P95_GOAL_MS
            r["enough_requests"] = r["requests"] >= 1000
    results["endpoints"] = endpoints
    floor["ratio"] = floor["rps"] / ref["rps"]
    results["logged_in_floor"] = floor
    results["memory"] = {**{k: v for k, v in mem.items() if k != "per_process"},
                         "rss_peak_kb": sampler.peak_kb,
                         "per_process": {str(k): v for k, v in mem["per_process"].items()}}
    goals = [s.get("goal_met", False)]
    for r in endpoints.values():
        goals += [r.get("ratio_met", False), r.get("p95_met", False)]
    results["all_goals_met"] = all(goals)
    # Other work on the machine inflates latency more than it dents the bare view: say so.
    results["machine"]["loadavg_end"] = os.getloadavg()
    return results
