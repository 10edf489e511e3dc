"""Issue 12's figures: a campaign to 100,000 subscribers (queueing, then delivery beside a
plain smtplib loop), one-click unsubscribe POSTs with 16 clients, and inbound mail accepted into
tickets with 8 SMTP clients.

Each part is its own program, runnable alone: ``issue12_campaign.py`` (its own data set under
``var/bench/issue12``, seeded with ``seed_demo``), ``issue12_unsubscribe.py`` and
``issue12_inbound.py`` (on the benchmarks' shared data set). This module runs the three and adds
their rows to the benchmarks' table.

    .venv/bin/python bench/issue12.py --data-dir var/bench/data \\
        --out bench/results/issue12.json --duration 5 --turns 3
"""

import argparse
import sys
from pathlib import Path

import harness
import issue12_campaign
import issue12_inbound
import issue12_unsubscribe
from report import new_table, verdict
from rich.console import Console


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--duration", type=float, default=10.0, help="seconds per turn")
    p.add_argument("--warmup", type=float, default=2.0)
    p.add_argument("--turns", type=int, default=3)
    p.add_argument("--campaign-subscribers", type=int, default=100_000)
    p.add_argument("--campaign-deliver", type=int, default=None,
                   help="deliver only this many of the campaign's messages (default: all)")
    p.add_argument("--campaign-reuse", action="store_true")
    return p.parse_args(argv)


def run(args, env: dict) -> dict:
    """Measure the three parts; the campaign on its own data set."""
    common = ["--data-dir", str(args.data_dir), "--out", "-"]
    timing = ["--duration", str(args.duration), "--warmup", str(args.warmup),
              "--turns", str(args.turns)]
    unsubscribe = issue12_unsubscribe.run(issue12_unsubscribe.parse_args([*common, *timing]),
                                          env)
    inbound = issue12_inbound.run(issue12_inbound.parse_args(common), env)
    campaign_args = ["--subscribers", str(args.campaign_subscribers)]
    if args.campaign_deliver:
        campaign_args += ["--deliver", str(args.campaign_deliver)]
    if args.campaign_reuse:
        campaign_args.append("--reuse")
    campaign = issue12_campaign.run(issue12_campaign.parse_args(campaign_args))
    parts = (campaign, unsubscribe, inbound)
    return {"issue": 12, "campaign": campaign, "unsubscribe": unsubscribe, "inbound": inbound,
            "all_measured": all(p.get("status") == "ok" for p in parts),
            "all_goals_met": campaign.get("met", False)
            and unsubscribe.get("meets_goal", False)}


def render(r: dict, t, verdict):
    """Issue 12's rows, appended to the benchmarks' table."""
    t.add_section()
    t.add_row("[bold]issue 12 — email: campaigns, unsubscribe, inbound[/]", "", "", "", "", "",
              "")
    issue12_campaign.render(r["campaign"], t, verdict)
    issue12_unsubscribe.render(r["unsubscribe"], t, verdict)
    return issue12_inbound.render(r["inbound"], t, verdict)


def main(argv=None) -> int:
    results = harness.run_alone(parse_args, run, argv)
    Console(width=150).print(render(results, new_table("hostpact benchmarks: issue 12"),
                                    verdict))
    return 0 if results["all_measured"] else 1


if __name__ == "__main__":
    sys.exit(main())
