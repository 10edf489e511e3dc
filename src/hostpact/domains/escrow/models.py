"""The record of each registrar data escrow deposit: what it covers, how far it got, whether done.

A deposit is written file by file; ``files`` lists the files finished so far (name, kind of
file, rows, SHA-256 of the CSV, the last row id written), so a run that was killed resumes after
the last finished file and redoes the one it was writing. ``since`` and ``snapshot_at`` fix
what the deposit covers whatever time its run finishes: rows created after ``snapshot_at`` wait
for the next deposit, and an incremental deposit holds the rows changed after ``since`` (the
snapshot of the last successful deposit).
"""

from django.db import models

from hostpact.privacy.disclosures.models import Disclosure


class EscrowDeposit(models.Model):
    """One deposit (full or incremental) for the escrow agent, on one day."""

    class Kind(models.TextChoices):
        FULL = "full", "Full"
        INCREMENTAL = "inc", "Incremental"

    class State(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done (delivered)"
        FAILED = "failed", "Failed (the next run finishes it)"

    kind = models.CharField(max_length=4, choices=Kind.choices)
    day = models.DateField(help_text="The deposit's date (UTC), in its file names.")
    state = models.CharField(max_length=8, choices=State.choices, default=State.RUNNING)
    directory = models.CharField(max_length=500, help_text="Where the files are written.")
    since = models.DateTimeField(null=True, blank=True,
                                 help_text="Incremental: rows changed after this moment.")
    snapshot_at = models.DateTimeField(help_text="Rows created after this wait for the next.")
    files = models.JSONField(default=list, blank=True, help_text="The files finished so far.")
    rows_done = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True, help_text="Why the last run stopped.")
    disclosure = models.ForeignKey(Disclosure, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+",
                                   help_text="The disclosure to the escrow agent.")

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"escrow {self.kind} deposit of {self.day}"
