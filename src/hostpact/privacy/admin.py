"""Back office for core records: the audit ledger and the mail outbox, both read-only.

The ledger is append-only by design, so the back office can neither add, change nor delete an
entry. The outbox shows delivery metadata only; the encrypted address, subject and body of a
message are not on its page.
"""

import uuid

from django.contrib import admin

from hostpact.core.models import AuditEntry, OutboxMessage
from hostpact.privacy.admin_base import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_per_page = 100
    list_display = ["seq", "at", "actor", "action", "subject_id", "object_ref", "fields"]
    list_filter = ["action"]
    search_fields = ["=actor", "=action", "=object_ref"]
    search_help_text = "An actor (staff:12), an action, an object (HP-000123), or a subject id."
    ordering = ["-seq"]

    def get_search_results(self, request, queryset, search_term):
        try:
            return queryset.filter(subject_id=uuid.UUID(search_term.strip())), False
        except ValueError:
            return super().get_search_results(request, queryset, search_term)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_per_page = 100
    fields = ["subject", "category", "status", "attempts", "created_at", "claimed_at",
              "sent_at", "message_id"]
    list_display = ["id", "subject_id", "category", "status", "attempts", "created_at",
                    "sent_at"]
    list_filter = ["status", "category"]
    ordering = ["-id"]
