from django.apps import AppConfig


class DisclosuresConfig(AppConfig):
    name = "hostpact.privacy.disclosures"
    label = "disclosures"
    verbose_name = "Disclosures"
