"""What issue 11's programs share: the server variants they compare, the check that the code
they measure exists, wrk with a script of their own, and medians.

A variant is granian started exactly as production runs it (``harness.Server``), with
``issue11_settings`` as its settings module and switches saying which feature it goes without.
Variants are measured in turns (A B A B …) on servers that run side by side, and each figure is
the median of its turns, so a change of load on the machine touches both alike.
"""

import json
import statistics
import subprocess
from pathlib import Path

import harness

SRC = harness.ROOT / "src" / "hostpact"
# The pieces each figure measures: (file, text it must contain).
CONSENT_CODE = [(SRC / "consent" / "middleware.py", "class ConsentMiddleware"),
                (SRC / "consent" / "context.py", "def consent"),
                (SRC / "consent" / "templatetags" / "consent.py", "def consented"),
                (SRC / "consent" / "views.py", "def choose")]
REQUEST_LOG_CODE = [(SRC / "analytics" / "middleware.py", "class RequestLogMiddleware")]
BANNER_FILES = [SRC / "consent" / "static" / "consent" / "banner.js",
                SRC / "consent" / "static" / "consent" / "banner.css"]


class Missing(RuntimeError):
    """The code a figure measures is not in the tree: the figure is not measured."""


def require(pieces: list[tuple[Path, str]]) -> None:
    """Raise ``Missing`` naming the first file (or class, function) that is not there."""
    for path, text in pieces:
        shown = path.relative_to(harness.ROOT)
        if not path.is_file():
            raise Missing(f"{shown} does not exist")
        if text not in path.read_text(encoding="utf-8"):
            raise Missing(f"{shown} has no {text!r}")


def variant_env(env: dict, *, consent: bool = True, request_log: bool = True) -> dict:
    """``env`` for a server with production's settings, less the features switched off."""
    path = env.get("PYTHONPATH", "")
    return {**env, "DJANGO_SETTINGS_MODULE": "issue11_settings",
            "PYTHONPATH": str(harness.BENCH_DIR) + (f":{path}" if path else ""),
            "BENCH11_CONSENT": "on" if consent else "off",
            "BENCH11_REQUEST_LOG": "on" if request_log else "off"}


def start(env: dict, name: str, data_dir: Path) -> harness.Server:
    """Start one variant's granian (log ``granian-issue11-<name>.log`` beside the data)."""
    server = harness.Server(env=env, log_path=data_dir.parent / f"granian-issue11-{name}.log")
    server.start()
    return server


def migrate(env: dict) -> None:
    """Bring the data set's tables up to date: one seeded for an earlier issue lacks this
    issue's (the consent ledger, the request log)."""
    subprocess.run([str(harness.VENV_BIN / "hostpact"), "migrate", "--noinput"],
                   cwd=harness.ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def run_wrk_script(wrk: str, base_url: str, script: Path, args: list[str], *, duration: float,
                   connections: int, threads: int) -> dict:
    """One wrk run driven by ``script`` (its ``done()`` prints a WRKJSON line as rotate.lua's
    does); the parsed figures with req/s and latency in ms."""
    cmd = [wrk, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s",
           "--timeout", "10s", "--latency", "-s", str(script), base_url + args[0], "--", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stderr or proc.stdout}")
    for line in proc.stdout.splitlines():
        if line.startswith("WRKJSON "):
            data = json.loads(line[len("WRKJSON "):])
            break
    else:
        raise RuntimeError(f"wrk printed no WRKJSON line:\n{proc.stdout}")
    seconds = data["duration_us"] / 1e6
    data["rps"] = data["requests"] / seconds if seconds else 0.0
    for p in ("p50", "p95", "p99"):
        data[f"{p}_ms"] = data[f"{p}_us"] / 1000
    data["errors_total"] = sum(data["errors"].values())
    return data


def summary(runs: list[dict]) -> dict:
    """The median req/s and latencies of ``runs`` (one per turn), with every run kept."""
    return {"rps": statistics.median(r["rps"] for r in runs),
            "p50_ms": statistics.median(r["p50_ms"] for r in runs),
            "p95_ms": statistics.median(r["p95_ms"] for r in runs),
            "requests": sum(r["requests"] for r in runs),
            "failed": sum(r["non200"] + r["errors_total"] for r in runs),
            "turns": [{k: r[k] for k in ("rps", "p50_ms", "p95_ms", "requests", "non200",
                                         "errors_total")} for r in runs]}
