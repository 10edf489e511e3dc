"""The brand a page is rendered under: the platform's own, or a reseller's white label.

Templates read ``brand`` (this module's context processor) for the name, the colours, the logo
and the support address, and never spell "hostpact" themselves, so a reseller's customers never
see another brand than their reseller's. The reseller's host middleware sets ``request.brand``.

Mail is written outside a page, often in a task: ``brand_for_realm`` and ``site_url_for`` answer
the brand and the absolute base URL of a realm's customers, from the lookup the resellers app
registers (``register_realm_sites``), so core names no reseller.
"""

from collections.abc import Callable
from dataclasses import dataclass
from email.utils import formataddr, parseaddr

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


_brand_of_realm: Callable[[int], Brand | None] | None = None
_url_of_realm: Callable[[int], str | None] | None = None


def register_realm_sites(brand_of_realm: Callable[[int], Brand | None],
                         url_of_realm: Callable[[int], str | None]) -> None:
    """Set the functions that turn a realm id into its brand and its site's base URL."""
    global _brand_of_realm, _url_of_realm
    _brand_of_realm, _url_of_realm = brand_of_realm, url_of_realm


def brand_for_realm(realm_id: int | None) -> Brand:
    """Return the brand ``realm_id``'s customers know (ours for None or an unknown realm)."""
    found = _brand_of_realm(realm_id) if realm_id is not None and _brand_of_realm else None
    return found or platform_brand()


def site_url_for(realm_id: int | None) -> str:
    """Return the absolute base URL (no trailing slash) links to ``realm_id``'s customers use."""
    found = _url_of_realm(realm_id) if realm_id is not None and _url_of_realm else None
    return (found or settings.SITE_URL).rstrip("/")


def from_address(realm_id: int | None) -> str | None:
    """Return the From header of mail to ``realm_id``'s customers: our address under their
    brand's name (None for ours: the default From)."""
    if realm_id is None:
        return None
    brand = brand_for_realm(realm_id)
    if not brand.white_label:
        return None
    return formataddr((brand.name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))


def brand_of(request) -> Brand:
    """Return the brand ``request`` is served under."""
    return getattr(request, "brand", None) or platform_brand()


def context(request):
    """Template context processor: ``brand``."""
    return {"brand": brand_of(request)}
