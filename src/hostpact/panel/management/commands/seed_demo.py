"""``hostpact seed_demo --subscribers N [--domains M] [--answers F]``: bulk synthetic
subscribers and their domains with contacts, deterministic for a seed, then the WHOIS/RDAP
answers of the domains (bulk inserts pass by the domain services, which keep those answers
fresh one by one), then optional "About you" answers for a fraction F of the subscribers."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hostpact.panel import seeding


class Command(BaseCommand):
    help = ("Load N synthetic subscribers (profile and test card each) and M domains with their "
            "contacts, spread over them, in bulk.")

    def add_arguments(self, parser):
        parser.add_argument("--subscribers", type=int, required=True)
        parser.add_argument("--domains", type=int, default=0)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--batch", type=int, default=seeding.BATCH)
        parser.add_argument("--answers", type=float, default=0.0,
                            help="the fraction (0-1) of subscribers given optional answers")

    def handle(self, **options):
        from rich.progress import Progress

        n, m, seed = options["subscribers"], options["domains"], options["seed"]
        if settings.PRODUCTION:
            raise CommandError("seed_demo loads demo accounts with a known password: "
                               "refused in production")
        if n < 0 or m < 0 or options["batch"] < 1:
            raise CommandError("--subscribers and --domains must be 0 or more and --batch at "
                               "least 1")
        if not 0 <= options["answers"] <= 1:
            raise CommandError("--answers is a fraction between 0 and 1")
        if m and not n:
            raise CommandError("--domains needs subscribers to own them: give --subscribers")
        if m and not seeding.domains_supported():
            raise CommandError("--domains needs the domains app (hostpact.domains.seeding)")
        started, owners = time.perf_counter(), []
        with Progress() as bar:
            task = bar.add_task("seeding subscribers", total=n)
            try:
                done = seeding.seed_subscribers(n, seed, options["batch"],
                                                lambda k: bar.advance(task, k), owners)
            except seeding.SeedError as exc:
                raise CommandError(str(exc))
        self.stdout.write(f"{done} subscribers seeded (seed {seed}) in "
                          f"{time.perf_counter() - started:.1f} s; their password is "
                          f"{seeding.SEEDED_PASSWORD}")
        if m:
            self._domains(m, owners, seed, options["batch"])
        if options["answers"]:
            self._answers(options["answers"], seed)

    def _answers(self, fraction, seed):
        from hostpact.audiences import seeding as audiences

        started = time.perf_counter()
        done = audiences.seed_answers(fraction, seed)
        self.stdout.write(f"{done} subscribers' optional answers seeded (seed {seed}) in "
                          f"{time.perf_counter() - started:.1f} s")

    def _domains(self, m, owners, seed, batch):
        from rich.progress import Progress

        from hostpact.domains import seeding as domains

        started = time.perf_counter()
        with Progress() as bar:
            task = bar.add_task("seeding domains", total=m)
            try:
                done = domains.seed_domains(m, owners, seed, batch,
                                            lambda k: bar.advance(task, k))
            except domains.SeedError as exc:
                raise CommandError(str(exc))
        self.stdout.write(f"{done} domains with their contacts seeded (seed {seed}) in "
                          f"{time.perf_counter() - started:.1f} s")
        self._directory_records()

    def _directory_records(self):
        from rich.progress import Progress

        from hostpact.rds import records

        started = time.perf_counter()
        with Progress() as bar:
            task = bar.add_task("building WHOIS/RDAP answers", total=None)
            done = records.rebuild(lambda k, total: bar.update(task, completed=k, total=total))
        self.stdout.write(f"{done} WHOIS/RDAP answers built in "
                          f"{time.perf_counter() - started:.1f} s")
