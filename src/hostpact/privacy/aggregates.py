"""Counts shown outside a subject's own pages, suppressed below a threshold.

A staff dashboard or an affiliate's report must not let a reader single out a person, so a
cell under its threshold (10 for staff dashboards and affiliates, DESIGN "Aggregates") is
shown as suppressed. A suppressed cell could be worked out from the total and the other cells,
so when exactly one cell of a row is suppressed, the next smallest is suppressed too
(complementary suppression), and the total is shown only when no cell was suppressed or the
suppressed cells add up to at least the threshold.
"""

from dataclasses import dataclass

STAFF = 10
AFFILIATE = 10


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
