"""The buffered log writer: rows buffered, written in one batch at the flush, bounded, and
never raising into the code that logs."""

import collections
import datetime

import pytest

from hostpact.core import batchlog
from hostpact.core.batchlog import BatchLog
from hostpact.rds.models import QueryLog

pytestmark = pytest.mark.django_db
AT = datetime.datetime(2026, 5, 1, 12, 0, tzinfo=datetime.UTC)
COLUMNS = ("at", "protocol", "client_ip", "query", "outcome")


@pytest.fixture
def writer():
    w = BatchLog("test-writer", "rds.QueryLog", COLUMNS)
    w.autostart = False
    yield w
    batchlog._writers.remove(w)


def test_rows_are_written_at_the_flush_in_one_batch(writer):
    """Buffered rows reach the table only at the flush, all in one statement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    writer.extend([(AT, "rdap", "192.0.2.1", f"q{n}", "found") for n in range(50)])
    assert not QueryLog.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        assert writer.flush() == 50
    assert len([q for q in queries if "INSERT" in q["sql"]]) == 1
    assert QueryLog.objects.count() == 50
    assert QueryLog.objects.first().at == AT
    assert writer.flush() == 0


def test_the_buffer_drops_the_oldest_rows_past_its_bound():
    """Past its bound the writer keeps the newest rows, not the memory."""
    w = BatchLog("bounded", "rds.QueryLog", COLUMNS, max_buffered=2)
    w.autostart = False
    try:
        for n in range(4):
            w.append((AT, "rdap", "", f"q{n}", "found"))
        w.flush()
        assert sorted(QueryLog.objects.values_list("query", flat=True)) == ["q2", "q3"]
    finally:
        batchlog._writers.remove(w)


def test_a_failed_write_is_logged_not_raised(writer, caplog):
    """A row the table refuses (a column too many) fails its batch: flush returns 0, the
    failure is logged, and the next batch is written."""
    writer.append((AT, "rdap", "", "q", "found", "extra"))
    assert writer.flush() == 0
    assert "could not be written" in caplog.text
    writer.append((AT, "rdap", "", "q", "found"))
    assert writer.flush() == 1


def test_append_never_raises(writer, monkeypatch):
    """Even when buffering itself fails, the caller is not disturbed."""
    monkeypatch.setattr(writer, "buffer", None)
    writer.append((AT, "rdap", "", "q", "found"))


def test_discard_drops_rows_unwritten(writer):
    """Discarded rows are never written."""
    writer.append((AT, "rdap", "", "q", "found"))
    writer.discard()
    assert writer.flush() == 0 and not QueryLog.objects.exists()


def test_a_custom_write_receives_the_whole_batch():
    """A writer with ``write=`` gets the batch in one call, inside a transaction."""
    seen = []
    w = BatchLog("custom", write=seen.append)
    w.autostart = False
    try:
        w.extend([(1,), (2,)])
        assert w.flush() == 2
        assert seen == [[(1,), (2,)]]
    finally:
        batchlog._writers.remove(w)


def test_a_writer_needs_a_table_or_a_write_function():
    """A writer with neither a model nor ``write=`` (or both) is refused."""
    with pytest.raises(ValueError):
        BatchLog("neither")
    with pytest.raises(ValueError):
        BatchLog("both", "rds.QueryLog", COLUMNS, write=print)


def test_no_thread_starts_under_the_test_settings(writer, settings):
    """With BATCHLOG_AUTOSTART off no flusher starts, even when the writer would."""
    settings.BATCHLOG_AUTOSTART = False
    writer.autostart = True
    writer.append((AT, "rdap", "", "q", "found"))
    assert writer._thread is None


def test_every_writer_is_listed_and_flushed_together(writer):
    """``flush_all`` flushes every writer of the process."""
    assert writer in batchlog.writers()
    writer.append((AT, "rdap", "", "q", "found"))
    assert batchlog.flush_all() >= 1
    assert isinstance(writer.buffer, collections.deque) and not writer.buffer
