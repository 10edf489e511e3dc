from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "hostpact.privacy"
    label = "privacy"
    verbose_name = "Privacy"

    def ready(self):
        # Each app's datamap.py declares its fields when imported.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("datamap")  # hostpact.privacy.registry holds them

        from hostpact.privacy import mail

        mail.install()
