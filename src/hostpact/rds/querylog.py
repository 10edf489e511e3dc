"""The query log of WHOIS and RDAP (issue 10, policy 4.7): who asked what, kept 30 days.

Logging happens on the hot paths, so ``log_query`` only appends to the buffer of a
``core.batchlog.BatchLog``, which writes it to ``QueryLog`` in one ``executemany`` four times a
second, and ``flush()`` does it at once (tests, process exit). The buffer is bounded: if the
database is unreachable for long, the oldest entries are dropped rather than the server's memory.
The retention run purges rows older than the ``query_log`` class (30 days).
"""

from hostpact.core import clock
from hostpact.core.batchlog import BatchLog

MAX_QUERY = 300
_CONTROL = {c: " " for c in (*range(0x20), 0x7F)}

writer = BatchLog("rds-querylog", "rds.QueryLog",
                  ("at", "protocol", "client_ip", "query", "outcome"))
# The test suite turns this off (rds/tests/conftest.py): its database belongs to the test's
# transaction, and rows appear when a test calls ``flush()``.
autostart = True


def _clean(query: str) -> str:
    return query[:MAX_QUERY].translate(_CONTROL)


def log_query(protocol: str, ip: str, query: str, outcome: str) -> None:
    """Note one query (``protocol`` whois|web|rdap; ``outcome`` found, not_found, bad,
    limited or busy) for the next flush."""
    writer.append((clock.now(), protocol, (ip or "")[:45], _clean(query or ""), outcome[:16]),
                 start=autostart)


def flush() -> int:
    """Write every buffered entry now; return how many were written."""
    return writer.flush()


def discard() -> None:
    """Drop every buffered entry unwritten (tests)."""
    writer.discard()
