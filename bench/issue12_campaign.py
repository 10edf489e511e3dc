"""Issue 12's campaign figures: queueing a campaign to N seeded subscribers, then delivering
it to the mail catcher through the platform's path beside a plain smtplib loop.

The data set is its own (``--data-dir``, SQLite, wiped unless ``--reuse``): ``seed_demo
--subscribers N`` seeds subscribers with their subscriptions (every one on the marketing lists,
as a new subscriber from India). Then, in this process:

1. **queueing**: ``campaigns.services.queue_campaign`` of a promotion to the whole list: who it
   reaches now (marketing's eligibility over every subscriber) and the bulk insert of one
   recipient row each;
2. **platform delivery**: ``campaigns.sending.feed`` (re-check, render with each recipient's
   unsubscribe link and headers, queue in the outbox) then ``core.mail.deliver_queued`` until
   the outbox is empty (send filter, disclosure record, DKIM signature, SMTP to the catcher);
   the feed is timed apart, the delivery's msg/s is the figure, and both together are shown
   end to end;
3. **reference**: the very bytes the catcher stored, sent again with ``smtplib`` over one
   connection to the same catcher; msg/s.

The catcher is ``hostpact mailcatcher`` in its own process, the same for both. Goal: the
platform delivers at ≥ 50 % of the smtplib loop's rate.

    .venv/bin/python bench/issue12_campaign.py                       # 100,000 subscribers
    .venv/bin/python bench/issue12_campaign.py --subscribers 2000    # a smoke check
"""

import argparse
import datetime
import json
import os
import shutil
import smtplib
import subprocess
import sys
import time
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parseaddr
from pathlib import Path

import harness
from rich.console import Console

RATIO_GOAL = 0.5
HOSTPACT = str(harness.VENV_BIN / "hostpact")
FOREIGN_ENV = ["DATABASE_URL", "HOSTPACT_MASTER_KEY", "HOSTPACT_MASTER_KEY_FILE",
               "HOSTPACT_INDEX_KEY_FILE", "HOSTPACT_AUDIT_KEY_FILE", "HOSTPACT_CLOCK_FILE",
               "HOSTPACT_ENV", "HOSTPACT_DEBUG", "HOSTPACT_SMTP_URL"]
BODY = ("# Winter offer\n\nShared hosting at half price for a year: [see the plans]"
        "(https://hostpact.test/plans/) and [the terms](https://hostpact.test/terms/).\n\n"
        "| plan | price |\n|---|---|\n| Starter | ₹99/month |\n| Business | ₹299/month |\n")
console = Console()


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--subscribers", type=int, default=100_000)
    p.add_argument("--deliver", type=int, default=None,
                   help="deliver only this many of the campaign's messages (default: all)")
    p.add_argument("--data-dir", type=Path, default=harness.ROOT / "var/bench/issue12")
    p.add_argument("--out", type=Path, default=harness.BENCH_DIR / "results/issue12_campaign.json")
    p.add_argument("--reuse", action="store_true", help="keep an already seeded data set")
    return p.parse_args(argv)


def bench_env(data_dir: Path, smtp_port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in FOREIGN_ENV}
    env.update({"HOSTPACT_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "hostpact.settings",
                "HOSTPACT_SMTP_PORT": str(smtp_port), "PYTHONUNBUFFERED": "1",
                "HOSTPACT_CAMPAIGN_RATE_PER_MINUTE": str(10**9)})
    return env


