from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "hostpact.privacy.rights"
    label = "rights"
    verbose_name = "Rights (export, erasure, retention)"
