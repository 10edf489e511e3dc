"""The brand a page is rendered under: the platform's own, or a reseller's white label.

Templates read ``brand`` (this module's context processor) for the name, the colours, the logo
and the support address, and never spell "hostpact" themselves, so a reseller's customers never
see another brand than their reseller's. The reseller's host middleware sets ``request.brand``.
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Brand:
    name: str
    support_email: str
    primary_colour: str = "#0b5cad"
    accent_colour: str = "#f2f6fb"
    logo_url: str = ""
    realm_id: int | None = None  # None: the platform's own brand
    reseller_id: int | None = None

    @property
    def white_label(self) -> bool:
        return self.realm_id is not None


def platform_brand() -> Brand:
    """Return the platform's own brand."""
    return Brand(name=settings.BRAND_NAME, support_email=f"support@{settings.MAIL_DOMAIN}")


def brand_of(request) -> Brand:
    """Return the brand ``request`` is served under."""
    return getattr(request, "brand", None) or platform_brand()


def context(request):
    """Template context processor: ``brand``."""
    return {"brand": brand_of(request)}
