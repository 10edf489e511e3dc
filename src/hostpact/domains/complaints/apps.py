from django.apps import AppConfig


class DomainComplaintsConfig(AppConfig):
    name = "hostpact.domains.complaints"
    label = "domain_complaints"
    verbose_name = "Domain privacy complaints"
