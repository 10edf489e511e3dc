from django.apps import AppConfig


class ResellersConfig(AppConfig):
    name = "hostpact.resellers"
    label = "resellers"
    verbose_name = "Resellers"

    def ready(self):
        from hostpact.resellers import datamap  # noqa: F401 - declares the app's fields
