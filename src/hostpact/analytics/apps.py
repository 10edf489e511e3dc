"""The analytics app: the request log, visit counting, and the back office's home page."""

from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "hostpact.analytics"
    label = "analytics"
    verbose_name = "Diagnostics and visit statistics"

    def ready(self):
        from django.contrib import admin

        from hostpact.analytics import widgets

        # The back office's home page is the staff dashboard, branded as the platform's.
        admin.site.site_header = "hostpact back office"
        admin.site.site_title = "hostpact back office"
        admin.site.index_title = "Dashboard"
        admin.site.index_template = "analytics/admin_index.html"
        widgets.register()
