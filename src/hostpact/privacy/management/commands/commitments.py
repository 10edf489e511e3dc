"""``hostpact commitments``: each policy commitment with the tests that prove it."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand

from hostpact.privacy.commitments import collect


class Command(BaseCommand):
    help = "List commitments C01-C41 with the tests marked as proving each (no test is run)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, **options):
        items = collect(settings.BASE_DIR)
        if options["format"] == "json":
            self.stdout.write(json.dumps({"commitments": [vars(c) for c in items]}, indent=2))
            return
        from rich.console import Console
        from rich.table import Table

        table = Table("ID", "§", "commitment", "proved by", show_lines=True)
        for c in items:
            table.add_row(c.id, c.section, c.text, "\n".join(c.tests) or "[red]none[/red]")
        console = Console(file=self.stdout, width=160)
        console.print(table)
        missing = [c.id for c in items if not c.tests]
        proved = len(items) - len(missing)
        console.print(f"{proved} of {len(items)} commitments have a proving test; "
                      f"without: {', '.join(missing) or 'none'}")
