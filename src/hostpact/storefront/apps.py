from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "hostpact.storefront"
    label = "storefront"
    verbose_name = "Storefront"
