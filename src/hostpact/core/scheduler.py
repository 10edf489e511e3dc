"""Periodic work: enqueue each task of ``settings.PERIODIC_TASKS`` when its interval is up.

django-tasks has workers but no clock. ``hostpact scheduler`` (a child of ``hostpact serve``)
runs ``tick()`` every few seconds; the time each task was last enqueued is kept in the database
(``core.Counter``), so restarts and a second scheduler do not enqueue the same run twice.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from hostpact.core import clock
from hostpact.core.models import Counter

log = logging.getLogger(__name__)


def _due(name: str, every: int, now_ts: int) -> bool:
    """Claim the run of ``name`` if ``every`` seconds have passed since the last one."""
    with transaction.atomic():
        row, _ = Counter.objects.select_for_update().get_or_create(
            name=f"sched:{name}", defaults={"value": 0, "updated_at": clock.now()}
        )
        if now_ts - row.value < every:
            return False
        row.value, row.updated_at = now_ts, clock.now()
        row.save(update_fields=["value", "updated_at"])
        return True


def tick() -> list[str]:
    """Enqueue every periodic task whose interval is up; return their names."""
    now_ts = int(clock.now().timestamp())
    started = []
    for path, every in settings.PERIODIC_TASKS:
        if _due(path, every, now_ts):
            import_string(path).enqueue()
            started.append(path)
            log.info("scheduled %s", path)
    return started