def seed(args, env) -> dict:
    """Migrate and seed (wall clock of the command), unless ``--reuse`` finds a data set."""
    if args.reuse and (args.data_dir / "hostpact.sqlite3").exists():
        return {"status": "reused"}
    if args.data_dir.exists():
        shutil.rmtree(args.data_dir)
    args.data_dir.mkdir(parents=True)
    subprocess.run([HOSTPACT, "migrate", "--noinput"], cwd=harness.ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    t0 = time.perf_counter()
    subprocess.run([HOSTPACT, "seed_demo", "--subscribers", str(args.subscribers), "--seed",
                    "12"], cwd=harness.ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return {"status": "ok", "seconds": time.perf_counter() - t0}


def start_catcher(env) -> subprocess.Popen:
    proc = subprocess.Popen([HOSTPACT, "mailcatcher"], cwd=harness.ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    if "mail catcher on" not in line:
        proc.kill()
        raise RuntimeError(f"the mail catcher did not start: {line!r}")
    return proc


def measure(args) -> dict:
    """Queue, feed and deliver the campaign in this process (Django set up from ``env``)."""
    import django

    django.setup()
    from hostpact.campaigns import sending, services
    from hostpact.core.mail import deliver_queued
    from hostpact.core.models import OutboxMessage

    campaign = services.create_campaign(list_key="promotions", subject_line="Winter offer",
                                        body=BODY, segment={}, actor="system:bench")
    t0 = time.perf_counter()
    reach = services.queue_campaign(campaign.pk, actor="system:bench", feed_now=False)
    queue_s = time.perf_counter() - t0
    limit = reach if args.deliver is None else min(args.deliver, reach)
    t0 = time.perf_counter()
    queued = sending.feed(campaign.pk, limit=limit)
    feed_s = time.perf_counter() - t0
    sent = 0
    while True:
        done = deliver_queued(limit=1000)
        if not done:
            break
        sent += done
    deliver_s = time.perf_counter() - t0 - feed_s
    left = OutboxMessage.objects.filter(category="promotions",
                                        status=OutboxMessage.Status.QUEUED).count()
    return {"reach": reach, "queue_s": queue_s, "queued": queued, "feed_s": feed_s,
            "sent": sent, "deliver_s": deliver_s, "left_queued": left,
            "per_second": sent / deliver_s if sent else 0.0,
            "end_to_end_per_second": sent / (feed_s + deliver_s) if sent else 0.0}


def reference(mail_dir: Path, port: int, sent_before: set) -> dict:
    """The catcher's stored bytes of the campaign, sent again over one smtplib connection."""
    messages = []
    for path in sorted(mail_dir.glob("*.eml")):
        if path.name in sent_before:
            continue
        raw = path.read_bytes()
        head = BytesHeaderParser().parsebytes(raw)
        if head["X-Hostpact-Category"] != "promotions":
            continue
        envelope_from = parseaddr(head.get("Return-Path", "") or head["From"])[1]
        to = [a for _, a in getaddresses(head.get_all("To", []))]
        messages.append((envelope_from, to, raw))
    t0 = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        for envelope_from, to, raw in messages:
            smtp.sendmail(envelope_from, to, raw)
    seconds = time.perf_counter() - t0
    return {"messages": len(messages), "seconds": seconds,
            "per_second": len(messages) / seconds if seconds else 0.0,
            "bytes": sum(len(m[2]) for m in messages)}


def run(args, env: dict | None = None) -> dict:
    """Seed (unless reused), then queue and deliver the campaign beside the smtplib loop."""
    port = harness.free_port()
    env = bench_env(args.data_dir.resolve(), port)
    results = {"issue": 12, "part": "campaign", "subscribers": args.subscribers,
               "goals": {"ratio": RATIO_GOAL},
               "at": datetime.datetime.now(datetime.UTC).isoformat()}
    results["seed"] = seed(args, env)
    mail_dir = args.data_dir / "mail"
    before = {p.name for p in mail_dir.glob("*.eml")} if mail_dir.exists() else set()
    catcher = start_catcher(env)
    saved = dict(os.environ)
    try:
        # measure() sets Django up in this process, on the bench's own data set.
        os.environ.update(env)
        sys.path.insert(0, str(harness.ROOT / "src"))
        results["platform"] = measure(args)
        results["smtplib"] = reference(mail_dir, port, before)
    finally:
        os.environ.clear()
        os.environ.update(saved)
        catcher.terminate()
        catcher.wait(timeout=10)
    smtplib_rate = results["smtplib"]["per_second"]
    results["ratio"] = results["platform"]["per_second"] / smtplib_rate if smtplib_rate else 0
    results["end_to_end_ratio"] = (results["platform"]["end_to_end_per_second"] / smtplib_rate
                                   if smtplib_rate else 0)
    results["status"] = "ok"
    results["met"] = results["ratio"] >= RATIO_GOAL
    return results


def render(r: dict, t, verdict):
    """The campaign rows, in the benchmarks' table."""
    p, ref = r["platform"], r["smtplib"]
    t.add_row(f"campaign to {r['subscribers']:,} subscribers: queueing (reach + recipient rows)",
              f"{p['queue_s']:.1f} s", "report", "", "", f"{p['reach']:,}", "")
    t.add_row("  rendering into the outbox (feed: re-check, render, queue)",
              f"{p['feed_s']:.1f} s", "report", "", "", f"{p['queued']:,}", "")
    t.add_row("  delivery to the catcher (outbox: send filter, DKIM, SMTP)",
              f"{p['per_second']:,.0f} msg/s", f"≥ {RATIO_GOAL:.0%}",
              f"smtplib {ref['per_second']:,.0f} msg/s", f"{r['ratio']:.0%}",
              f"{p['sent']:,}", verdict(r["met"]))
    t.add_row("  end to end (feed + delivery)", f"{p['end_to_end_per_second']:,.0f} msg/s",
              "report", "", f"{r['end_to_end_ratio']:.0%}", "", "")
    return t


def main(argv=None) -> int:
    from report import new_table, verdict

    args = parse_args(argv)
    results = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    console.print(render(results, new_table("hostpact benchmarks: issue 12 campaign"), verdict))
    return 0


if __name__ == "__main__":
    sys.exit(main())
