"""Issue 13's figures: the aggregate profile tables over 100,000 subscribers (seconds to build,
the staff dashboard's p95), ad selection on a page view (p95 added, goal ≤ 2 ms) and a survey of
100,000 invitations (queueing time, answers stored per second by 16 concurrent clients).

Each part is its own program, runnable alone with a data set of its own:
``issue13_aggregates.py`` (``var/bench/issue13``), ``issue13_ads.py``
(``var/bench/issue13_ads``) and ``issue13_surveys.py`` (``var/bench/issue13s``). Run from here,
the survey goes to the aggregates' seeded subscribers (one data set of N, seeded once).
``make bench`` runs this module after the other issues' figures.

    .venv/bin/python bench/issue13.py [--subscribers N] [--reuse]
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

import harness
import issue13_ads
import issue13_aggregates
import issue13_surveys
from report import new_table, verdict
from rich.console import Console


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--subscribers", type=int, default=100_000)
    p.add_argument("--reuse", action="store_true", help="keep the parts' seeded data sets")
    p.add_argument("--out", type=Path, default=harness.BENCH_DIR / "results/issue13.json")
    return p.parse_args(argv)


def _part(module, argv: list, out: Path) -> dict:
    """Run one part in a process of its own (each sets Django up on its own data set)."""
    out.unlink(missing_ok=True)  # a failed part must not report an earlier run's figures
    done = subprocess.run([sys.executable, str(Path(module.__file__).resolve()), *argv,
                           "--out", str(out)], cwd=harness.ROOT)
    if not out.exists():
        return {"status": "failed", "detail": f"exit {done.returncode}"}
    return json.loads(out.read_text())


def run(args) -> dict:
    """Measure the three parts, each on its own data set."""
    sized = ["--subscribers", str(args.subscribers), *(["--reuse"] if args.reuse else [])]
    results = harness.BENCH_DIR / "results"
    aggregates = _part(issue13_aggregates, sized, results / "issue13_aggregates.json")
    ads = _part(issue13_ads, [], results / "issue13_ads.json")
    # The survey goes to the aggregates' subscribers: one data set of N seeded, not two.
    shared = ["--subscribers", str(args.subscribers), "--reuse", "--data-dir",
              str(issue13_aggregates.parse_args([]).data_dir)]
    surveys = _part(issue13_surveys, shared, results / "issue13_surveys.json")
    return {"issue": 13, "aggregates": aggregates, "ads": ads, "surveys": surveys,
            "all_goals_met": ads.get("met", False)}


def render(r: dict, t, verdict):
    """Issue 13's rows, appended to the benchmarks' table."""
    t.add_section()
    t.add_row("[bold]issue 13 — aggregate profiles, advertising, surveys[/]", "", "", "", "", "",
              "")
    for name, module in (("aggregates", issue13_aggregates), ("ads", issue13_ads),
                         ("surveys", issue13_surveys)):
        if r[name].get("status") == "ok":
            module.render(r[name], t, verdict)
        else:
            t.add_row(f"issue 13 {name}", "", "", "", "", "",
                      f"[red]not measured: {r[name].get('detail', '')}[/]")
    return t


def main(argv=None) -> int:
    args = parse_args(argv)
    results = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, default=str))
    Console(width=150).print(render(results, new_table("hostpact benchmarks: issue 13"),
                                    verdict))
    return 0


if __name__ == "__main__":
    sys.exit(main())
