"""``hostpact build_profiles``: rebuild the aggregate profile tables (C17) now."""

import time

from django.core.management.base import BaseCommand

from hostpact.audiences import profiles


class Command(BaseCommand):
    help = "Count subscribers per category into the aggregate profile tables (no names)."

    def handle(self, **options):
        started = time.perf_counter()
        cells = profiles.build_profiles(actor="system:build_profiles")
        self.stdout.write(f"{cells} cells built in {time.perf_counter() - started:.1f} s")
