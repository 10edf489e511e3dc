"""Pieces every benchmark needs: the server as production runs it, wrk, and memory from /proc.

Kept apart from ``run.py`` so later benchmarks (RDAP, WHOIS, escrow) reuse them unchanged.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
ROTATE_LUA = BENCH_DIR / "rotate.lua"

# The production command line of docs/operations.md and RECIPES.md, nothing tuned for the bench.
GRANIAN_ARGS = ["--interface", "wsgi", "--workers", "2", "--blocking-threads", "1",
                "--backpressure", "16", "--no-access-log"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_wrk() -> str:
    """Path of wrk, installing Debian's package when it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed and apt-get could not install it")
    return found


def http_get(url: str, headers: dict | None = None, timeout: float = 10.0):
    """(status, headers, body) of a GET that does not follow redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with opener.open(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


# ---------------------------------------------------------------------------------------------
# memory


def _children(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return kids


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants that are alive now."""
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p in seen or not Path(f"/proc/{p}").exists():
            continue
        seen.append(p)
        todo += _children(p)
    return seen


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory(pid: int) -> dict:
    """VmHWM (peak resident set) and VmRSS of each process of the tree, in kB."""
    procs = {p: {"hwm_kb": _status_kb(p, "VmHWM"), "rss_kb": _status_kb(p, "VmRSS")}
             for p in process_tree(pid)}
    return {
        "processes": len(procs),
        "hwm_sum_kb": sum(v["hwm_kb"] for v in procs.values()),
        "hwm_max_kb": max((v["hwm_kb"] for v in procs.values()), default=0),
        "rss_sum_kb": sum(v["rss_kb"] for v in procs.values()),
        "per_process": procs,
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time consumed so far by the process tree of ``pid``.

    Unlike latency, CPU per request hardly moves when other work shares the machine, so it
    is the steadier figure on a busy host.
    """
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (stat fields 14 and 15)
    return total / ticks


class RssSampler:
    """Samples the summed RSS of a process tree in the background; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, memory(self.pid)["rss_sum_kb"])
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


# ---------------------------------------------------------------------------------------------
# the server


@dataclass
class Server:
    """granian serving ``hostpact.wsgi:application`` exactly as in production."""

    env: dict
    log_path: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def command(self) -> list[str]:
        return [str(VENV_BIN / "granian"), *GRANIAN_ARGS, "--host", "127.0.0.1",
                "--port", str(self.port), "hostpact.wsgi:application"]

    def start(self, timeout: float = 60.0) -> dict:
        """Start and wait until /healthz answers; return its JSON."""
        log = open(self.log_path, "wb")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"granian exited with {self.proc.returncode}; "
                                   f"see {self.log_path}")
            try:
                status, _, body = http_get(self.base_url + "/healthz", timeout=2)
            except OSError:
                time.sleep(0.2)
                continue
            health = json.loads(body or b"{}")
            # 503 only because no task worker runs here still means the web side is up.
            if status == 200 or (status == 503 and "worker" in health):
                return {"status": status, **health}
            time.sleep(0.2)
        raise RuntimeError(f"granian did not answer /healthz within {timeout:.0f} s")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        # The session is ours alone (start_new_session), so this reaches granian's workers only.
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def memory(self) -> dict:
        return memory(self.proc.pid)

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.proc.pid)


# ---------------------------------------------------------------------------------------------
# wrk


def run_wrk(wrk: str, base_url: str, path: str, *, duration: float, connections: int,
            threads: int, header: str | None = None, values_file: Path | None = None) -> dict:
    """One wrk run of ``path`` rotating ``header`` values; the parsed WRKJSON of rotate.lua."""
    # wrk takes whole seconds only.
    cmd = [wrk, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s",
           "--timeout", "10s",
           "--latency", "-s", str(ROTATE_LUA), base_url + path, "--", path]
    if header and values_file:
        cmd += [header, str(values_file)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stderr or proc.stdout}")
    out = proc.stdout
    for line in out.splitlines():
        if line.startswith("WRKJSON "):
            data = json.loads(line[len("WRKJSON "):])
            break
    else:
        raise RuntimeError(f"wrk printed no WRKJSON line:\n{out}")
    seconds = data["duration_us"] / 1e6
    data["rps"] = data["requests"] / seconds if seconds else 0.0
    data["p50_ms"] = data["p50_us"] / 1000
    data["p95_ms"] = data["p95_us"] / 1000
    data["p99_ms"] = data["p99_us"] / 1000
    data["errors_total"] = sum(data["errors"].values())
    return data


def run_alone(parse_args, run, argv=None) -> dict:
    """Run one issue's part as a program of its own: parse ``argv``, measure with the same
    environment as ``bench/run.py`` (``run(args, env)``), write ``--out``; return the results."""
    import json

    from dataset import bench_env

    args = parse_args(argv)
    results = run(args, bench_env(args.data_dir.resolve()))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, default=str) + "\n")
    return results


def main_with_seed_child(parse_args, run, render, seed_child, title: str, argv=None) -> int:
    """The ``main`` of a part that seeds its data set in a child process of its own: with
    ``--seed-child``, print ``seed_child(args)`` as JSON (the child's side); otherwise measure
    like ``run_alone``, print the part's table, and exit 1 unless it measured."""
    import sys

    if "--seed-child" in (argv or sys.argv[1:]):
        print(json.dumps(seed_child(parse_args(argv))))
        return 0
    from report import new_table, verdict
    from rich.console import Console

    results = run_alone(parse_args, run, argv)
    Console(width=150).print(render(results, new_table(title), verdict))
    return 0 if results["status"] == "ok" else 1
