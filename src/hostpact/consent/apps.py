from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "hostpact.consent"
    label = "consent"
    verbose_name = "Cookies and consent"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save

        from hostpact.consent import services, versions
        from hostpact.privacy.policy.models import PolicyVersion

        post_save.connect(versions.forget, sender=PolicyVersion,
                          dispatch_uid="consent-policy-version")
        user_logged_in.connect(services.link_on_login, dispatch_uid="consent-link-on-login")
