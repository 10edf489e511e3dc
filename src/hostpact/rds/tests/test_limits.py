"""The per-address query limit shared by WHOIS and RDAP (C27 abuse limits)."""

import threading

import pytest

from hostpact.rds import limits


@pytest.fixture
def clock(monkeypatch):
    """A hand-moved monotonic clock for the buckets."""
    now = [1000.0]
    monkeypatch.setattr(limits, "clock", lambda: now[0])
    limits.reset()
    yield now
    limits.reset()


@pytest.mark.commitment("C27")
def test_an_address_gets_its_rate_then_is_refused(clock, settings):
    """An address may ask RDS_RATE times; the next query is refused with a retry delay."""
    settings.RDS_RATE, settings.RDS_RATE_WINDOW_SECONDS, settings.RDS_ALLOW = 3, 30, []
    assert [limits.allowed("192.0.2.1") for _ in range(4)] == [True, True, True, False]
    assert limits.retry_after("192.0.2.1") == 10
    assert limits.allowed("192.0.2.2")  # another address has its own bucket


def test_the_bucket_refills_evenly_over_the_window(clock, settings):
    """After a third of the window, a third of the queries are allowed again."""
    settings.RDS_RATE, settings.RDS_RATE_WINDOW_SECONDS, settings.RDS_ALLOW = 3, 30, []
    for _ in range(3):
        limits.allowed("192.0.2.1")
    clock[0] += 10
    assert limits.allowed("192.0.2.1")
    assert not limits.allowed("192.0.2.1")
    clock[0] += 1000
    assert [limits.allowed("192.0.2.1") for _ in range(4)] == [True, True, True, False]


def test_allowed_addresses_and_networks_are_never_limited(clock, settings):
    """Addresses and CIDR networks in RDS_ALLOW pass however often they ask; a bad entry
    is ignored."""
    settings.RDS_RATE, settings.RDS_ALLOW = 1, ["127.0.0.1", "2001:db8::/32", "not-an-ip"]
    assert all(limits.allowed("127.0.0.1") for _ in range(10))
    assert all(limits.allowed("2001:db8::5") for _ in range(10))
    assert limits.allowed("198.51.100.7") and not limits.allowed("198.51.100.7")
    assert limits.allowed("garbage") and not limits.allowed("garbage")


def test_retry_after_is_at_least_one_second(clock, settings):
    """An address that is not limited is told one second, never zero."""
    settings.RDS_RATE, settings.RDS_RATE_WINDOW_SECONDS, settings.RDS_ALLOW = 100, 600, []
    assert limits.retry_after("192.0.2.9") == 1


def test_concurrent_queries_never_exceed_the_rate(clock, settings):
    """Threads racing on one address get exactly RDS_RATE answers between them."""
    settings.RDS_RATE, settings.RDS_ALLOW = 50, []
    results = []

    def ask():
        results.extend(limits.allowed("192.0.2.3") for _ in range(20))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 50
