from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "hostpact.storefront"
    label = "storefront"
    verbose_name = "Storefront"

    def ready(self):
        # Billing may not import domains: it finds a subscriber's domain (an order attached to
        # one) through the resolver registered here, above both.
        from hostpact.billing.attachments import register_domain_resolver
        from hostpact.domains.models import SPONSORED_STATES
        from hostpact.domains.queries import domain_of

        def resolve(user, text: str) -> str | None:
            domain = domain_of(user, text)
            return domain.name if domain and domain.state in SPONSORED_STATES else None

        register_domain_resolver(resolve)
