from django.apps import AppConfig


class DomainsConfig(AppConfig):
    name = "hostpact.domains"
    label = "domains"
    verbose_name = "Domains"
