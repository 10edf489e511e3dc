from django.apps import AppConfig
from django.urls import reverse


class PanelConfig(AppConfig):
    """What combines several apps: sign-up with a card, the dashboard, "My information",
    ``/api/v1/me``, and the demo and bulk data."""

    name = "hostpact.panel"
    label = "panel"
    verbose_name = "Control panel"

    def banner_lines(self, site: str) -> list[str]:
        """Give ``hostpact serve`` the demo logins of ``bootstrap_demo`` to print in development."""
        from hostpact.panel.management.commands import bootstrap_demo as demo
        from hostpact.resellers import seeding as reseller

        login, back_office = reverse("accounts:login"), reverse("admin:index")
        return ["", "  demo logins (development only, created by `hostpact bootstrap_demo`):",
                f"    subscriber   {demo.DEMO_EMAIL} / {demo.DEMO_PASSWORD}   {site}{login}",
                f"    staff        {demo.STAFF_EMAIL} / {demo.STAFF_PASSWORD}  {site}{back_office}",
                f"    reseller     {reseller.OWNER_EMAIL} / {reseller.OWNER_PASSWORD}  "
                f"{site}{reverse('resellers:panel')}  (owner of {reseller.NAME})",
                f"  demo domains of the subscriber: {', '.join(demo.DEMO_DOMAINS)} "
                f"(domain privacy on for private-demo.test)",
                f"  to try a transfer in: {demo.TRANSFER_DOMAIN}, auth code "
                f"{demo.TRANSFER_AUTH_CODE}",
                f"  the reseller's storefront answers for Host: {reseller.HOST} "
                f"(curl -H 'Host: {reseller.HOST}' {site}); its customer "
                f"{reseller.CUSTOMER_EMAIL} / {reseller.CUSTOMER_PASSWORD} logs in there only"]
