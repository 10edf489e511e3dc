from django.apps import AppConfig


class ResellersConfig(AppConfig):
    name = "hostpact.resellers"
    label = "resellers"
    verbose_name = "Resellers"

    def ready(self):
        from hostpact.resellers import datamap  # noqa: F401 - declares the app's fields

        self._register_requests()
        self._register_storefront()
        self._register_removals()

    def _register_removals(self):
        """Billing's service-ending and payment events open and cancel offboardings (C41);
        the back office home page shows the removal requests (C39)."""
        from hostpact.billing import events
        from hostpact.resellers.services import offboarding
        from hostpact.resellers.views import backoffice

        events.on_refunded(offboarding.on_refunded)
        events.on_paid(offboarding.on_paid)
        backoffice.register()

    def _register_storefront(self):
        """Billing and core ask for a realm's prices, brand and site through these."""
        from hostpact.billing.catalogue import register_realm_pricing
        from hostpact.core.branding import register_realm_sites
        from hostpact.resellers import hosts, pricing

        register_realm_pricing(pricing.realm_amount)
        register_realm_sites(hosts.brand_of_realm, hosts.site_url)

    def _register_requests(self):
        """The privacy layer asks a realm's controller (C38), the outbox skips marketing to
        customers who stopped their reseller's contact (C40), support routes requests."""
        from hostpact.core import mail
        from hostpact.marketing.services import subscriptions
        from hostpact.privacy import controllers
        from hostpact.resellers import controller, support_actions
        from hostpact.resellers.services import choice

        controllers.register_resolver(controller.controller_of_realm)
        mail.register_send_filter(choice.skip_opted_out)
        subscriptions.on_leave(choice.after_leaving)
        support_actions.register()
