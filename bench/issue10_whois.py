"""Issue 10's WHOIS figure: ``hostpact whois`` beside a bare asyncio responder, a new TCP
connection per query, 16 at once, on a prepared data set.

The reference reads one line and writes the same bytes ``hostpact whois`` answers for one of
the names (then closes), so the two differ only by what the platform does per query: the rate
limit, the look-up of the precomputed record, decryption, the query log. The same load
generator drives both: a few processes (so that the client is not the bottleneck), each an
asyncio loop of protocol-level clients that connect, send ``NAME`` CRLF, read to EOF, close,
and start again, over names drawn (seeded) from the data set. The reference is measured before
and after ``hostpact whois``; its figure is the mean. Goal: ≥ 50 % of the reference's queries/s.

    .venv/bin/python bench/issue10_whois.py --data-dir var/bench/data \
        --out bench/results/issue10_whois.json
"""

import argparse
import asyncio
import functools
import json
import multiprocessing
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

import harness

RATIO_GOAL = 0.5
READY_TIMEOUT_S = 60


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--duration", type=float, default=10.0)
    p.add_argument("--warmup", type=float, default=1.0)
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--clients", type=int, default=2, help="load generator processes")
    p.add_argument("--names", type=int, default=2000, help="distinct names queried")
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args(argv)


# ---------------------------------------------------------------------------------------------
# the reference


async def _bare(port: int, answer: bytes, ready) -> None:
    async def handle(reader, writer):
        await reader.readline()
        writer.write(answer)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=2048)
    ready.set()
    async with server:
        await server.serve_forever()


def bare_responder(port: int, answer: bytes, ready) -> None:
    """The reference server (its own process): read one line, write ``answer``, close."""
    asyncio.run(_bare(port, answer, ready))


# ---------------------------------------------------------------------------------------------
# the load generator


class _Query(asyncio.Protocol):
    def __init__(self, line: bytes, done: asyncio.Future):
        self.line, self.done, self.size = line, done, 0

    def connection_made(self, transport):
        transport.write(self.line)

    def data_received(self, data):
        self.size += len(data)

    def connection_lost(self, exc):
        if not self.done.done():
            self.done.set_result(self.size)


async def _worker(port, names, rng, until, out):
    loop = asyncio.get_running_loop()
    while (start := time.perf_counter()) < until:
        line = rng.choice(names)
        done = loop.create_future()
        try:
            await loop.create_connection(functools.partial(_Query, line, done), "127.0.0.1",
                                         port)
            size = await done
        except OSError:
            out["errors"] += 1
            continue
        out["latencies"].append(time.perf_counter() - start)
        out["bytes"] += size
        if size == 0:
            out["empty"] += 1


async def _drive(port, names, concurrency, duration, seed):
    out = {"latencies": [], "errors": 0, "empty": 0, "bytes": 0}
    until = time.perf_counter() + duration
    await asyncio.gather(*(_worker(port, names, random.Random(seed * 1000 + i), until, out)
                           for i in range(concurrency)))
    return out


def _client(port, names, concurrency, duration, seed, results) -> None:
    results.put(asyncio.run(_drive(port, names, concurrency, duration, seed)))


