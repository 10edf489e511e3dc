"""``hostpact campaign send``: the operator's campaign goes through the same services; bad
arguments say what is wrong, exit non-zero and create nothing."""

import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from hostpact.campaigns.models import Campaign, Recipient
from hostpact.campaigns.tests.helpers import BODY, subscribed
from hostpact.testing.processes import hostpact_env

pytestmark = pytest.mark.django_db


def test_send_creates_and_queues_the_campaign_and_prints_its_reach(tmp_path, capsys):
    """The command prints the campaign's id and how many it reaches; the rows are there."""
    subscribed(), subscribed(country="DE")
    body = tmp_path / "offer.md"
    body.write_text(BODY, encoding="utf-8")
    call_command("campaign", "send", "--list", "promotions", "--subject", "Autumn offer",
                 "--body", str(body), "--segment", "country=IN")
    out = capsys.readouterr().out
    campaign = Campaign.objects.get()
    assert f"campaign {campaign.pk} queued: it will reach 1 subscriber" in out
    assert campaign.status == Campaign.Status.SENDING and campaign.segment == {"country": "IN"}
    assert Recipient.objects.filter(campaign=campaign).count() == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--list", "transactional"], "list_key"),
    (["--segment", "colour=red"], "colour"),
    (["--segment", "country"], "KEY=VALUE"),
    (["--segment", "signed_up_after=soon"], "YYYY-MM-DD"),
    (["--subject", " "], "subject line"),
    (["--body", "/nonexistent/offer.md"], "cannot read it"),
])
def test_bad_arguments_are_refused_and_create_nothing(tmp_path, args, message):
    """Each bad argument raises a CommandError naming it; no campaign is created."""
    body = tmp_path / "offer.md"
    body.write_text(BODY, encoding="utf-8")
    base = {"--list": "promotions", "--subject": "Offer", "--body": str(body)}
    extra = dict(zip(args[::2], args[1::2], strict=True))
    merged = {**base, **{k: v for k, v in extra.items() if k != "--segment"}}
    argv = [x for pair in merged.items() for x in pair]
    if "--segment" in extra:
        argv += ["--segment", extra["--segment"]]
    with pytest.raises(CommandError) as exc:
        call_command("campaign", "send", *argv)
    assert message in str(exc.value)
    assert not Campaign.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_cli_exits_non_zero_on_bad_input(tmp_path):
    """Run as a program, a bad list exits 1 with the reason on stderr."""
    body = tmp_path / "offer.md"
    body.write_text(BODY, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "hostpact", "campaign", "send", "--list",
                           "nope", "--subject", "Offer", "--body", str(body)],
                          env=hostpact_env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "promotional lists" in done.stderr
    assert not Campaign.objects.exists()
