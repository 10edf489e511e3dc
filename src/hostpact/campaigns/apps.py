from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "hostpact.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns"
