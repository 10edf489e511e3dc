from django.apps import AppConfig


class SampleAppConfig(AppConfig):
    name = "hostpact.privacy.tests.sampleapp"
    label = "sampleapp"
    verbose_name = "Loyalty cards"
    default_auto_field = "django.db.models.BigAutoField"
