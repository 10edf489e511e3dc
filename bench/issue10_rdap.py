"""Issue 10's RDAP figure: ``GET /rdap/domain/<name>`` for random names through granian,
beside Debian's nginx serving the same bodies as static files, in the same run.

granian serves the data set exactly as production does (``harness.Server``, with
``HOSTPACT_RDS_ALLOW=127.0.0.1`` from ``bench_env`` so the per-address limit does not bite).
A sample of the domain names is fetched from it once and each answer written as a file under
the data directory, where nginx (foreground, its own config and prefix there) serves them
with the same media type. wrk then drives both at 16 connections for ``--duration``, rotating
through the names (``rotate.lua`` PATHS mode). Goals: at least 25 % of nginx's req/s, p99 at
most 20 ms.

    .venv/bin/python bench/issue10_rdap.py --data-dir var/bench/data \
        --out bench/results/issue10_rdap.json
"""

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import harness

RATIO_GOAL = 0.25
P99_GOAL_MS = 20.0
NGINX_CONF = """\
{user}worker_processes {workers};
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location /rdap/ {{
            default_type application/rdap+json;
            add_header Access-Control-Allow-Origin "*";
            add_header X-Content-Type-Options nosniff;
        }}
    }}
}}
"""


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--duration", type=float, default=20.0)
    p.add_argument("--warmup", type=float, default=2.0)
    p.add_argument("--connections", type=int, default=16)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--names", type=int, default=5000, help="names in the rotation")
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args(argv)


def sample_names(data_dir: Path, count: int, seed: int) -> list[str]:
    """Up to ``count`` random domain names that have a precomputed record."""
    with sqlite3.connect(data_dir / "hostpact.sqlite3") as db:
        names = [r[0] for r in db.execute("SELECT key FROM rds_record WHERE kind = 'domain'")]
    if not names:
        raise RuntimeError("the data set has no RDAP records: run seed_demo with --domains")
    return random.Random(seed).sample(names, min(count, len(names)))


def write_static(server: harness.Server, names: list[str], root: Path) -> dict:
    """Fetch each name's answer from granian and write it where nginx serves the same path."""
    target = root / "rdap" / "domain"
    if root.exists():
        shutil.rmtree(root)
    target.mkdir(parents=True)
    sizes = []
    for name in names:
        status, _, body = harness.http_get(f"{server.base_url}/rdap/domain/{name}")
        if status != 200:
            raise RuntimeError(f"/rdap/domain/{name} answered {status}")
        (target / name).write_bytes(body)
        sizes.append(len(body))
    return {"files": len(sizes), "mean_bytes": sum(sizes) / len(sizes)}


class Nginx:
    """Debian's nginx in the foreground with a config of its own under ``prefix``."""

    def __init__(self, prefix: Path, root: Path):
        self.prefix, self.root = prefix, root
        self.port = harness.free_port()
        self.proc = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 10.0) -> None:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(binary).exists():
            subprocess.run(["apt-get", "install", "-y", "nginx"], check=True,
                           env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
                           stdout=subprocess.DEVNULL)
        for sub in ("tmp", "logs"):
            (self.prefix / sub).mkdir(parents=True, exist_ok=True)
        conf = self.prefix / "nginx.conf"
        conf.write_text(NGINX_CONF.format(
            user="user root;\n" if os.geteuid() == 0 else "", workers=2, prefix=self.prefix,
            port=self.port, root=self.root))
        log = open(self.prefix / "stdout.log", "wb")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen([binary, "-c", str(conf), "-p", str(self.prefix)],
                                     stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited; see {self.prefix / 'error.log'}")
            try:
                harness.http_get(self.base_url + "/")
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not answer")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)


def drive(args, wrk, base_url: str, paths_file: Path, first: str, label: str) -> dict:
    opts = dict(duration=args.duration, connections=args.connections, threads=args.threads,
                header="PATHS", values_file=paths_file)
    if args.warmup:
        harness.run_wrk(wrk, base_url, first, **{**opts, "duration": args.warmup})
    result = harness.run_wrk(wrk, base_url, first, **opts)
    result["label"] = label
    print(f"{label}: {result['rps']:,.0f} req/s, p50 {result['p50_ms']:.2f} ms, "
          f"p99 {result['p99_ms']:.2f} ms, non-200 {result['non200']}")
    return result


def run(args, env: dict) -> dict:
    """Measure granian's lean RDAP path beside nginx on the data set of ``env``."""
    wrk = harness.ensure_wrk()
    work = args.data_dir.parent / "rdap-bench"
    names = sample_names(args.data_dir, args.names, args.seed)
    paths_file = work / "paths.txt"
    results: dict = {"issue": 10, "part": "rdap", "names": len(names),
                     "connections": args.connections,
                     "goals": {"ratio_of_nginx": RATIO_GOAL, "p99_ms": P99_GOAL_MS},
                     "server": " ".join(["granian", *harness.GRANIAN_ARGS,
                                         "hostpact.wsgi:application"])}
    server = harness.Server(env=env, log_path=args.data_dir.parent / "granian-issue10.log")
    nginx = Nginx(work / "nginx", work / "static")
    try:
        server.start()
        results["static"] = write_static(server, names, work / "static")
        paths_file.write_text("".join(f"/rdap/domain/{n}\n" for n in names))
        first = f"/rdap/domain/{names[0]}"
        nginx.start()
        results["granian"] = drive(args, wrk, server.base_url, paths_file, first,
                                   "granian, lean RDAP path")
        results["nginx"] = drive(args, wrk, nginx.base_url, paths_file, first,
                                 "nginx, the same bodies as files")
        results["memory"] = server.memory()
    finally:
        nginx.stop()
        server.stop()
    g, n = results["granian"], results["nginx"]
    results["ratio"] = g["rps"] / n["rps"] if n["rps"] else 0.0
    results["ratio_met"] = results["ratio"] >= RATIO_GOAL
    results["p99_met"] = g["p99_ms"] <= P99_GOAL_MS
    results["clean"] = g["non200"] == 0 and g["errors_total"] == 0
    print(f"ratio {results['ratio']:.0%} (goal ≥ {RATIO_GOAL:.0%}), p99 {g['p99_ms']:.2f} ms "
          f"(goal ≤ {P99_GOAL_MS:.0f} ms)")
    return results


def render(r: dict, t, verdict):
    """Issue 10's RDAP rows, appended to the benchmarks' table."""
    g, n = r["granian"], r["nginx"]
    t.add_row(f"GET /rdap/domain/<name>, {r['names']:,} random names, "
              f"{r['connections']} connections",
              f"{g['rps']:,.0f} req/s (p50 {g['p50_ms']:.1f} / p99 {g['p99_ms']:.1f} ms)",
              f"≥ {RATIO_GOAL:.0%} of nginx, p99 ≤ {P99_GOAL_MS:.0f} ms",
              f"{n['rps']:,.0f} req/s", f"{r['ratio']:.0%}", f"{g['requests']:,}",
              verdict(r["ratio_met"] and r["p99_met"] and r["clean"]))
    t.add_row("  reference: nginx, the same bodies as static files",
              f"{n['rps']:,.0f} req/s (p99 {n['p99_ms']:.1f} ms)", "", "", "", "", "")
    return t


def main(argv=None) -> int:
    harness.run_alone(parse_args, run, argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
