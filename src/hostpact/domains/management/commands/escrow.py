"""``hostpact escrow deposit [--full] [--out DIR]`` and ``hostpact escrow verify DIR``."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Registrar data escrow: make (or finish) a deposit, or verify one."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="deposit|verify")
        deposit = sub.add_parser("deposit", help="make today's deposit (incremental unless "
                                 "--full), finishing one a previous run left")
        deposit.add_argument("--full", action="store_true", help="a full deposit")
        deposit.add_argument("--out", type=Path, help="an empty directory for the files "
                             "(default: settings.ESCROW_DIR/<IANA>_RDE_<day>_<kind>)")
        deposit.add_argument("--progress", action="store_true",
                             help="show a progress bar even when not on a terminal")
        verify = sub.add_parser("verify", help="decrypt and check the deposit in DIR")
        verify.add_argument("directory", type=Path, metavar="DIR")

    def handle(self, **options):
        if options["action"] == "verify":
            return self._verify(options["directory"])
        return self._deposit(options)

    def _verify(self, directory: Path):
        from hostpact.domains.escrow.verify import VerifyFailed, verify_directory

        try:
            summary = verify_directory(directory)
        except VerifyFailed as exc:
            raise CommandError(f"escrow deposit rejected: {exc}")
        self.stdout.write("\n".join(summary.lines()))

    def _deposit(self, options):
        from rich.progress import Progress

        from hostpact.domains.escrow import deposit, gpg
        from hostpact.privacy.disclosures.services import DisclosureRefused

        kind = "full" if options["full"] else "inc"
        show = options["progress"] or self.stdout.isatty()
        started = time.perf_counter()
        try:
            with Progress(disable=not show) as bar:
                task = bar.add_task(f"escrow {kind} deposit", total=None)
                made = deposit.run_deposit(
                    kind, out=options["out"], actor="system:escrow-command",
                    progress=lambda done, total: bar.update(task, completed=done, total=total))
        except (deposit.DepositError, gpg.EscrowKeyError, gpg.GpgFailed, OSError) as exc:
            raise CommandError(f"escrow deposit failed: {exc}")
        except DisclosureRefused as exc:
            raise CommandError(f"escrow deposit refused by the disclosures gate: {exc}")
        seconds = time.perf_counter() - started
        for d in made:
            self.stdout.write(f"{d.kind} deposit of {d.day}: {d.state}, {len(d.files)} files, "
                              f"{d.rows_done} rows, disclosure {d.disclosure_id}, in "
                              f"{d.directory}")
        self.stdout.write(f"written in {seconds:.2f} s")
