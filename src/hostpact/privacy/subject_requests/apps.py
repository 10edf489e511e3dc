from django.apps import AppConfig


class SubjectRequestsConfig(AppConfig):
    name = "hostpact.privacy.subject_requests"
    # The label predates the package's name: tables, migrations and admin URLs keep it.
    label = "requests"
    verbose_name = "Data-subject requests"

    def ready(self):
        from hostpact.privacy.subject_requests import widgets

        widgets.register()
