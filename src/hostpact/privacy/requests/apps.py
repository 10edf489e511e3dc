from django.apps import AppConfig


class RequestsConfig(AppConfig):
    name = "hostpact.privacy.requests"
    label = "requests"
    verbose_name = "Data-subject requests"
