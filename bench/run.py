"""`make bench`: every issue's figures in one table, each beside its goal or reference.

Issue 2 (``bench/issue2.py``) seeds the demo data set and measures the panel under load; the
issues after it measure the same data set (issue 3, which erases part of it, runs last), and
issues 13 and 14 run parts with data sets of their own. Prints one table and writes
``bench/results/issueN.json``; ``--only issueN`` runs one part.

A missed goal is reported, not fatal: the exit status is non-zero only when the run crashed.

    .venv/bin/python bench/run.py                      # 100,000 subscribers, as the issue asks
    .venv/bin/python bench/run.py --subscribers 2000 --duration 5   # a quick look
"""

import argparse
import datetime
import json
import subprocess
import sys
import traceback
from pathlib import Path

import harness
import issue2
import issue9
import issue10
import issue11
import issue12
import issue13
import issue14
from dataset import bench_env
from issue2 import console, seed
from report import new_table, render_issue3, verdict

ROOT = harness.ROOT


def issue12_args(args):
    """Issue 12's options from ours: the campaign goes to as many subscribers as we seed."""
    return issue12.parse_args([
        "--data-dir", str(args.data_dir), "--out", "-", "--duration", str(args.duration),
        "--campaign-subscribers", str(args.subscribers),
        *(["--campaign-reuse"] if args.reuse else [])])


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="hostpact benchmarks of every issue")
    p.add_argument("--subscribers", type=int, default=100_000)
    p.add_argument("--domains", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--clients", type=int, default=500,
                   help="logged-in subscribers whose credentials the load rotates through")
    p.add_argument("--duration", type=int, default=10.0, help="seconds of load per figure")
    p.add_argument("--warmup", type=int, default=2.0, help="seconds of unmeasured load first")
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--threads", type=int, default=2, help="wrk threads")
    p.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench" / "data")
    p.add_argument("--reuse", action="store_true",
                   help="keep an already seeded data dir (no migrate/seed; for profiling)")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "issue2.json")
    p.add_argument("--out3", type=Path, default=ROOT / "bench" / "results" / "issue3.json")
    p.add_argument("--out9", type=Path, default=ROOT / "bench" / "results" / "issue9.json")
    p.add_argument("--out10", type=Path, default=ROOT / "bench" / "results" / "issue10.json")
    p.add_argument("--out11", type=Path, default=ROOT / "bench" / "results" / "issue11.json")
    p.add_argument("--out12", type=Path, default=ROOT / "bench" / "results" / "issue12.json")
    p.add_argument("--turns", type=int, default=3,
                   help="turns of each issue-11 page figure (the figure is their median)")
    p.add_argument("--only", choices=["issue2", "issue3", "issue9", "issue10", "issue11",
                                           "issue12", "issue13", "issue14"],
                   help="run one issue's figures (issue 3 and 9 reuse the seeded data set)")
    p.add_argument("--checkouts", type=int, default=200, help="checkouts timed for issue 9")
    p.add_argument("--sample", type=int, default=200,
                   help="subscribers exported and erased for issue 3")
    return p.parse_args(argv)


def run_issue3(args) -> dict:
    """Issue 3's figures, measured by bench/issue3.py on the seeded data (after issue 2's)."""
    env = {**bench_env(args.data_dir), "BENCH_SAMPLE": str(args.sample)}
    if args.only == "issue3":
        s = seed(args, env)
        console.print(f"data set: {s['status']}")
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "issue3.py")], env=env,
                          cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True)
    results = json.loads(done.stdout.strip().splitlines()[-1])
    results["when"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    return results


def _write(path: Path, results: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    console.print(f"written {shown}")


def main(argv=None) -> int:
    args = parse_args(argv)
    args.data_dir = args.data_dir.resolve()
    table = None
    try:
        if args.only in (None, "issue2"):
            results = issue2.run(args)
            _write(args.out, results)
            table = issue2.render(results)
            args.reuse = True  # issues 3 and 9 measure the data set issue 2 seeded
        if args.only in (None, "issue9"):
            if args.only:
                seeded = seed(args, bench_env(args.data_dir))
            results9 = issue9.run(args, bench_env(args.data_dir))
            results9["seed"] = results["seed"] if args.only is None else seeded
            _write(args.out9, results9)
            table = issue9.render(results9, table or new_table("hostpact benchmarks"), verdict)
        if args.only in (None, "issue10"):
            seeded = seed(args, bench_env(args.data_dir)) if args.only else results["seed"]
            results10 = issue10.run(args, bench_env(args.data_dir))
            results10["seed"] = seeded
            _write(args.out10, results10)
            table = issue10.render(results10, table or new_table("hostpact benchmarks"),
                                   verdict)
        if args.only in (None, "issue11"):
            seeded = seed(args, bench_env(args.data_dir)) if args.only else results["seed"]
            results11 = issue11.run(args, bench_env(args.data_dir))
            results11["seed"] = seeded
            _write(args.out11, results11)
            table = issue11.render(results11, table or new_table("hostpact benchmarks"),
                                   verdict)
        if args.only in (None, "issue12"):
            seeded = seed(args, bench_env(args.data_dir)) if args.only else results["seed"]
            results12 = issue12.run(issue12_args(args), bench_env(args.data_dir))
            results12["seed"] = seeded
            _write(args.out12, results12)
            table = issue12.render(results12, table or new_table("hostpact benchmarks"),
                                   verdict)
        if args.only in (None, "issue13"):  # its parts seed data sets of their own
            results13 = issue13.run(issue13.parse_args(["--subscribers", str(args.subscribers),
                                                        *(["--reuse"] if args.reuse else [])]))
            table = issue13.render(results13, table or new_table("hostpact benchmarks"),
                                   verdict)
        if args.only in (None, "issue14"):  # its parts seed data sets of their own
            results14 = issue14.run(issue14.parse_args([*(["--reuse"] if args.reuse else [])]))
            table = issue14.render(results14, table or new_table("hostpact benchmarks"),
                                   verdict)
        if args.only in (None, "issue3"):  # last: it erases part of the data set
            results3 = run_issue3(args)
            _write(args.out3, results3)
            table = render_issue3(results3, table)
    except Exception:  # noqa: BLE001 - a crash is the one thing that fails `make bench`
        traceback.print_exc()
        console.print("[red]benchmark crashed[/]")
        return 2
    if table is not None:
        console.print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
