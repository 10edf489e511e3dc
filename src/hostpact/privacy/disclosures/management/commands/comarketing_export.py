"""``hostpact comarketing_export``: the co-marketing CSV from the command line (C23).

The same service as the back-office page: contact data of subscribers who have not opted out,
through the disclosures gate; a billing column refuses the whole request and writes no file.
"""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hostpact.privacy.disclosures import services


class Command(BaseCommand):
    help = "Export partner-promotion contacts as CSV for a co-marketing partner."

    def add_arguments(self, parser):
        parser.add_argument("--partner", default="co-marketing-partner",
                            help="slug of a registered co-marketing recipient")
        parser.add_argument("--columns", default=",".join(services.DEFAULT_COLUMNS),
                            help="comma-separated, from: "
                                 + ", ".join(services.partner_columns()))
        parser.add_argument("--reference", default="", help="campaign reference (no names)")
        parser.add_argument("--out", required=True, help="CSV file to write (mode 0600)")

    def handle(self, **options):
        columns = [c.strip() for c in options["columns"].split(",") if c.strip()]
        try:
            export = services.export_comarketing(options["partner"], columns, actor="cli",
                                                 reference=options["reference"])
        except services.DisclosureRefused as exc:
            raise CommandError(f"Refused, nothing was exported: {exc.reason}")
        out = Path(options["out"])
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(export.csv())
        self.stdout.write(f"{len(export.rows)} subscribers written to {out} "
                          f"(disclosure {export.disclosure.pk}).")
