"""``hostpact retention plan|run``: the retention schedule as a dry run, or applied (C41)."""

import json

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from hostpact.privacy.rights.retention import services as retention_run


class Command(BaseCommand):
    help = "Show (plan) or apply (run) the retention schedule read from the data map."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["plan", "run"])
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, action, **options):
        if action == "plan":
            lines = retention_run.plan()
        else:
            rules = retention_run.schedule()
            with Progress(console=Console(stderr=True), transient=True) as progress:
                bar = progress.add_task("retention", total=len(rules))

                def step(rule, done):
                    progress.update(bar, advance=1, description=rule.model)

                lines = retention_run.run(progress=step)
        if options["format"] == "json":
            self.stdout.write(json.dumps(lines, indent=2))
            return
        title = "Would go (dry run)" if action == "plan" else "Handled"
        table = Table(title=title)
        for col in ("rule", "model", "categories", "retention", "count"):
            table.add_column(col, justify="right" if col == "count" else "left")
        for line in lines:
            cats = line["categories"]
            shown = ", ".join(cats[:3]) + (f" (+{len(cats) - 3} more)" if len(cats) > 3 else "")
            table.add_row(line["rule"], line["model"], shown, line["retention"],
                          str(line["count"]))
        Console(file=self.stdout, width=160).print(table)
