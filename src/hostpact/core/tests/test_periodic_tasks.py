"""Every periodic task the platform relies on is scheduled, often enough, and is a real task."""

import pytest
from django.conf import settings
from django.utils.module_loading import import_string
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from hostpact.core import scheduler

# task path -> the longest interval (seconds) at which the promise behind it still holds
RELIED_ON = {
    "hostpact.core.tasks.deliver_outbox": 15 * 60,  # mail the SMTP server refused, retried
    "hostpact.core.tasks.reap_stale_tasks": 30 * 60,  # tasks a killed worker left running
    "hostpact.privacy.rights.tasks.run_retention": 24 * 3600,  # C41: the daily retention run
    "hostpact.billing.tasks.issue_renewal_invoices": 24 * 3600,  # renewals invoiced in time
    "hostpact.privacy.subject_requests.tasks.send_dsr_reminders": 24 * 3600,  # 7 and 1 day
}


@pytest.mark.commitment("C41")
@pytest.mark.parametrize("path", sorted(RELIED_ON))
def test_relied_on_task_is_scheduled_at_a_sensible_interval(path):
    """The task is in ``PERIODIC_TASKS`` once, at an interval between a minute and its limit,
    and its path names a task the worker can run."""
    intervals = [every for task_path, every in settings.PERIODIC_TASKS if task_path == path]
    assert len(intervals) == 1, f"{path} is not scheduled exactly once"
    assert 60 <= intervals[0] <= RELIED_ON[path]
    assert isinstance(import_string(path), Task)


@pytest.mark.django_db
@pytest.mark.commitment("C41")
def test_first_tick_enqueues_every_relied_on_task():
    """With the real schedule, the scheduler's first tick enqueues each of them."""
    started = scheduler.tick()
    assert set(RELIED_ON) <= set(started)
    enqueued = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert set(RELIED_ON) <= enqueued
