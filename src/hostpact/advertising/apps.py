from django.apps import AppConfig


class AdvertisingConfig(AppConfig):
    name = "hostpact.advertising"
    label = "advertising"
    verbose_name = "Advertising without identity"
