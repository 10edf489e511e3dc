"""``hostpact rds_rebuild``: make every WHOIS/RDAP answer again from the domains' rows.

The domain services keep the answers fresh one change at a time; this is for after a bulk
load or a restore, and for repair. Safe to run while serving: each batch is one transaction.
"""

import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Rebuild the precomputed WHOIS and RDAP answers of every sponsored domain."

    def handle(self, **options):
        from rich.progress import Progress

        from hostpact.rds import records

        started = time.perf_counter()
        with Progress(disable=not self.stdout.isatty()) as bar:
            task = bar.add_task("building WHOIS/RDAP answers", total=None)
            done = records.rebuild(lambda k, total: bar.update(task, completed=k, total=total))
        self.stdout.write(f"{done} WHOIS/RDAP answers built in "
                          f"{time.perf_counter() - started:.1f} s")
