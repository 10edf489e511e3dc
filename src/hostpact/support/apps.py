from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "hostpact.support"
    label = "support"
    verbose_name = "Support desk"

    def ready(self):
        from hostpact.support import mailboxes

        mailboxes.register()
