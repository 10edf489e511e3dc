"""The WHOIS and RDAP query log: buffered, written in batches, cleaned, kept 30 days."""

import collections
import datetime

import pytest

from hostpact.core import clock
from hostpact.rds import querylog
from hostpact.rds.models import QueryLog

pytestmark = pytest.mark.django_db
AT = datetime.datetime(2026, 5, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.commitment("C27")
def test_queries_are_written_on_flush_with_address_and_outcome():
    """Logged queries reach the table only when flushed, each with its time, protocol,
    client address, query and outcome."""
    with clock.freeze(AT):
        querylog.log_query("rdap", "192.0.2.1", "/rdap/domain/example.test", "found")
        querylog.log_query("whois", "2001:db8::1", "nothing.test", "not_found")
    assert not QueryLog.objects.exists()
    assert querylog.flush() == 2
    rows = {(r.protocol, r.client_ip, r.query, r.outcome, r.at) for r in QueryLog.objects.all()}
    assert rows == {("rdap", "192.0.2.1", "/rdap/domain/example.test", "found", AT),
                    ("whois", "2001:db8::1", "nothing.test", "not_found", AT)}
    assert querylog.flush() == 0


def test_query_text_is_truncated_and_control_characters_replaced():
    """A long query keeps 300 characters; control characters become spaces."""
    querylog.log_query("whois", "192.0.2.1", "a\x00b\r\nc\x7f" + "x" * 1000, "bad")
    querylog.flush()
    row = QueryLog.objects.get()
    assert row.query.startswith("a b  c ") and len(row.query) == 300


def test_the_buffer_is_bounded(monkeypatch):
    """Past the buffer's bound the oldest entries are dropped, not the memory."""
    monkeypatch.setattr(querylog.writer, "buffer", collections.deque(maxlen=3))
    for n in range(5):
        querylog.log_query("rdap", "192.0.2.1", f"q{n}", "found")
    querylog.flush()
    assert sorted(QueryLog.objects.values_list("query", flat=True)) == ["q2", "q3", "q4"]


def test_query_logs_are_kept_thirty_days_by_the_retention_class():
    """The client address and the query are declared with the 30-day query_log class."""
    from hostpact.privacy.registry import for_model

    declared = for_model(QueryLog).fields
    assert declared["client_ip"].retention == "query_log"
    assert declared["query"].retention == "query_log"
