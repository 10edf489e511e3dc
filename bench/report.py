"""The benchmarks' one table: its columns, the verdict cell, and issue 3's rows."""

from rich.table import Table


def verdict(ok: bool) -> str:
    return "[green]met[/]" if ok else "[red]MISSED[/]"


COLUMNS = ("figure", "value", "goal", "reference", "ratio", "requests", "verdict")


def new_table(title: str) -> Table:
    t = Table(title=title)
    for col in COLUMNS:
        t.add_column(col, justify="left" if col in ("figure", "goal") else "right")
    return t


def render_issue3(r: dict, t: Table | None = None) -> Table:
    """Issue 3's rows, appended to issue 2's table (one table for ``make bench``) or alone."""
    title = (f"issue 3 — {r['subscribers']:,} subscriber accounts in the data set, "
             f"sample {r['export']['subscribers']}")
    if t is None:
        t = new_table(f"hostpact benchmarks: {title}")
    else:
        t.add_section()
    t.add_row(f"[bold]{title}[/]", "", "", "", "", "", "")
    e = r["export"]
    for key, label in (("build_export", "export: build_export (in process)"),
                       ("api", "export: GET /api/v1/me/export (granian)")):
        if key not in e:
            continue
        x = e[key]
        t.add_row(label, f"p50 {x['p50_ms']:.1f} / p95 {x['p95_ms']:.1f} ms", "p95 ≤ 200 ms",
                  "", "", f"{x['count']}", verdict(x["met"]))
    x = r["erasure"]
    t.add_row("erasure: erase_subject", f"p50 {x['p50_s'] * 1000:.0f} / p95 "
              f"{x['p95_s'] * 1000:.0f} ms", "p95 ≤ 1 s", "", "", f"{x['n']}", verdict(x["met"]))
    x = r["retention"]
    t.add_row("hostpact retention run, whole data set", f"{x['seconds']:.1f} s", "report", "",
              "", f"{x['handled']:,} handled", "")
    n = r["notices"]
    t.add_row("policy notices: queue (send_policy_notices)", f"{n['queue_s']:.1f} s",
              "report", "", f"{n['queue_per_s']:,.0f}/s", f"{n['subscribers_noticed']:,}", "")
    t.add_row(f"policy notices: SMTP, deliver_queued (sample {n['smtp_sample']:,})",
              f"{n['platform_per_s']:,.0f} msg/s", "≥ 50 % of smtplib",
              f"{n['smtplib_per_s']:,.0f} msg/s", f"{n['ratio']:.0%}", f"{n['sent']:,}",
              verdict(n["met"]))
    t.add_row("  reference: plain smtplib loop, one connection", f"{n['smtplib_per_s']:,.0f} "
              "msg/s", "", "", "", f"{n['smtp_sample']:,}", "")
    return t
