from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "hostpact.billing"
    label = "billing"
    verbose_name = "Billing"

    def ready(self):
        from hostpact.billing import widgets

        widgets.register()
