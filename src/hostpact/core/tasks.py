"""Background tasks of core. Arguments are ids only, never personal data."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from hostpact.core import mail


@task()
def deliver_outbox() -> int:
    """Send everything queued in the outbox."""
    total = 0
    while True:
        sent = mail.deliver_queued()
        total += sent
        if not sent:
            return total


@task()
def reap_stale_tasks() -> int:
    """Run again the tasks a dead worker left "running"; return how many.

    django-tasks does not notice a worker killed mid-task. Every task of hostpact is safe to run
    twice (each resumes from what is recorded), so a task running for longer than
    ``TASK_STALE_SECONDS`` is marked failed and enqueued afresh with the same arguments.
    The reaper never reaps itself: the scheduler starts a fresh one every few minutes.
    """
    # django-tasks stamps its rows with the real time, not the platform's shiftable clock.
    cutoff = timezone.now() - timedelta(seconds=settings.TASK_STALE_SECONDS)
    stale = (DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff)
             .exclude(task_path=f"{__name__}.reap_stale_tasks"))
    count = 0
    for row in stale:
        with transaction.atomic():
            if not DBTaskResult.objects.filter(pk=row.pk, status="RUNNING").update(
                    status="FAILED", finished_at=timezone.now(),
                    exception_class_path="hostpact.core.tasks.WorkerLost",
                    traceback="the worker stopped while running this task"):
                continue
            call = row.args_kwargs or {}
            row.task.enqueue(*call.get("args", []), **call.get("kwargs", {}))
            count += 1
    return count
