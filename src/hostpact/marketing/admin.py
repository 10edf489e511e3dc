"""Back office of the mail lists: the suppressed addresses, for staff of the marketing and
compliance roles (``registry.back_office`` in ``datamap.py``).

Each suppression shows its reason, detail and date, never an address (only its blind index is
stored); staff find one by typing the exact address. Removing one lifts it through the service
(audited, its bounces go with it), for a mailbox that works again.
"""

from django.contrib import admin

from hostpact.core import audit
from hostpact.marketing.models import Suppression
from hostpact.marketing.services.suppressions import address_index, remove_suppression
from hostpact.privacy.admin_base import ReadOnlyAdmin


@admin.register(Suppression)
class SuppressionAdmin(ReadOnlyAdmin):
    list_display = ("id", "reason", "detail", "created_at")
    list_filter = ("reason",)
    ordering = ("-created_at",)
    search_fields = ("reason",)  # shows the box; the search is by exact address, below
    search_help_text = "Type the exact email address to find its suppression."
    fields = ("reason", "detail", "created_at")

    def has_delete_permission(self, request, obj=None):
        return self.may_view(request)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(address_index=address_index(term)), False

    def delete_model(self, request, obj):
        remove_suppression(obj, audit.actor_of(request.user))

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            remove_suppression(obj, audit.actor_of(request.user))
