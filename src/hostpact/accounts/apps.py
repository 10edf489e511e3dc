from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hostpact.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from hostpact.accounts import presenters, signals  # noqa: F401
