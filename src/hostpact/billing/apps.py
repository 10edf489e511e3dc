from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "hostpact.billing"
    label = "billing"
    verbose_name = "Billing"
