"""The request log's addresses are truncated after 7 days and its rows deleted after 90,
both from the data map, by the retention run (policy 3.2, C18)."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client

from hostpact.analytics import requestlog
from hostpact.analytics.models import RequestLog
from hostpact.analytics.tests.conftest import START
from hostpact.core import clock
from hostpact.privacy import registry
from hostpact.privacy.coarsening import ip_prefix
from hostpact.privacy.policy.views import annex
from hostpact.privacy.rights.retention import services as retention

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def visit(address: str, at: datetime.datetime) -> None:
    with clock.freeze(at):
        Client().get("/nothing/", REMOTE_ADDR=address)
    requestlog.writer.flush()


def run_at(moment: datetime.datetime) -> list[dict]:
    with clock.freeze(moment):
        return retention.run()


def addresses() -> list[str]:
    return sorted(RequestLog.objects.values_list("client_ip", flat=True))


@pytest.mark.commitment("C18")
def test_addresses_are_truncated_after_seven_days_and_rows_deleted_after_ninety():
    """On day 6 the address is whole; after day 7 the retention run truncates IPv4 to /24 and
    IPv6 to /48; after day 90 the rows are gone."""
    visit("192.0.2.44", START)
    visit("2001:db8:aaaa:bbbb:cccc::1", START)
    run_at(START + 6 * DAY)
    assert addresses() == ["192.0.2.44", "2001:db8:aaaa:bbbb:cccc::1"]
    run_at(START + 7 * DAY + datetime.timedelta(minutes=1))
    assert addresses() == ["192.0.2.0", "2001:db8:aaaa::"]
    run_at(START + 89 * DAY)
    assert RequestLog.objects.count() == 2
    run_at(START + 90 * DAY + datetime.timedelta(minutes=1))
    assert not RequestLog.objects.exists()


@pytest.mark.commitment("C18")
def test_the_truncation_is_idempotent_and_leaves_fresh_rows_alone():
    """A second run changes nothing; a row younger than 7 days keeps its whole address."""
    visit("198.51.100.77", START)
    visit("203.0.113.9", START + 5 * DAY)
    first = run_at(START + 8 * DAY)
    assert addresses() == ["198.51.100.0", "203.0.113.9"]
    assert _coarsened(first) == 1
    second = run_at(START + 8 * DAY)
    assert _coarsened(second) == 0
    assert addresses() == ["198.51.100.0", "203.0.113.9"]


def _coarsened(lines: list[dict]) -> int:
    return sum(line["count"] for line in lines
               if line["model"] == "analytics.RequestLog" and "truncated" in line["rule"])


@pytest.mark.commitment("C18")
def test_the_rules_come_from_the_data_map():
    """The schedule's rules for the request log are those the data map declares: the
    diagnostics class (90 days) and the address's coarsening (7 days)."""
    declared = registry.for_model(RequestLog).fields
    assert declared["client_ip"].retention == "diagnostics"
    assert declared["client_ip"].coarsen == ip_prefix(days=7)
    rules = [r for r in retention.plan(START) if r["model"] == "analytics.RequestLog"]
    assert {r["rule"] for r in rules} == {
        "diagnostics data older than 90 days",
        "diagnostics data: client_ip truncated to /24 (IPv4) and /48 (IPv6) after 7 days"}


def test_the_coarsening_is_listed_by_datamap_and_the_policy_annex(capsys):
    """`hostpact datamap` and the policy annex show the truncation beside the retention."""
    call_command("datamap", "--format", "json")
    assert "truncated to /24 (IPv4) and /48 (IPv6) after 7 days" in capsys.readouterr().out
    (row,) = [r for r in annex() if r["category"] == "user.device.ip_address"]
    assert "90 days; truncated to /24 (IPv4) and /48 (IPv6) after 7 days" in row["retention"]


@pytest.mark.parametrize(("value", "coarse"), [
    ("192.0.2.255", "192.0.2.0"), ("10.1.2.3", "10.1.2.0"),
    ("2001:db8:1:2:3:4:5:6", "2001:db8:1::"), ("::ffff:192.0.2.1", "::"),
    ("fe80::1%eth0", "fe80::"), ("garbage", ""), ("", ""), ("1.2.3", ""),
])
def test_ip_prefix_truncates_any_value_or_empties_it(value, coarse):
    """Addresses become their network; what is no address keeps nothing."""
    assert ip_prefix(days=7).apply(value) == coarse


def test_a_negative_coarsening_age_is_refused():
    """A coarsening cannot act before the data exists."""
    with pytest.raises(ValueError, match="negative"):
        ip_prefix(days=-1)
