"""The back office's pages of visit statistics: the daily counts, read only.

The request log is not listed: it holds addresses and user agents, and the dashboard shows
what diagnosis needs from it as aggregates.
"""

from django.contrib import admin

from hostpact.analytics.models import VisitDay
from hostpact.privacy import roles
from hostpact.privacy.admin_base import ReadOnlyAdmin


@admin.register(VisitDay)
class VisitDayAdmin(ReadOnlyAdmin):
    roles_allowed = tuple(roles.ROLES)  # counts of visits, no person in them
    list_display = ("day", "views", "visitors", "returning", "anonymous")
    date_hierarchy = "day"
    ordering = ("-day",)
