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


@pytest.mark.django_db
def test_reaper_reenqueues_tasks_a_dead_worker_left_running(settings):
    """A task "running" past TASK_STALE_SECONDS is marked failed and enqueued again with its
    arguments; a fresh one and the reaper itself are left alone."""
    from hostpact.core.tasks import deliver_outbox, reap_stale_tasks

    settings.TASK_STALE_SECONDS = 60
    stale, fresh = deliver_outbox.enqueue(), deliver_outbox.enqueue()
    me = reap_stale_tasks.enqueue()
    long_ago = timezone.now() - timedelta(minutes=5)
    DBTaskResult.objects.filter(pk=stale.id).update(status="RUNNING", started_at=long_ago)
    DBTaskResult.objects.filter(pk=fresh.id).update(status="RUNNING", started_at=timezone.now())
    DBTaskResult.objects.filter(pk=me.id).update(status="RUNNING", started_at=long_ago)
    assert reap_stale_tasks.call() == 1
    assert DBTaskResult.objects.get(pk=stale.id).status == "FAILED"
    assert DBTaskResult.objects.get(pk=fresh.id).status == "RUNNING"
    assert DBTaskResult.objects.get(pk=me.id).status == "RUNNING"
    assert DBTaskResult.objects.filter(task_path="hostpact.core.tasks.deliver_outbox",
                                       status="READY").count() == 1
