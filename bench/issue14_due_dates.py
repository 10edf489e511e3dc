"""Issue 14's due-date figure: the business-day due date of 100,000 removal requests (C39).

Each request gets a random date over three years (2025-2027) and a reseller country among IN,
DE, US, GB and FR; its due date is 30 business days later on that country's calendar
(``hostpact.core.calendar.business_days_after``: weekends and public holidays skipped, each
country-year turned once into the ordinals of its business days). Beside it, in the same run
and on the same requests: the naive day-by-day walk with a holiday lookup per day (which must
give the same dates) and plain ``date + timedelta(days=42)`` (no calendar at all), so the
ratio travels between machines. No database, no Django: the calendar is pure Python.

    .venv/bin/python bench/issue14_due_dates.py            # 100,000 requests
    .venv/bin/python bench/issue14_due_dates.py --quick    # 10,000, a smoke check
"""

import argparse
import datetime
import json
import random
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from hostpact.core import calendar  # noqa: E402 - after the path is set

COUNTRIES = ("IN", "DE", "US", "GB", "FR")
BUSINESS_DAYS = 30
console = Console()


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=100_000)
    p.add_argument("--quick", action="store_true", help="10,000 requests")
    p.add_argument("--seed", type=int, default=14)
    p.add_argument("--out", type=Path,
                   default=Path(__file__).resolve().parent / "results/issue14_due_dates.json")
    return p.parse_args(argv)


def requests(n: int, seed: int) -> list[tuple[datetime.date, str]]:
    """``n`` (date, country) pairs, dates spread over 2025-2027."""
    rnd = random.Random(seed)
    first = datetime.date(2025, 1, 1)
    span = (datetime.date(2027, 12, 31) - first).days + 1
    return [(first + datetime.timedelta(days=rnd.randrange(span)), rnd.choice(COUNTRIES))
            for _ in range(n)]


def _timed(fn, items) -> tuple[float, list]:
    t0 = time.perf_counter()
    out = [fn(day, country) for day, country in items]
    return time.perf_counter() - t0, out


def measure(args) -> dict:
    """Time the three computations on the same requests; check the two calendars agree."""
    n = 10_000 if args.quick else args.requests
    items = requests(n, args.seed)
    # The holidays package's calendars, which both computations share, load first (timed on
    # their own); the fast one's own per-year tables are built inside its timing.
    t0 = time.perf_counter()
    for country in COUNTRIES:
        for year in range(2025, 2029):
            calendar.is_business_day(datetime.date(year, 1, 1), country)
    load_s = time.perf_counter() - t0
    fast_s, fast = _timed(lambda d, c: calendar.business_days_after(d, BUSINESS_DAYS, c), items)
    naive_s, naive = _timed(
        lambda d, c: calendar.naive_business_days_after(d, BUSINESS_DAYS, c), items)
    plain_s, _ = _timed(lambda d, c: d + datetime.timedelta(days=42), items)
    if fast != naive:
        raise RuntimeError("the fast calendar and the day-by-day walk disagree")
    return {"issue": 14, "part": "due_dates", "requests": n, "countries": list(COUNTRIES),
            "business_days": BUSINESS_DAYS, "holidays_load_s": load_s, "calendar_s": fast_s,
            "calendar_us_per_request": fast_s / n * 1e6, "naive_s": naive_s,
            "naive_us_per_request": naive_s / n * 1e6, "plain_s": plain_s,
            "plain_us_per_request": plain_s / n * 1e6,
            "at": datetime.datetime.now(datetime.UTC).isoformat(), "status": "ok"}


def render(r: dict) -> Table:
    """The figure, beside its references (a figure to report: the issue sets no goal)."""
    t = Table(title=f"hostpact benchmarks: issue 14 due dates ({r['requests']:,} requests)")
    for col in ("computation", "seconds", "per request", "vs calendar"):
        t.add_column(col)
    base = r["calendar_s"]
    t.add_row("30 business days, country calendars (core.calendar)", f"{base:.3f} s",
              f"{r['calendar_us_per_request']:.2f} µs", "1.0×")
    t.add_row("  reference: naive day-by-day walk, same dates", f"{r['naive_s']:.3f} s",
              f"{r['naive_us_per_request']:.2f} µs", f"{r['naive_s'] / base:.1f}×")
    t.add_row("  reference: date + timedelta(days=42)", f"{r['plain_s']:.3f} s",
              f"{r['plain_us_per_request']:.2f} µs", f"{r['plain_s'] / base:.2f}×")
    t.add_row("  (loading the holidays calendars, shared, once)", f"{r['holidays_load_s']:.3f} s",
              "", "")
    return t


def main(argv=None) -> int:
    args = parse_args(argv)
    results = measure(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    console.print(render(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
