"""Counts shown outside a subject's own pages, suppressed below a threshold.

A staff dashboard or an affiliate's report must not let a reader single out a person, so a
cell under its threshold (10 for staff dashboards and affiliates, 11 for survey results, 100
for advertisers; DESIGN "Aggregates") is shown as suppressed. A suppressed cell could be worked
out from the total and the other cells, so when exactly one cell of a row is suppressed, the
next smallest is suppressed too (complementary suppression), and the total is shown only when
no cell was suppressed or the suppressed cells add up to at least the threshold.

``suppress_table`` does the same for a two-way table (row by column), where a hidden cell could
also be worked out by combining the totals of several rows and columns: those totals are
withheld until none can.
"""

from dataclasses import dataclass

STAFF = 10
AFFILIATE = 10
SURVEY = 11  # survey results, shown or shared (C25)
ADVERTISER = 100  # an advertiser's audience and report (C24)


@dataclass(frozen=True)
class Cell:
    label: str
    count: int | None  # None: suppressed

    @property
    def shown(self) -> str:
        return "suppressed" if self.count is None else str(self.count)


def suppress(counts: dict[str, int], threshold: int = STAFF) -> tuple[list[Cell], int | None]:
    """Return the cells of ``counts`` (label → count) with small ones hidden, and the total
    (None when showing it would reveal a hidden cell). Zero is shown: it singles no one out."""
    hidden = {label for label, n in counts.items() if 0 < n < threshold}
    if len(hidden) == 1:
        rest = sorted(((n, label) for label, n in counts.items()
                       if label not in hidden and n > 0))
        if rest:
            hidden.add(rest[0][1])
    cells = [Cell(label, None if label in hidden else n) for label, n in counts.items()]
    hidden_sum = sum(counts[label] for label in hidden)
    total = sum(counts.values())
    return cells, (total if not hidden or hidden_sum >= threshold else None)


def suppressed(count: int, threshold: int = STAFF) -> int | None:
    """One count alone: None when it is above zero and under ``threshold``."""
    return None if 0 < count < threshold else count


@dataclass(frozen=True)
class Table:
    """A two-way table after suppression: ``cells[row][col]`` (None: suppressed), the row and
    column totals (None: withheld, as showing it would reveal a hidden cell) and the total."""

    cells: dict
    row_totals: dict
    column_totals: dict
    total: int | None

    @property
    def hidden(self) -> set:
        return {(r, c) for r, cols in self.cells.items() for c, n in cols.items() if n is None}


def _hide_complements(counts: dict, hidden: set) -> None:
    """Hide, in every row and column with exactly one hidden non-zero cell, its next-smallest
    visible non-zero cell; repeat until no line has a lone hidden cell that could be hidden
    with another."""
    lines = [[(r, c) for c in cols] for r, cols in _rows(counts).items()]
    lines += [[(r, c) for r in rows] for c, rows in _columns(counts).items()]
    changed = True
    while changed:
        changed = False
        for line in lines:
            lone = [k for k in line if k in hidden and counts[k] > 0]
            rest = sorted((counts[k], i) for i, k in enumerate(line)
                          if k not in hidden and counts[k] > 0)
            if len(lone) == 1 and rest:
                hidden.add(line[rest[0][1]])
                changed = True


def _rows(counts: dict) -> dict:
    out: dict = {}
    for r, c in counts:
        out.setdefault(r, []).append(c)
    return out


def _columns(counts: dict) -> dict:
    out: dict = {}
    for r, c in counts:
        out.setdefault(c, []).append(r)
    return out


def _line_total_shown(counts: dict, keys: list, hidden: set, threshold: int) -> bool:
    lone = [k for k in keys if k in hidden]
    return not lone or (len(lone) >= 2 and sum(counts[k] for k in lone) >= threshold)


def _determined(unknowns: list, equations: list[set]) -> set:
    """Return the unknowns a linear combination of ``equations`` (sets of unknowns summing to
    a known value) pins down alone: those whose unit vector lies in the equations' span."""
    from fractions import Fraction

    matrix = [[Fraction(int(k in eq)) for k in unknowns] for eq in equations if eq]
    pivots, row = [], 0
    for col in range(len(unknowns)):
        pick = next((i for i in range(row, len(matrix)) if matrix[i][col]), None)
        if pick is None:
            continue
        matrix[row], matrix[pick] = matrix[pick], matrix[row]
        lead = matrix[row][col]
        matrix[row] = [v / lead for v in matrix[row]]
        for i in range(len(matrix)):
            if i != row and matrix[i][col]:
                factor = matrix[i][col]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[row], strict=True)]
        pivots.append(col)
        row += 1
    return {unknowns[col] for i, col in enumerate(pivots)
            if sum(1 for v in matrix[i] if v) == 1}


def suppress_table(rows: dict, threshold: int = STAFF) -> Table:
    """Return the two-way table ``rows`` (row → column → count) with small cells hidden.

    A non-zero cell under ``threshold`` is hidden; any row or column left with exactly one
    hidden non-zero cell gets its next-smallest non-zero cell hidden too, until stable. A row's
    or column's total is shown only when it has no hidden cell, or two or more adding up to
    at least ``threshold``; then, while the visible totals still pin a hidden cell down by
    subtraction (across rows and columns together), the totals of that cell's row and column
    are withheld as well. The grand total is shown only when it adds nothing (every row total
    or every column total is shown)."""
    columns = list(dict.fromkeys(c for cols in rows.values() for c in cols))
    counts = {(r, c): int(rows[r].get(c, 0)) for r in rows for c in columns}
    hidden = {k for k, n in counts.items() if 0 < n < threshold}
    _hide_complements(counts, hidden)
    by_row, by_col = _rows(counts), _columns(counts)
    row_shown = {r: _line_total_shown(counts, [(r, c) for c in cols], hidden, threshold)
                 for r, cols in by_row.items()}
    col_shown = {c: _line_total_shown(counts, [(r, c) for r in rs], hidden, threshold)
                 for c, rs in by_col.items()}
    unknowns = sorted(hidden, key=str)
    while unknowns:
        equations = [{(r, c) for c in by_row[r]} & hidden for r in by_row if row_shown[r]]
        equations += [{(r, c) for r in by_col[c]} & hidden for c in by_col if col_shown[c]]
        pinned = _determined(unknowns, equations)
        before = (sum(row_shown.values()), sum(col_shown.values()))
        for r, c in pinned:
            row_shown[r] = col_shown[c] = False
        if before == (sum(row_shown.values()), sum(col_shown.values())):
            break  # nothing pinned, or nothing left to withhold
    cells = {r: {c: (None if (r, c) in hidden else counts[(r, c)]) for c in columns}
             for r in rows}
    row_totals = {r: (sum(counts[(r, c)] for c in columns) if row_shown.get(r, True) else None)
                  for r in rows}
    column_totals = {c: (sum(counts[(r, c)] for r in rows) if col_shown[c] else None)
                     for c in columns}
    grand = sum(counts.values())
    shown = all(row_shown.values()) or all(col_shown.values())
    return Table(cells, row_totals, column_totals, grand if shown else None)
