"""Issue 10's figures: RDAP beside nginx, WHOIS beside a bare asyncio responder, and an escrow
deposit beside ``gpg --encrypt --sign``, on the data set ``bench/run.py`` seeded.

Each part is its own program (``issue10_rdap.py``, ``issue10_whois.py``,
``issue10_escrow.py``, runnable alone); this module runs the three in that order and adds
their rows to the benchmarks' table.
"""

import issue10_escrow
import issue10_rdap
import issue10_whois

# Names in the RDAP rotation: every seeded domain (random order), more than a worker's cache
# of opened bodies holds (64 MB compressed, about 30,000), so most requests read and decrypt
# their record, as random names over the whole data set do.
RDAP_NAMES = 100_000


def run(args, env: dict) -> dict:
    """Measure the three parts on the data set of ``env``."""
    common = ["--data-dir", str(args.data_dir), "--out", "-"]
    rdap = issue10_rdap.run(issue10_rdap.parse_args(
        [*common, "--names", str(RDAP_NAMES), "--seed", str(args.seed)]), env)
    whois = issue10_whois.run(issue10_whois.parse_args([*common, "--seed", str(args.seed)]), env)
    escrow = issue10_escrow.run(issue10_escrow.parse_args(common), env)
    return {"issue": 10, "rdap": rdap, "whois": whois, "escrow": escrow}


def render(r: dict, t, verdict):
    """Issue 10's rows, appended to the benchmarks' table."""
    t.add_section()
    t.add_row("[bold]issue 10 — registration data services[/]", "", "", "", "", "", "")
    seeded = r.get("seed") or {}
    if seeded.get("answers_s") is not None:
        t.add_row(f"WHOIS/RDAP answers of {seeded['domains']:,} domains precomputed (seed_demo)",
                  f"{seeded['answers_s']:.1f} s", "report", "", "", "", "")
    issue10_rdap.render(r["rdap"], t, verdict)
    issue10_whois.render(r["whois"], t, verdict)
    return issue10_escrow.render(r["escrow"], t, verdict)
