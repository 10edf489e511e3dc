"""The scheduler enqueues each periodic task once per interval."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hostpact.core import clock, scheduler


@pytest.mark.django_db
def test_periodic_task_enqueued_once_per_interval(settings):
    """A tick enqueues the outbox sweep; a second tick within the interval does not; a tick
    after it does again."""
    settings.PERIODIC_TASKS = [("hostpact.core.tasks.deliver_outbox", 60)]
    start = timezone.now()
    with clock.freeze(start):
        assert scheduler.tick() == ["hostpact.core.tasks.deliver_outbox"]
        assert scheduler.tick() == []
    with clock.freeze(start + timedelta(seconds=61)):
        assert scheduler.tick() == ["hostpact.core.tasks.deliver_outbox"]
    assert DBTaskResult.objects.filter(task_path="hostpact.core.tasks.deliver_outbox").count() == 2
