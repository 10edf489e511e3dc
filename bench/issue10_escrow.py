"""Issue 10's escrow figures: a full deposit of the data set beside gpg alone on the same bytes,
and the deposit's peak memory at half and all of the domains (flat in the number of domains).

The deposit is the command (``hostpact escrow deposit --full --out DIR``, start-up included)
under ``/usr/bin/time``, which gives its peak resident set; the deposit row splits the time
into the disclosure (recorded first, one link per subject) and the writing. The reference is
one ``gpg --encrypt --sign`` of the deposit's own CSV bytes (decrypted and concatenated), with
the same keys. The half-size run uses a copy of the SQLite data set in which every other
domain is marked deleted, so it holds half the domains and their contacts.

    .venv/bin/python bench/issue10_escrow.py --data-dir var/bench/data \
        --out bench/results/issue10_escrow.json
"""

import argparse
import datetime
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import harness

RATIO_GOAL = 1.5
HOSTPACT = str(harness.VENV_BIN / "hostpact")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    return p.parse_args(argv)


def deposit(env: dict, out: Path) -> dict:
    """Run the command; its wall time, peak RSS and the deposit row's phases."""
    started = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "MAXRSS_KB=%M", HOSTPACT, "escrow", "deposit",
                           "--full", "--out", str(out)], cwd=harness.ROOT, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if proc.returncode:
        raise RuntimeError(f"escrow deposit failed: {proc.stderr[-2000:]}")
    rss = int(re.search(r"MAXRSS_KB=(\d+)", proc.stderr)[1])
    row = json.loads(subprocess.run(
        [HOSTPACT, "shell", "-c", _PHASES.replace("OUT", str(out.resolve()))], cwd=harness.ROOT,
        env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
    return {"seconds": seconds, "max_rss_kb": rss, **row}


_PHASES = """
import json
from hostpact.domains.escrow.models import EscrowDeposit
d = EscrowDeposit.objects.filter(directory="OUT").select_related("disclosure").get()
print(json.dumps({"rows": d.rows_done, "files": len(d.files),
    "subjects": d.disclosure.subject_count,
    "disclose_s": (d.disclosure.created_at - d.started_at).total_seconds(),
    "write_s": (d.finished_at - d.disclosure.created_at).total_seconds()}))
"""


def gnupg_home(env: dict) -> Path:
    data = Path(env["HOSTPACT_DATA_DIR"])
    return Path(env.get("HOSTPACT_ESCROW_GNUPGHOME", data / "keys" / "gnupg"))


def reference(env: dict, out: Path, scratch: Path) -> dict:
    """gpg --encrypt --sign of the deposit's CSV bytes (one file of the same size)."""
    home = gnupg_home(env)
    plain = scratch / "reference.csv"
    with open(plain, "wb") as sink:
        for f in sorted(out.glob("*.csv.gpg")):
            subprocess.run(["gpg", "--homedir", str(home), "--batch", "--quiet", "--decrypt",
                            str(f)], stdout=sink, check=True, stderr=subprocess.DEVNULL)
    started = time.perf_counter()
    subprocess.run(["gpg", "--homedir", str(home), "--batch", "--yes", "--trust-model",
                    "always", "-r", "escrow@hostpact.test", "-u", "registrar@hostpact.test",
                    "--encrypt", "--sign", "-o", str(scratch / "reference.csv.gpg"), str(plain)],
                   check=True)
    return {"seconds": time.perf_counter() - started, "bytes": plain.stat().st_size}


def verify(env: dict, out: Path) -> dict:
    started = time.perf_counter()
    proc = subprocess.run([HOSTPACT, "escrow", "verify", str(out)], cwd=harness.ROOT, env=env,
                          capture_output=True, text=True)
    return {"ok": proc.returncode == 0, "seconds": time.perf_counter() - started,
            "summary": (proc.stdout or proc.stderr).strip().splitlines()[-1:]}


def half_copy(data_dir: Path, scratch: Path) -> Path:
    """A copy of the data set with every other domain ended (deleted), for the half size."""
    copy = scratch / "half"
    skip = shutil.ignore_patterns("escrow", "mail", "gnupg", "bench*")
    shutil.copytree(data_dir, copy, ignore=skip)
    db = sqlite3.connect(copy / "hostpact.sqlite3")
    with db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.execute("UPDATE domains_domain SET state = 'deleted' WHERE id % 2 = 0")
    db.close()
    return copy


def run(args, env: dict) -> dict:
    """Measure on the data set of ``env`` (bench/run.py's environment)."""
    results: dict = {"issue": 10, "part": "escrow", "goals": {"ratio": RATIO_GOAL},
                     "at": datetime.datetime.now(datetime.UTC).isoformat()}
    scratch = Path(tempfile.mkdtemp(prefix="escrow-bench-", dir=args.data_dir.parent))
    try:
        full_env = {**env, "HOSTPACT_ESCROW_DIR": str(scratch / "escrow")}
        results["deposit"] = deposit(full_env, scratch / "full")
        results["verify"] = verify(full_env, scratch / "full")
        results["gpg"] = reference(full_env, scratch / "full", scratch)
        results["ratio"] = results["deposit"]["seconds"] / results["gpg"]["seconds"]
        results["ratio_writing"] = results["deposit"]["write_s"] / results["gpg"]["seconds"]
        results["ratio_met"] = results["ratio"] <= RATIO_GOAL
        if (args.data_dir / "hostpact.sqlite3").exists():
            half = half_copy(args.data_dir, scratch)
            half_env = {**full_env, "HOSTPACT_DATA_DIR": str(half),
                        "HOSTPACT_ESCROW_GNUPGHOME": str(gnupg_home(env))}
            results["half"] = deposit(half_env, scratch / "half-out")
            results["memory_ratio"] = (results["deposit"]["max_rss_kb"]
                                       / results["half"]["max_rss_kb"])
        d, g = results["deposit"], results["gpg"]
        print(f"escrow full deposit: {d['rows']:,} rows in {d['seconds']:.1f} s (disclosure "
              f"{d['disclose_s']:.1f} s, writing {d['write_s']:.1f} s), peak {d['max_rss_kb']:,}"
              f" kB; gpg alone on {g['bytes']:,} bytes {g['seconds']:.2f} s; ratio "
              f"{results['ratio']:.1f}x (writing alone {results['ratio_writing']:.1f}x)")
        if "half" in results:
            print(f"half the domains: peak {results['half']['max_rss_kb']:,} kB "
                  f"(all / half = {results['memory_ratio']:.2f})")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return results


def render(r: dict, t, verdict):
    """Issue 10's escrow rows, appended to the benchmarks' table."""
    d, g = r["deposit"], r["gpg"]
    t.add_section()
    t.add_row(f"[bold]issue 10 — escrow, {d['rows']:,} rows[/]", "", "", "", "", "", "")
    t.add_row("escrow deposit --full (command, start-up included)", f"{d['seconds']:.1f} s",
              f"≤ {RATIO_GOAL} × gpg", f"{g['seconds']:.2f} s", f"{r['ratio']:.1f} ×",
              f"{d['rows']:,}", verdict(r["ratio_met"]))
    t.add_row("  of which: disclosure / writing", f"{d['disclose_s']:.1f} / {d['write_s']:.1f} s",
              "", "", f"{r['ratio_writing']:.1f} ×", "", "")
    if "half" in r:
        t.add_row("  peak memory, all / half the domains",
                  f"{d['max_rss_kb'] // 1024} / {r['half']['max_rss_kb'] // 1024} MB", "flat",
                  "", f"{r['memory_ratio']:.2f}", "", verdict(r["memory_ratio"] <= 1.25))
    return t


def main(argv=None) -> int:
    harness.run_alone(parse_args, run, argv)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
