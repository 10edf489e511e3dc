"""Issue 3 benchmarks, run in a process whose environment points at the bench data set.

``bench/run.py`` starts it after the issue-2 figures (``--only issue3`` alone) and renders its
JSON. Every figure stands beside the issue's goal, and the notice throughput beside a plain
``smtplib`` loop sending the same messages to the same catcher in the same run.

Destructive on the bench data only: it erases the subscribers it measures, and publishes a
policy version whose notices it queues for every subscriber.
"""

import json
import os
import smtplib
import socket
import subprocess
import sys
import time
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

SMTP_SAMPLE = 10_000  # messages sent both ways; queueing covers every subscriber
SMTP_GOAL_RATIO = 0.5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _catcher(port: int) -> subprocess.Popen:
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "hostpact"), "mailcatcher", "--host",
                             "127.0.0.1", "--port", str(port)], env=os.environ.copy(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the mail catcher did not start")


def measure_notices() -> dict:
    """Publish a material version; time queueing its notices for every subscriber, then
    SMTP throughput of the platform's delivery beside a plain smtplib loop."""
    from django.conf import settings

    from hostpact.core import clock
    from hostpact.core.mail import deliver_queued
    from hostpact.core.models import OutboxMessage
    from hostpact.privacy.policy import services as policy

    version = policy.publish_version(
        title="Benchmark revision", text="# A material change\n\nBenchmark text.",
        effective_at=clock.now() + timedelta(days=policy.notice_days() + 1), material=True,
        actor="system:bench")
    start = time.perf_counter()
    queued = policy.queue_notices(version.pk)
    queue_s = time.perf_counter() - start

    port = _free_port()
    catcher = _catcher(port)
    settings.SMTP_URL = f"smtp://127.0.0.1:{port}"
    try:
        sample = list(OutboxMessage.objects.filter(category="policy_notice",
                                                   status=OutboxMessage.Status.QUEUED)
                      .order_by("id")[:SMTP_SAMPLE])
        # The same messages, in clear, for the reference loop (read before they are sent).
        plain = [(m.to_addr, m.subject_line, m.body) for m in sample]
        OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED).exclude(
            pk__in=[m.pk for m in sample]).update(status=OutboxMessage.Status.FAILED)
        start = time.perf_counter()
        sent = 0
        while True:
            went = deliver_queued()
            sent += went
            if not went:
                break
        platform_s = time.perf_counter() - start

        start = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for to, subject_line, body in plain:
                message = EmailMessage()
                message["From"], message["To"], message["Subject"] = (
                    settings.DEFAULT_FROM_EMAIL, to, subject_line)
                message.set_content(body)
                smtp.send_message(message)
        smtplib_s = time.perf_counter() - start
    finally:
        catcher.terminate()
        catcher.wait(timeout=10)
    platform_rate, smtplib_rate = sent / platform_s, len(plain) / smtplib_s
    return {"subscribers_noticed": queued, "queue_s": round(queue_s, 2),
            "queue_per_s": round(queued / queue_s, 1) if queue_s else 0,
            "smtp_sample": len(plain), "sent": sent,
            "platform_per_s": round(platform_rate, 1), "smtplib_per_s": round(smtplib_rate, 1),
            "ratio": round(platform_rate / smtplib_rate, 3),
            "goal_ratio": SMTP_GOAL_RATIO, "met": platform_rate / smtplib_rate >= SMTP_GOAL_RATIO}


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hostpact.settings")
    import django

    django.setup()
    from issue3_erasure import measure_erasure, measure_retention
    from issue3_export import measure_export

    from hostpact.accounts.models import User

    n = int(os.environ.get("BENCH_SAMPLE", "200"))
    subscribers = User.objects.filter(is_staff=False).count()
    results = {"subscribers": subscribers}
    for key, measure in (("export", lambda: measure_export(n)),
                         ("erasure", lambda: measure_erasure(n)),
                         ("retention", measure_retention), ("notices", measure_notices)):
        print(f"issue 3: measuring {key}", file=sys.stderr, flush=True)
        results[key] = measure()
    print(json.dumps(results, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
