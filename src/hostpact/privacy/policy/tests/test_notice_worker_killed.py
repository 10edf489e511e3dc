"""A worker killed mid-way through the notices of a material version, then restarted, leaves
every subscriber with exactly one notice: none missing, none twice (C36)."""

import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta

import pytest

from hostpact.core import clock
from hostpact.core.models import OutboxMessage
from hostpact.core.outbox import CLAIM_CHUNK
from hostpact.privacy.policy.models import PolicyNotice
from hostpact.privacy.policy.services import publish_version
from hostpact.testing.factories import make_subscriber
from hostpact.testing.processes import hostpact_env, run_hostpact

SUBSCRIBERS = 120


def _notices(catcher) -> Counter:
    got = Counter()
    for stored in catcher.messages():
        message = stored.parse()
        if message["X-Hostpact-Category"] == "policy_notice":
            got[str(message["To"])] += 1
    return got


@pytest.mark.django_db(transaction=True)
@pytest.mark.commitment("C36")
def test_killed_worker_sends_no_notice_twice(mail_catcher, tmp_path):
    """Kill -9 the worker while it sends notices; after a restart (the killed task reaped, the
    clock past the outbox claim timeout) each subscriber has one notice; a message the dead worker
    may have been sending (its claimed chunk) is left unconfirmed rather than sent again."""
    users = [make_subscriber() for _ in range(SUBSCRIBERS)]
    emails = {u.email for u in users}
    publish_version(title="Version 2", text="# Changes\n\nWe add a new use.",
                    effective_at=clock.now() + timedelta(days=40), material=True,
                    actor="staff:test")
    env = hostpact_env(HOSTPACT_SMTP_URL=mail_catcher.url)
    worker = subprocess.Popen([sys.executable, "-m", "hostpact", "db_worker", "--interval",
                               "0.05", "--no-startup-delay"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Poll the outbox, not the catcher: parsing every stored message on each turn slowed this
        # loop enough on a busy machine for the worker to finish before the kill.
        sent = OutboxMessage.objects.filter(category="policy_notice",
                                            status=OutboxMessage.Status.SENT)
        deadline = time.monotonic() + 90
        while sent.count() < 20 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert sent.count() >= 20, "the worker sent nothing"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    before_restart = sum(_notices(mail_catcher).values())
    assert before_restart < SUBSCRIBERS, "killed too late to prove anything"

    shifted = tmp_path / "clock"
    shifted.write_text("+10m")  # past the outbox claim timeout
    env.update(HOSTPACT_CLOCK_FILE=str(shifted), HOSTPACT_TASK_STALE_SECONDS="1")
    time.sleep(1.1)
    run_hostpact("scheduler", "--once", env=env)
    run_hostpact("db_worker", "--batch", "--no-startup-delay", env=env)

    got = _notices(mail_catcher)
    assert max(got.values()) == 1, "somebody got two notices"
    assert set(got) <= emails
    unconfirmed = OutboxMessage.objects.filter(category="policy_notice",
                                               status=OutboxMessage.Status.UNCONFIRMED).count()
    assert unconfirmed <= CLAIM_CHUNK  # the one chunk the dead worker had claimed
    assert len(got) >= SUBSCRIBERS - unconfirmed
    assert PolicyNotice.objects.count() == SUBSCRIBERS
