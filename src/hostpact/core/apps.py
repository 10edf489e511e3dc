from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hostpact.core"
    label = "core"
    verbose_name = "Core mechanisms"
