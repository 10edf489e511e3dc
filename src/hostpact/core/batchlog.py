"""Buffered, batched writes of log rows, off the path of the request that made them.

Logs written on hot paths (the WHOIS and RDAP query log, the request log, visit counts) must
not cost their request an insert. A ``BatchLog`` keeps rows in a bounded in-memory buffer; a
daemon thread writes the buffer to its table in one ``executemany`` four times a second, and
``flush()`` does it at once (tests, process exit). If the database is unreachable for long,
the oldest rows are dropped rather than the server's memory. Nothing here raises into the code
that logs: a failed write is logged, and its rows are lost.

    requests = BatchLog("analytics-requests", "analytics.RequestLog",
                        ("at", "route", "method", "status"))
    requests.append((clock.now(), "/", "GET", 200))

A writer whose rows are not plain inserts (counters to add up) passes ``write=fn`` instead:
``fn(rows)`` runs in one transaction with the whole batch.

The test suite turns the thread off (``settings.BATCHLOG_AUTOSTART = False``; a writer's own
``autostart`` too): its database belongs to the test's transaction, and rows appear when a test
calls ``flush()``.
"""

import atexit
import collections
import logging
import threading
from collections.abc import Callable, Iterable, Sequence

INTERVAL_SECONDS = 0.25  # small batches: a big insert would stall the requests beside it
MAX_BUFFERED = 100_000
# Columns whose Python values the database driver cannot take as they are.
_ADAPTED = {"DateTimeField", "DateField", "TimeField", "DecimalField", "UUIDField",
            "JSONField", "GenericIPAddressField"}

log = logging.getLogger(__name__)
_writers: list["BatchLog"] = []


class BatchLog:
    """A buffered writer of rows (tuples in ``columns`` order) into one model's table."""

    def __init__(self, name: str, model: str | None = None, columns: Sequence[str] = (), *,
                 write: Callable[[list[tuple]], None] | None = None,
                 max_buffered: int = MAX_BUFFERED, interval: float = INTERVAL_SECONDS):
        if (model is None) == (write is None):
            raise ValueError(f"{name}: give either a model and its columns, or write=")
        self.name = name
        self.model_label = model  # "app_label.Model", resolved at the first flush
        self.columns = tuple(columns)
        self.write = write
        self.interval = interval
        self.buffer: collections.deque = collections.deque(maxlen=max_buffered)
        self.autostart = True
        self._flush_lock = threading.Lock()
        self._start_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        _writers.append(self)

    def append(self, row: tuple, *, start: bool | None = None) -> None:
        """Buffer ``row`` for the next flush; start the flusher unless turned off (``start``
        overrides the writer's ``autostart``). Never raises."""
        try:
            self.buffer.append(row)
            if self._thread is None and (self.autostart if start is None else start):
                self._start()
        except Exception:  # logging must never fail the code that logs
            log.exception("%s: a row could not be buffered", self.name)

    def extend(self, rows: Iterable[tuple]) -> None:
        """Buffer several rows (see ``append``)."""
        for row in rows:
            self.append(row)

    def flush(self) -> int:
        """Write every buffered row now; return how many were written (0 when the write
        failed: the failure is logged and those rows are lost)."""
        with self._flush_lock:
            rows = []
            while self.buffer:
                rows.append(self.buffer.popleft())
            if not rows:
                return 0
            try:
                self._write(rows)
            except Exception:
                log.exception("%s: %d rows could not be written", self.name, len(rows))
                _reset_connection()
                return 0
            return len(rows)

    def discard(self) -> None:
        """Drop every buffered row unwritten (tests)."""
        self.buffer.clear()

    def _write(self, rows: list[tuple]) -> None:
        from django.apps import apps
        from django.db import connection, transaction

        if self.write is not None:
            with transaction.atomic():
                self.write(rows)
            return
        model = apps.get_model(self.model_label)
        fields = [model._meta.get_field(c) for c in self.columns]
        adapt = [i for i, f in enumerate(fields) if f.get_internal_type() in _ADAPTED]
        if adapt:
            rows = [_adapted(row, adapt, fields, connection) for row in rows]
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        # One executemany, not bulk_create: this runs beside the server's requests, thousands
        # of rows a second, and model instances would cost more than the insert.
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608 - names from the model; values are bound
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def _start(self) -> None:
        from django.conf import settings

        if not getattr(settings, "BATCHLOG_AUTOSTART", True):
            return
        with self._start_lock:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()
            atexit.register(self._at_exit)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.flush()
            except Exception:  # the flusher must outlive anything a flush throws
                log.exception("%s: flush failed", self.name)

    def _at_exit(self) -> None:
        self._stop.set()
        try:
            self.flush()
        except Exception:  # the interpreter is going away; nothing else can be done
            log.exception("%s: flush at exit failed", self.name)


def _adapted(row, indexes, fields, connection) -> tuple:
    out = list(row)
    for i in indexes:
        if out[i] is not None:
            out[i] = fields[i].get_db_prep_save(out[i], connection)
    return tuple(out)


def _reset_connection() -> None:
    """Drop a connection a failed write may have broken, unless a transaction holds it (a
    test's, or a caller's): closing it there would break that transaction."""
    from django.db import connection

    if not connection.in_atomic_block:
        connection.close()


def writers() -> list[BatchLog]:
    """Return every writer made in this process."""
    return list(_writers)


def flush_all() -> int:
    """Flush every writer; return how many rows were written."""
    return sum(w.flush() for w in _writers)


def discard_all() -> None:
    """Drop the rows buffered in every writer (tests)."""
    for w in _writers:
        w.discard()
