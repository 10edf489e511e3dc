"""The WHOIS and RDAP query log keeps a client's address 30 days, no longer (C41)."""

import datetime

import pytest

from hostpact.core import clock
from hostpact.privacy.rights.retention import services as retention
from hostpact.rds.models import QueryLog

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)


def _query(days_ago: float, protocol="rdap") -> QueryLog:
    return QueryLog.objects.create(at=NOW - datetime.timedelta(days=days_ago),
                                   protocol=protocol, client_ip="192.0.2.7",
                                   query="demo-hostpact.test", outcome="found")


def test_the_schedule_names_the_query_log_with_its_30_days():
    """The retention plan, read from the data map, has a 30-day rule for the query log."""
    with clock.freeze(NOW):
        lines = retention.plan()
    line = next(x for x in lines if x["model"] == "rds.QueryLog")
    assert "30" in line["rule"] and line["retention"] == "query_log"
    assert "user.device.ip_address" in line["categories"]


@pytest.mark.commitment("C41")
def test_queries_older_than_30_days_are_purged_by_the_retention_run():
    """The daily run deletes the queries logged more than 30 days ago and keeps the rest."""
    old = [_query(31), _query(45, "whois")]
    young = [_query(29), _query(0.5, "web")]
    with clock.freeze(NOW):
        retention.run()
    remaining = set(QueryLog.objects.values_list("pk", flat=True))
    assert remaining == {q.pk for q in young}
    assert not remaining & {q.pk for q in old}
