"""``hostpact seed_demo --subscribers N``: bulk synthetic subscribers, deterministic for a seed."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hostpact.panel import seeding


class Command(BaseCommand):
    help = "Load N synthetic subscribers (profile and test card each) in bulk."

    def add_arguments(self, parser):
        parser.add_argument("--subscribers", type=int, required=True)
        parser.add_argument("--domains", type=int, default=0)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--batch", type=int, default=seeding.BATCH)

    def handle(self, **options):
        from rich.progress import Progress

        n = options["subscribers"]
        if settings.PRODUCTION:
            raise CommandError("seed_demo loads demo accounts with a known password: "
                               "refused in production")
        if n < 0 or options["batch"] < 1:
            raise CommandError("--subscribers must be 0 or more and --batch at least 1")
        started = time.perf_counter()
        with Progress() as bar:
            task = bar.add_task("seeding subscribers", total=n)
            try:
                done = seeding.seed_subscribers(n, options["seed"], options["batch"],
                                                lambda k: bar.advance(task, k))
            except seeding.SeedError as exc:
                raise CommandError(str(exc))
        self.stdout.write(f"{done} subscribers seeded (seed {options['seed']}) in "
                          f"{time.perf_counter() - started:.1f} s; their password is "
                          f"{seeding.SEEDED_PASSWORD}")
        if options["domains"] and not seeding.domains_supported():
            self.stdout.write(f"--domains {options['domains']} ignored: domains arrive with "
                              "the domains issue")
