"""Create, approve, suspend and end resellers; their host names and brand.

A reseller is three rows made together: its realm (where its customers' accounts live), its
disclosures recipient with the reseller agreement (the gate checks it before any customer data
reaches the reseller, and a lapsed agreement stops its selling) and the reseller itself.
"""

import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http.request import validate_host
from django.utils.text import slugify

from hostpact.core import audit, clock
from hostpact.core.models import Realm
from hostpact.privacy.disclosures.models import Agreement, Recipient
from hostpact.resellers import controller, hosts
from hostpact.resellers.models import Reseller, ResellerHost

# What a reseller may receive of its own customers' data (the gate keeps it to its realm).
CATEGORIES = ["user.name", "user.contact", "user.account", "user.financial.account_number",
              "user.content", "system.operations"]
PURPOSES = ["essential.service", "marketing.communications"]
HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")


class ResellerError(Exception):
    """A reseller change that cannot be made; ``field`` names what is wrong."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message, self.field = message, field


def clean_host(host: str) -> str:
    """Return ``host`` lower-cased; raise ``ResellerError`` if it is no host name this
    platform answers on."""
    host = (host or "").strip().lower().rstrip(".")
    if not HOST.match(host):
        raise ResellerError(f"{host!r} is not a host name (letters, digits, hyphens and dots, "
                            "like shop.example).", "host")
    if not validate_host(host, settings.ALLOWED_HOSTS):
        raise ResellerError(f"{host} is not in HOSTPACT_ALLOWED_HOSTS: add it (or a parent "
                            "domain, .example) so the platform answers on it.", "host")
    if ResellerHost.objects.filter(host=host).exists():
        raise ResellerError(f"{host} already belongs to a reseller.", "host")
    return host


def _unique_slug(name: str) -> str:
    base = slugify(name)[:56] or "reseller"
    slug, n = base, 1
    while Reseller.objects.filter(slug=slug).exists() or Recipient.objects.filter(
            slug=f"reseller-{slug}").exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_reseller(*, name: str, host: str, country: str = "IN", actor: str,
                    controller_name: str = "", controller_email: str = "",
                    controller_address: str = "", brand_name: str = "",
                    support_email: str = "", approve: bool = False,
                    agreement_reference: str = "", agreement_years: int = 3) -> Reseller:
    """Create a reseller with its realm, recipient, agreement and first host name; approve it
    at once when ``approve`` (staff creating it), else it waits for approval."""
    import holidays

    name = (name or "").strip()
    if not name:
        raise ResellerError("Give the reseller's name.", "name")
    country = (country or "IN").strip().upper()
    if country not in holidays.list_supported_countries():
        raise ResellerError(f"{country!r} is not a country code with a public-holiday "
                            "calendar (ISO 3166-1 alpha-2, like IN or DE).", "country")
    host = clean_host(host)
    now = clock.now()
    slug = _unique_slug(name)
    with transaction.atomic():
        realm = Realm.objects.create(name=name, created_at=now)
        recipient = Recipient.objects.create(
            slug=f"reseller-{slug}", name=name, kind=Recipient.Kind.RESELLER,
            allowed_categories=CATEGORIES, allowed_purposes=PURPOSES, created_at=now,
            realm=realm)
        today = clock.today()
        Agreement.objects.create(
            recipient=recipient, kind=Agreement.Kind.RESELLER,
            reference=agreement_reference or f"RA-{slug}"[:64], signed_on=today,
            valid_from=today, valid_until=today + timedelta(days=365 * agreement_years),
            confidentiality=True)
        reseller = Reseller.objects.create(
            slug=slug, name=name, realm=realm, recipient=recipient, country=country,
            controller_name=controller_name or f"Data protection officer, {name}",
            controller_email=controller_email or f"privacy@{host}",
            controller_address=controller_address or name,
            brand_name=brand_name or name, support_email=support_email or f"support@{host}",
            created_at=now)
        ResellerHost.objects.create(reseller=reseller, host=host, primary=True)
        audit.record(actor, "resellers.create", None, [], f"reseller:{reseller.pk}")
        if approve:
            _set_state(reseller, Reseller.State.APPROVED, actor)
    hosts.forget()
    controller.forget()
    return reseller


def _set_state(reseller: Reseller, state: str, actor: str) -> None:
    reseller.state = state
    fields = ["state"]
    if state == Reseller.State.APPROVED and reseller.approved_at is None:
        reseller.approved_at, reseller.approved_by = clock.now(), actor[:64]
        fields += ["approved_at", "approved_by"]
    if state == Reseller.State.ENDED:
        reseller.ended_at = clock.now()
        fields.append("ended_at")
    reseller.save(update_fields=fields)
    audit.record(actor, f"resellers.{state}", None, [], f"reseller:{reseller.pk}")


@transaction.atomic
def approve_reseller(reseller: Reseller, *, actor: str) -> Reseller:
    """Let a pending (or suspended) reseller sell."""
    if reseller.state == Reseller.State.ENDED:
        raise ResellerError("The relationship with this reseller has ended.", "state")
    _set_state(reseller, Reseller.State.APPROVED, actor)
    transaction.on_commit(hosts.forget)
    return reseller


@transaction.atomic
def suspend_reseller(reseller: Reseller, *, actor: str) -> Reseller:
    """Stop a reseller selling; its customers keep their services and their rights."""
    _set_state(reseller, Reseller.State.SUSPENDED, actor)
    transaction.on_commit(hosts.forget)
    return reseller


@transaction.atomic
def add_host(reseller: Reseller, host: str, *, actor: str, primary: bool = False
             ) -> ResellerHost:
    """Add a host name the reseller's storefront answers on."""
    row = ResellerHost.objects.create(reseller=reseller, host=clean_host(host), primary=primary)
    if primary:
        ResellerHost.objects.filter(reseller=reseller).exclude(pk=row.pk).update(primary=False)
    audit.record(actor, "resellers.host.add", None, [], f"reseller:{reseller.pk}")
    transaction.on_commit(hosts.forget)
    return row


def selling_refusal(reseller: Reseller) -> str:
    """Return why ``reseller`` may not sell now ("" when it may): not approved, or no
    reseller agreement in force."""
    if reseller.state != Reseller.State.APPROVED:
        return f"The reseller is {reseller.get_state_display().lower()}."
    today = clock.today()
    if not any(a.valid_on(today) for a in reseller.recipient.agreements.all()):
        return f"The reseller agreement is not in force on {today}: renew it to sell again."
    return ""
