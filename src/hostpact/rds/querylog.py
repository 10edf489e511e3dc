"""The query log of WHOIS and RDAP (issue 10, policy 4.7): who asked what, kept 30 days.

Logging happens on the hot paths, so ``log_query`` only appends to an in-memory buffer; a
daemon thread writes the buffer to ``QueryLog`` in one ``executemany`` four times a second,
and ``flush()`` does it at once (tests, process exit). The buffer is bounded: if the database
is unreachable for long, the oldest entries are dropped rather than the server's memory.
The retention run purges rows older than the ``query_log`` class (30 days).
"""

import atexit
import collections
import logging
import threading

from hostpact.core import clock

INTERVAL_SECONDS = 0.25  # small batches: a big insert would stall the requests beside it
MAX_QUERY = 300
MAX_BUFFERED = 100_000
_CONTROL = {c: " " for c in (*range(0x20), 0x7F)}

log = logging.getLogger(__name__)
_buffer: collections.deque = collections.deque(maxlen=MAX_BUFFERED)
_flush_lock = threading.Lock()
_start_lock = threading.Lock()
_thread: threading.Thread | None = None
# The test suite turns this off (rds/tests/conftest.py): its database belongs to the test's
# transaction, and rows appear when a test calls ``flush()``.
autostart = True


def _clean(query: str) -> str:
    return query[:MAX_QUERY].translate(_CONTROL)


def log_query(protocol: str, ip: str, query: str, outcome: str) -> None:
    """Note one query (``protocol`` whois|web|rdap; ``outcome`` found, not_found, bad,
    limited or busy) for the next flush."""
    _buffer.append((clock.now(), protocol, (ip or "")[:45], _clean(query or ""), outcome[:16]))
    if autostart and _thread is None:
        _start()


def flush() -> int:
    """Write every buffered entry now; return how many were written."""
    from django.db import connection, transaction

    from hostpact.rds.models import QueryLog

    with _flush_lock:
        rows = []
        while _buffer:
            rows.append(_buffer.popleft())
        if not rows:
            return 0
        # One executemany, not bulk_create: this runs beside the server's requests, a few
        # thousand rows a second, and model instances would cost more than the insert.
        adapt = connection.ops.adapt_datetimefield_value
        sql = (f"INSERT INTO {QueryLog._meta.db_table} (at, protocol, client_ip, query, "  # noqa: S608 - a table name; values are bound
               "outcome) VALUES (%s, %s, %s, %s, %s)")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, [(adapt(at), *rest) for at, *rest in rows])
        return len(rows)


def discard() -> None:
    """Drop every buffered entry unwritten (tests)."""
    _buffer.clear()


def _run(stop: threading.Event) -> None:
    from django.db import connection

    while not stop.wait(INTERVAL_SECONDS):
        try:
            flush()
        except Exception:  # a failed write must not end the flusher; the entries are lost
            log.exception("query log flush failed")
            connection.close()


def _start() -> None:
    global _thread
    with _start_lock:
        if _thread is not None:
            return
        stop = threading.Event()
        _thread = threading.Thread(target=_run, args=(stop,), name="rds-querylog",
                                   daemon=True)
        _thread.start()
        atexit.register(_at_exit, stop)


def _at_exit(stop: threading.Event) -> None:
    stop.set()
    try:
        flush()
    except Exception:  # the interpreter is going away; nothing else can be done
        log.exception("query log flush at exit failed")
