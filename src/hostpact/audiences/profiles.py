"""Aggregate profiles (C17): how many subscribers fall in each category, never who.

``build_profiles`` walks every subscriber's attributes (``queries.all_attributes``: the form's
answers before registration data), counts them per table and replaces the stored tables in one
transaction. The tables hold labels and counts only; no name, no id. Showing them to staff or
exporting them goes through ``privacy.aggregates.suppress_table`` (cells under 10 and their
complements hidden), here in ``tables()``.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass

from django.db import transaction

from hostpact.audiences import queries, questions
from hostpact.audiences.models import ProfileCount
from hostpact.core import audit, clock
from hostpact.privacy import aggregates

NOT_GIVEN = "not given"
ONE_WAY = ""  # the column of a one-way table


@dataclass(frozen=True)
class Spec:
    key: str
    title: str
    rows: tuple  # (value, label) in display order
    columns: tuple = ()  # (value, label); empty for a one-way table


COUNTRIES = tuple(questions.COUNTRIES)
TABLES = (
    Spec("country", "Subscribers by country", COUNTRIES),
    Spec("age_band", "Subscribers by age band", questions.AGE_BANDS),
    Spec("gender", "Subscribers by gender (their answer)", questions.GENDERS),
    Spec("org_type", "Subscribers by organisation type", questions.ORG_TYPES),
    Spec("org_size", "Subscribers by organisation size", questions.ORG_SIZES),
    Spec("products", "Subscribers holding an active service, by product kind",
         questions.PRODUCT_KINDS),
    Spec("country_by_age_band", "Subscribers by country and age band", COUNTRIES,
         questions.AGE_BANDS),
)
SPECS = {s.key: s for s in TABLES}


def _tally(attributes) -> Counter:
    cells: Counter = Counter()
    for a in attributes:
        for key in ("country", "age_band", "gender", "org_type", "org_size"):
            cells[(key, getattr(a, key) or NOT_GIVEN, ONE_WAY)] += 1
        for kind in a.products:
            cells[("products", kind, ONE_WAY)] += 1
        cells[("country_by_age_band", a.country or NOT_GIVEN, a.age_band or NOT_GIVEN)] += 1
    return cells


@transaction.atomic
def build_profiles(*, actor: str = "system") -> int:
    """Count every active subscriber per category and replace the stored tables with the
    counts (all or nothing); return how many cells were stored."""
    cells = _tally(queries.all_attributes())
    now = clock.now()
    ProfileCount.objects.all().delete()
    ProfileCount.objects.bulk_create(
        [ProfileCount(table=t, row=r, column=c, count=n, built_at=now)
         for (t, r, c), n in sorted(cells.items())], batch_size=1000)
    audit.record(actor, "audiences.profiles_built", object_ref=f"{len(cells)} cells")
    return len(cells)


def built_at():
    """Return when the stored tables were built (None: never)."""
    return ProfileCount.objects.order_by("-built_at").values_list("built_at", flat=True).first()


@dataclass(frozen=True)
class Shown:
    spec: Spec
    rows: list  # [(label, [cell or None, …], total or None)]
    columns: list  # column labels
    column_totals: list
    total: int | None
    bars: list  # [(label, count or None, percent of the largest)] for one-way tables


def _labels(values: list, choices: tuple) -> list:
    known = dict(choices)
    order = [v for v, _ in choices if v in values] + sorted(set(values) - set(known))
    return [(v, known.get(v, v)) for v in order]


def shown(key: str, threshold: int = aggregates.STAFF) -> Shown:
    """Return the stored table ``key`` as shown to staff: suppressed under ``threshold``."""
    spec = SPECS[key]
    raw: dict = {}
    for row, column, n in ProfileCount.objects.filter(table=key).values_list(
            "row", "column", "count"):
        raw.setdefault(row, {})[column] = n
    rows = _labels(list(raw), spec.rows)
    cols = _labels(list(dict.fromkeys(c for r in raw.values() for c in r)),
                   spec.columns or ((ONE_WAY, "Subscribers"),))
    table = aggregates.suppress_table({r: raw[r] for r, _ in rows}, threshold)
    out = [(label, [table.cells[r].get(c) for c, _ in cols], table.row_totals[r])
           for r, label in rows]
    most = max([n for _, cells, _ in out for n in cells if n] or [1])
    bars = [(label, cells[0], round(100 * (cells[0] or 0) / most, 1))
            for label, cells, _ in out] if not spec.columns else []
    return Shown(spec, out, [label for _, label in cols],
                 [table.column_totals[c] for c, _ in cols], table.total, bars)


def tables(threshold: int = aggregates.STAFF) -> list[Shown]:
    """Return every table as shown to staff."""
    return [shown(s.key, threshold) for s in TABLES]


def export_csv(threshold: int = aggregates.STAFF) -> str:
    """Return every table, suppressed, as one CSV (table, row, column, count): a hidden cell
    reads "suppressed"; totals are rows labelled "total"."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["table", "row", "column", "count"])

    def text(n):
        return "suppressed" if n is None else n
    for t in tables(threshold):
        for label, cells, total in t.rows:
            for column, n in zip(t.columns, cells, strict=True):
                writer.writerow([t.spec.key, label, column, text(n)])
            if len(t.columns) > 1:
                writer.writerow([t.spec.key, label, "total", text(total)])
        writer.writerow([t.spec.key, "total", "", text(t.total)])
    return out.getvalue()
