from django.apps import AppConfig


class MarketingConfig(AppConfig):
    name = "hostpact.marketing"
    label = "marketing"
    verbose_name = "Mail lists and subscriptions"

    @property
    def wsgi_mounts(self):
        """The unsubscribe route, whose POSTs ``marketing.lean`` answers before Django
        (``core.mounts``); its prefix is reversed, as every site path is."""
        from hostpact.marketing.lean import prefix

        return {prefix(): "hostpact.marketing.lean.application"}

    def ready(self):
        # Subscriptions and suppressions are checked when each batch leaves, not when queued;
        # the mailto unsubscribe address is a mailbox of the inbound server.
        from hostpact.core import mail
        from hostpact.marketing import feedback, sending, unsubscribe

        mail.register_send_filter(sending.skip_unwanted)
        unsubscribe.register_mailbox()
        feedback.install()
