"""``hostpact audit verify``: check the ledger's hash chain; exit 1 naming the first bad entry."""

from django.core.management.base import BaseCommand

from hostpact.core import audit


class Command(BaseCommand):
    help = "Verify the audit ledger's hash chain."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, **options):
        verdict = audit.verify()
        if verdict.ok:
            self.stdout.write(f"ok, {verdict.checked} entries")
            return
        self.stderr.write(f"audit ledger altered at entry #{verdict.bad_seq}: {verdict.reason} "
                          f"({verdict.checked} entries before it are intact)")
        raise SystemExit(1)
