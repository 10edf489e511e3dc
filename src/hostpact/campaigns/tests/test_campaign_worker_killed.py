"""A worker killed mid-campaign, then restarted, leaves every recipient with exactly one
message: the campaign resumes where it stopped and nothing is sent twice (the kill test of
the policy notices, extended to campaigns)."""

import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from hostpact.campaigns import services
from hostpact.campaigns.models import Campaign, Recipient
from hostpact.campaigns.tests.helpers import draft, subscribed
from hostpact.core.models import OutboxMessage
from hostpact.testing.processes import hostpact_env, run_hostpact

SUBSCRIBERS = 60
FIRST_RATE = "20"  # the killed worker feeds a third of the campaign, the restart the rest


def _campaign_mail(catcher) -> Counter:
    got = Counter()
    for stored in catcher.messages():
        message = stored.parse()
        if message["X-Hostpact-Category"] == "promotions":
            got[str(message["To"])] += 1
    return got


@pytest.mark.django_db(transaction=True)
@pytest.mark.commitment("C11")
def test_killed_worker_resumes_the_campaign_and_sends_no_message_twice(mail_catcher, tmp_path):
    """Kill -9 the worker while it sends the campaign's first batch; after a restart (the
    scheduler's run_campaigns feeds the rest, the clock past the claim timeout) each
    recipient has one message, each recipient row was queued once, the campaign is sent."""
    users = [subscribed() for _ in range(SUBSCRIBERS)]
    emails = {u.email for u in users}
    campaign = draft()
    services.queue_campaign(campaign.pk, actor="staff:1")  # enqueues the first feed
    env = hostpact_env(HOSTPACT_SMTP_URL=mail_catcher.url,
                       HOSTPACT_CAMPAIGN_RATE_PER_MINUTE=FIRST_RATE)
    worker = subprocess.Popen([sys.executable, "-m", "hostpact", "db_worker", "--interval",
                               "0.05", "--no-startup-delay"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        sent = OutboxMessage.objects.filter(category="promotions",
                                            status=OutboxMessage.Status.SENT)
        deadline = time.monotonic() + 90
        while sent.count() < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert sent.count() >= 5, "the worker sent nothing"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    assert sum(_campaign_mail(mail_catcher).values()) < SUBSCRIBERS, "killed too late"
    assert Recipient.objects.filter(status=Recipient.Status.PENDING).exists()

    shifted = tmp_path / "clock"
    shifted.write_text("+10m")  # past the outbox claim timeout
    env.update(HOSTPACT_CLOCK_FILE=str(shifted), HOSTPACT_TASK_STALE_SECONDS="1",
               HOSTPACT_CAMPAIGN_RATE_PER_MINUTE="6000")
    time.sleep(1.1)
    run_hostpact("scheduler", "--once", env=env)
    run_hostpact("db_worker", "--batch", "--no-startup-delay", env=env)

    got = _campaign_mail(mail_catcher)
    assert max(got.values()) == 1, "somebody got the campaign twice"
    assert set(got) <= emails
    unconfirmed = OutboxMessage.objects.filter(category="promotions",
                                               status=OutboxMessage.Status.UNCONFIRMED).count()
    assert unconfirmed <= 1
    assert len(got) >= SUBSCRIBERS - unconfirmed
    rows = Recipient.objects.filter(campaign=campaign)
    assert rows.filter(status=Recipient.Status.QUEUED).count() == SUBSCRIBERS
    assert len(set(rows.values_list("message_id", flat=True))) == SUBSCRIBERS
    assert OutboxMessage.objects.filter(category="promotions").count() == SUBSCRIBERS
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.SENT
