"""Issue 14's figures: the white-label storefront home for 1,000 resellers with their own host
names beside our own storefront page (goal ≥ 90 %), the reseller API's customer list over
10,000 customers (p95), and the business-day due dates of 100,000 removal requests.

Each part is its own program with a data set of its own: ``issue14_storefront.py``,
``issue14_api.py`` and ``issue14_due_dates.py``. ``make bench`` runs this module after the
other issues' figures.

    .venv/bin/python bench/issue14.py [--reuse] [--quick]
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

import harness
import issue14_api
import issue14_due_dates
import issue14_storefront
from report import new_table, verdict
from rich.console import Console

PARTS = (("storefront", issue14_storefront), ("api", issue14_api),
         ("due_dates", issue14_due_dates))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reuse", action="store_true", help="keep the parts' seeded data sets")
    p.add_argument("--quick", action="store_true", help="small data sets, short runs")
    p.add_argument("--out", type=Path, default=harness.BENCH_DIR / "results/issue14.json")
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
    flags = [*(["--reuse"] if args.reuse else []), *(["--quick"] if args.quick else [])]
    results = harness.BENCH_DIR / "results"
    out = {"issue": 14}
    for name, module in PARTS:
        argv = [f for f in flags if f != "--reuse" or name != "due_dates"]
        out[name] = _part(module, argv, results / f"issue14_{name}.json")
    # Only the storefront has a goal; the API's p95 and the due dates are figures to report.
    out["all_goals_met"] = out["storefront"].get("met", False)
    return out


def render(r: dict, t, verdict):
    """Issue 14's rows, appended to the benchmarks' table."""
    t.add_section()
    t.add_row("[bold]issue 14 — resellers[/]", "", "", "", "", "", "")
    for name, module in PARTS:
        if r[name].get("status", "ok") == "ok" and name == "due_dates":
            d = r[name]
            t.add_row(f"due dates of {d['requests']:,} removal requests (30 business days)",
                      f"{d['calendar_s']:.3f} s", "report", f"{d['naive_s']:.3f} s naive",
                      f"{d['calendar_s'] / d['naive_s']:.0%}", f"{d['requests']:,}", "")
        elif r[name].get("status", "ok") == "ok":
            module.render(r[name], t, verdict)
        else:
            t.add_row(f"issue 14 {name}", "", "", "", "", "",
                      f"[red]not measured: {r[name].get('detail', '')}[/]")
    return t


def main(argv=None) -> int:
    args = parse_args(argv)
    results = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, default=str))
    Console(width=150).print(render(results, new_table("hostpact benchmarks: issue 14"),
                                    verdict))
    return 0


if __name__ == "__main__":
    sys.exit(main())
