"""The optional form about a subscriber (demographics, product usage, preferences) and the
aggregate profiles built from it and from registration data: counts, never names.
"""
from django.apps import AppConfig


class AudiencesConfig(AppConfig):
    name = "hostpact.audiences"
    label = "audiences"
    verbose_name = "Demographics and aggregate profiles"

    def ready(self):
        from hostpact.audiences import widgets

        widgets.register()
