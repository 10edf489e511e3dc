from django.apps import AppConfig


class PolicyConfig(AppConfig):
    name = "hostpact.privacy.policy"
    label = "policy"
    verbose_name = "Privacy policy"
