from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "hostpact.community"
    label = "community"
    verbose_name = "Forums and testimonials"
