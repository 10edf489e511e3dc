"""Two-way complementary suppression (``privacy.aggregates.suppress_table``, C17): no hidden
cell can be worked out by subtraction from a visible total, alone or combining totals."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hostpact.privacy import aggregates

pytestmark = pytest.mark.commitment("C17")

THRESHOLD = aggregates.STAFF
counts = st.one_of(st.integers(0, 12), st.integers(0, 200))
tables = st.integers(1, 5).flatmap(lambda ncols: st.dictionaries(
    st.sampled_from("ABCDEF"), st.fixed_dictionaries({f"c{i}": counts for i in range(ncols)}),
    min_size=1, max_size=5))


def _in_span(target: set, equations: list[set], unknowns: list) -> bool:
    """Return True if the unit vector of ``target``'s cell is a combination of the rows."""
    def rank(rows):
        m = [[Fraction(int(k in r)) for k in unknowns] for r in rows]
        rank_ = 0
        for col in range(len(unknowns)):
            pick = next((i for i in range(rank_, len(m)) if m[i][col]), None)
            if pick is None:
                continue
            m[rank_], m[pick] = m[pick], m[rank_]
            for i in range(len(m)):
                if i != rank_ and m[i][col]:
                    f = m[i][col] / m[rank_][col]
                    m[i] = [a - f * b for a, b in zip(m[i], m[rank_], strict=True)]
            rank_ += 1
        return rank_
    return rank(equations) == rank([*equations, target])


@given(tables)
def test_no_hidden_cell_follows_from_the_visible_totals(rows):
    """Every small non-zero cell is hidden, and no hidden cell is the difference between a
    visible total and visible cells, nor any combination of visible totals."""
    table = aggregates.suppress_table(rows, THRESHOLD)
    hidden = table.hidden
    for r, cols in rows.items():
        for c, n in cols.items():
            if 0 < n < THRESHOLD:
                assert (r, c) in hidden
            if (r, c) not in hidden:
                assert table.cells[r][c] == n
    columns = list(next(iter(rows.values())))
    for r in rows:
        lone = [c for c in columns if (r, c) in hidden]
        if table.row_totals[r] is not None:
            assert len(lone) != 1
            assert table.row_totals[r] == sum(rows[r].values())
    for c in columns:
        lone = [r for r in rows if (r, c) in hidden]
        if table.column_totals[c] is not None:
            assert len(lone) != 1
    unknowns = sorted(hidden, key=str)
    equations = [{(r, c) for c in columns} & hidden for r in rows
                 if table.row_totals[r] is not None]
    equations += [{(r, c) for r in rows} & hidden for c in columns
                  if table.column_totals[c] is not None]
    if table.total is not None:
        equations.append(set(hidden))
    for cell in unknowns:
        assert not _in_span({cell}, equations, unknowns), cell


def test_a_lone_small_cell_takes_the_next_smallest_with_it():
    """One cell under the threshold in a row hides the row's next-smallest cell too."""
    table = aggregates.suppress_table({"IN": {"a": 50, "b": 3, "c": 20},
                                       "DE": {"a": 40, "b": 30, "c": 25}}, THRESHOLD)
    assert table.cells["IN"]["b"] is None and table.cells["IN"]["c"] is None
    # column b now has one hidden cell, so DE's b (the smallest non-zero left) goes too
    assert table.cells["DE"]["b"] is None
    assert table.cells["IN"]["a"] == 50


def test_zero_is_shown_and_a_table_without_small_cells_is_untouched():
    """Zero singles no one out; large counts and every total are shown."""
    table = aggregates.suppress_table({"x": {"a": 0, "b": 12}, "y": {"a": 10, "b": 11}},
                                      THRESHOLD)
    assert not table.hidden and table.total == 33
    assert table.row_totals == {"x": 12, "y": 21} and table.column_totals == {"a": 10, "b": 23}
