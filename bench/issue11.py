"""Issue 11's figures: what consent enforcement and the request log cost a public page, consent
POSTs per second with 16 clients, and the banner's size beside cookieconsent's.

Each part is its own program, runnable alone with ``--data-dir`` and ``--out``:
``issue11_pages.py`` (the storefront home with and without the consent machinery, and with
the request log on and off, servers side by side, medians of turns), ``issue11_consent.py``
(``POST /consent/`` beside ``/bench/bare`` on the same server) and ``issue11_banner.py``
(banner.js + banner.css gzipped). This module runs the three and adds their rows to the
benchmarks' table. A part whose code is not in the tree says so and is not measured.

    .venv/bin/python bench/issue11.py --data-dir var/bench/data \
        --out bench/results/issue11.json --duration 5 --turns 3
"""

import argparse
import sys
from pathlib import Path

import harness
import issue11_banner
import issue11_consent
import issue11_pages
from report import new_table, verdict
from rich.console import Console


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--duration", type=float, default=10.0, help="seconds per turn")
    p.add_argument("--warmup", type=float, default=2.0)
    p.add_argument("--turns", type=int, default=3)
    return p.parse_args(argv)


def run(args, env: dict) -> dict:
    """Measure the three parts on the data set of ``env``."""
    common = ["--data-dir", str(args.data_dir), "--out", "-"]
    timing = ["--duration", str(args.duration), "--warmup", str(args.warmup),
              "--turns", str(args.turns)]
    pages = issue11_pages.run(issue11_pages.parse_args([*common, *timing]), env)
    consent = issue11_consent.run(issue11_consent.parse_args([*common, *timing]), env)
    banner = issue11_banner.run(issue11_banner.parse_args(common), env)
    parts = (pages, consent, banner)
    return {"issue": 11, "pages": pages, "consent": consent, "banner": banner,
            "all_measured": all(p.get("status") == "ok" for p in parts),
            "all_goals_met": (pages.get("status") == "ok" and pages["consent"]["met"]
                              and pages["request_log"]["met"] and banner.get("met", False))}


def render(r: dict, t, verdict):
    """Issue 11's rows, appended to the benchmarks' table."""
    t.add_section()
    t.add_row("[bold]issue 11 — cookies, consent and diagnostics[/]", "", "", "", "", "", "")
    issue11_pages.render(r["pages"], t, verdict)
    issue11_consent.render(r["consent"], t, verdict)
    return issue11_banner.render(r["banner"], t, verdict)


def main(argv=None) -> int:
    results = harness.run_alone(parse_args, run, argv)
    Console(width=150).print(render(results, new_table("hostpact benchmarks: issue 11"),
                                    verdict))
    return 0 if results["all_measured"] else 1


if __name__ == "__main__":
    sys.exit(main())
