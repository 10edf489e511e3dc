"""``hostpact scheduler``: enqueue periodic tasks (outbox sweep, retention) on time."""

import signal
import time

from django.core.management.base import BaseCommand

from hostpact.core import scheduler


class Command(BaseCommand):
    help = "Enqueue the periodic tasks of settings.PERIODIC_TASKS when due (runs until stopped)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=5.0, help="seconds between checks")
        parser.add_argument("--once", action="store_true", help="check once and exit")

    def handle(self, interval, once, **options):
        running = [True]
        signal.signal(signal.SIGTERM, lambda *_: running.__setitem__(0, False))
        while running[0]:
            scheduler.tick()  # logs what it enqueued
            if once:
                return
            time.sleep(interval)
