"""Back office of the escrow deposits: a read-only list for compliance (and superusers).

Deposits are made by the scheduled tasks and ``hostpact escrow deposit``; staff only read
when each ran, how far it got and which disclosure records it. Nothing personal is shown.
"""

from django.contrib import admin

from hostpact.domains.escrow.models import EscrowDeposit
from hostpact.privacy.admin_base import ReadOnlyAdmin

FIELDS = ["kind", "day", "state", "directory", "since", "snapshot_at", "rows_done", "file_names",
          "started_at", "finished_at", "error", "disclosure"]


@admin.register(EscrowDeposit)
class EscrowDepositAdmin(ReadOnlyAdmin):
    roles_allowed = ("compliance",)
    list_display = ["__str__", "kind", "day", "state", "rows_done", "started_at", "finished_at",
                    "disclosure"]
    list_filter = ["kind", "state"]
    fields = FIELDS
    readonly_fields = FIELDS

    @admin.display(description="Files")
    def file_names(self, obj):
        return ", ".join(f["name"] for f in obj.files) or "none yet"