def load(port: int, names: list[bytes], concurrency: int, clients: int, duration: float,
         seed: int) -> dict:
    """Drive ``port`` with ``concurrency`` connections spread over ``clients`` processes for
    ``duration`` seconds; answer queries/s and latency percentiles."""
    results = multiprocessing.Queue()
    shares = [concurrency // clients + (i < concurrency % clients) for i in range(clients)]
    procs = [multiprocessing.Process(target=_client, args=(port, names, share, duration,
                                                           seed + i, results))
             for i, share in enumerate(shares) if share]
    for proc in procs:
        proc.start()
    parts = [results.get(timeout=duration + 60) for _ in procs]
    for proc in procs:
        proc.join()
    latencies = sorted(x for part in parts for x in part["latencies"])
    count = len(latencies)

    def pct(q: float) -> float:
        return latencies[min(count - 1, int(q * count))] * 1000 if count else 0.0

    return {"queries": count, "qps": count / duration, "p50_ms": pct(0.50),
            "p99_ms": pct(0.99), "errors": sum(p["errors"] for p in parts),
            "empty_answers": sum(p["empty"] for p in parts),
            "mean_bytes": sum(p["bytes"] for p in parts) / count if count else 0}


# ---------------------------------------------------------------------------------------------
# the platform


def hostpact(env, *args) -> str:
    proc = subprocess.run([str(harness.VENV_BIN / "hostpact"), *args], cwd=harness.ROOT,
                          env=env, check=True, capture_output=True, text=True)
    return proc.stdout


NAMES_SCRIPT = """
import json
from hostpact.domains.models import SPONSORED_STATES, Domain
from hostpact.rds.models import Record
sponsored = Domain.objects.filter(state__in=SPONSORED_STATES).count()
records = Record.objects.filter(kind="domain").count()
names = list(Record.objects.filter(kind="domain").order_by("?").values_list("key", flat=True)[:%d])
print(json.dumps({"sponsored": sponsored, "records": records, "names": names}))
"""


def prepared_names(env, count: int) -> dict:
    """The data set's domain names with a WHOIS record (records built first if missing)."""
    found = json.loads(hostpact(env, "shell", "-c", NAMES_SCRIPT % count).splitlines()[-1])
    if found["records"] < found["sponsored"]:
        hostpact(env, "rds_rebuild")
        found = json.loads(hostpact(env, "shell", "-c", NAMES_SCRIPT % count).splitlines()[-1])
    return found


def start_whois(env, port: int, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen([str(harness.VENV_BIN / "hostpact"), "whois", "--port", str(port)],
                            cwd=harness.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"hostpact whois exited with {proc.returncode}; see {log_path}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc
        time.sleep(0.1)
    raise RuntimeError(f"hostpact whois did not listen within {READY_TIMEOUT_S} s")


def ask(port: int, line: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(line)
        return b"".join(iter(lambda: s.recv(65536), b""))


def measure(args, port: int, pid: int, names: list[bytes], label: str) -> dict:
    """One figure: queries/s and latency, and the server's CPU time per query (steadier than
    the rate on a shared machine)."""
    if args.warmup:
        load(port, names, args.concurrency, args.clients, args.warmup, args.seed)
    cpu = harness.cpu_seconds(pid)
    result = load(port, names, args.concurrency, args.clients, args.duration, args.seed)
    cpu = harness.cpu_seconds(pid) - cpu
    result["server_cpu_ms_per_query"] = cpu * 1000 / result["queries"] if result["queries"] else 0
    print(f"{label}: {result['qps']:.0f} queries/s, p50 {result['p50_ms']:.2f} ms, "
          f"p99 {result['p99_ms']:.2f} ms, server CPU "
          f"{result['server_cpu_ms_per_query']:.3f} ms/query, errors {result['errors']}")
    return {"label": label, **result}


def run(args, env: dict) -> dict:
    """Measure on the data set of ``env`` (HOSTPACT_RDS_ALLOW=127.0.0.1 exempts the client)."""
    env = {**env, "HOSTPACT_RDS_ALLOW": "127.0.0.1"}
    found = prepared_names(env, args.names)
    names = [f"{n}\r\n".encode() for n in found["names"]]
    if not names:
        return {"issue": 10, "part": "whois", "status": "no domains in the data set"}
    port, bare_port = harness.free_port(), harness.free_port()
    whois = start_whois(env, port, args.data_dir.parent / "whois-issue10.log")
    try:
        sample = ask(port, names[0])
        assert sample.startswith(b"Domain Name: "), sample[:200]
        ready = multiprocessing.Event()
        bare = multiprocessing.Process(target=bare_responder, args=(bare_port, sample, ready),
                                       daemon=True)
        bare.start()
        ready.wait(10)
        try:
            label = "bare asyncio responder (reference)"
            before = measure(args, bare_port, bare.pid, names, label)
            platform = measure(args, port, whois.pid, names, "hostpact whois")
            after = measure(args, bare_port, bare.pid, names, label)
        finally:
            bare.terminate()
            bare.join()
    finally:
        whois.terminate()
        whois.wait(10)
    bare_qps = (before["qps"] + after["qps"]) / 2
    ratio = platform["qps"] / bare_qps if bare_qps else 0.0
    return {"issue": 10, "part": "whois", "status": "ok", "domains": found["sponsored"],
            "names_queried": len(names), "answer_bytes": len(sample),
            "concurrency": args.concurrency, "client_processes": args.clients,
            "duration_s": args.duration, "whois": platform,
            "bare": {"qps": bare_qps, "before": before, "after": after},
            "ratio": ratio, "goal_ratio": RATIO_GOAL, "met": ratio >= RATIO_GOAL}


def render(r: dict, t, verdict):
    """Issue 10's WHOIS rows, appended to the benchmarks' table."""
    if r.get("status") != "ok":
        return t
    w, b = r["whois"], r["bare"]
    t.add_row(f"WHOIS, new connection per query, {r['concurrency']} at once",
              f"{w['qps']:,.0f} q/s (p50 {w['p50_ms']:.1f} / p99 {w['p99_ms']:.1f} ms)",
              f"≥ {RATIO_GOAL:.0%} of bare", f"{b['qps']:,.0f} q/s", f"{r['ratio']:.0%}",
              f"{w['queries']:,}", verdict(r["met"] and w["errors"] == 0))
    return t


def main(argv=None) -> int:
    results = harness.run_alone(parse_args, run, argv)
    print(f"ratio {results.get('ratio', 0):.0%} (goal ≥ {RATIO_GOAL:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
