"""``hostpact datamap``: every declared field of the data map; exit 1 if any is undeclared.

Each personal field shows its controller kind (policy 10.1): ``relationship`` data is ours for
our customers and the reseller's for its customers; ``registrar`` data is ours as registrar
whoever's customer the person is.
"""

import json

from django.core.management.base import BaseCommand

from hostpact.privacy import registry


class Command(BaseCommand):
    help = "Print every declared field of the data map; exit 1 if any field is undeclared."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, **options):
        rows = registry.rows()
        if options["format"] == "json":
            self.stdout.write(json.dumps(rows, indent=2))
        else:
            from rich.console import Console
            from rich.table import Table

            table = Table("app", "model", "field", "category", "subject", "purposes",
                          "retention", "erasure", "controller")
            for r in rows:
                if r["personal"]:
                    table.add_row(r["app"], r["model"], r["field"], r["category"], r["subject"],
                                  ", ".join(r["purposes"]), r["retention_period"], r["erasure"],
                                  r["controller"])
                else:
                    kind = ("[dim]proprietary aggregate[/dim]" if r.get("proprietary")
                            else "[dim]not personal[/dim]")
                    table.add_row(r["app"], r["model"], r["field"], kind, "", r["reason"], "",
                                  "", "")
            Console(file=self.stdout, width=200).print(table)
        missing = registry.undeclared()
        if missing:
            self.stderr.write("Undeclared fields (declare them in the app's datamap.py):\n  "
                              + "\n  ".join(missing))
            raise SystemExit(1)
