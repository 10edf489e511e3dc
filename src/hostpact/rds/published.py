"""What the registration data directories may publish about a domain: the rules in one place.

WHOIS and RDAP render the same ``PublishedDomain`` (policy 4.7, C27), so they can never
disagree on what is shown:

* a contact who consented to publication (``Contact.publish``) is shown in full;
* any other contact is redacted: name, street, city, postal code, phone, fax and the handle
  are withheld; organization, state/province and country stay; instead of the email address
  there is the URL of a web form that forwards a message without revealing it;
* a domain with the privacy service on (policy 4.8) shows the service's own contact for every
  role, with the forwarding form, and nothing of the customer.

Only sponsored domains are published; an ended registration is kept (2 years) but not shown.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import get_script_prefix, reverse

from hostpact.domains.models import SPONSORED_STATES, Contact, Domain, DomainContact
from hostpact.domains.queries import shown

ROLES = ("registrant", "admin", "tech", "billing")
# Fields a redacted contact withholds (the handle too); the others stay.
WITHHELD = ("handle", "name", "street", "city", "postal_code", "phone", "fax", "email")
KEPT = ("organization", "region", "country")


@dataclass(frozen=True)
class PublishedContact:
    """One role's contact as published. Withheld fields are empty and named in ``withheld``."""

    role: str
    handle: str
    name: str
    organization: str
    street: tuple[str, ...]
    city: str
    region: str
    postal_code: str
    country: str
    phone: str
    email: str
    form_url: str  # forwards a message to the contact without showing the address
    withheld: frozenset[str] = frozenset()
    privacy_service: bool = False

    @property
    def redacted(self) -> bool:
        return bool(self.withheld)


@dataclass(frozen=True)
class PublishedNameserver:
    host: str  # A-label
    unicode: str
    addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class PublishedDomain:
    name: str  # A-label
    unicode: str
    roid: str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    updated_at: datetime.datetime
    statuses: tuple[str, ...]  # EPP values
    nameservers: tuple[PublishedNameserver, ...]
    contacts: dict[str, PublishedContact] = field(default_factory=dict)  # role -> contact
    privacy: bool = False
    signed: bool = False  # DNSSEC: no DS data is taken yet, so always unsigned

    @property
    def is_idn(self) -> bool:
        return self.name != self.unicode


def registrar() -> dict:
    """The registrar's own published details (``settings.REGISTRAR``)."""
    return dict(settings.REGISTRAR)


_form_urls: dict[tuple[str, str], str] = {}  # (site, urlconf prefix) -> URL with markers
_LDH_NAME = re.compile(r"^[a-z0-9.-]+$")


def form_url(domain_name: str, role: str) -> str:
    """The absolute URL of the form that forwards a message to ``role`` of ``domain_name``."""
    # Reversed once with markers and filled in: records.rebuild asks four times a domain.
    # A-labels and role words need no escaping in a path.
    site = settings.SITE_URL.rstrip("/")
    key = (site, get_script_prefix())
    template = _form_urls.get(key)
    if template is None:
        path = reverse("rds:contact", kwargs={"name": "NAME-MARK", "role": "ROLE-MARK"})
        template = _form_urls[key] = f"{site}{path}"
    if not _LDH_NAME.match(domain_name):
        path = reverse("rds:contact", kwargs={"name": domain_name, "role": role})
        return f"{site}{path}"
    return template.replace("NAME-MARK", domain_name).replace("ROLE-MARK", role)


def _street(*lines) -> tuple[str, ...]:
    return tuple(line for line in lines if line)


def _of_contact(role: str, contact: Contact, domain_name: str) -> PublishedContact:
    street = _street(contact.line1, contact.line2)
    if contact.publish:
        return PublishedContact(
            role, contact.handle or "", contact.name or "", contact.organization or "", street,
            contact.city or "", contact.region or "", contact.postal_code or "",
            contact.country or "", contact.phone or "", contact.email or "",
            form_url(domain_name, role))
    return PublishedContact(
        role, "", "", contact.organization or "", (), "", contact.region or "", "",
        contact.country or "", "", "", form_url(domain_name, role), frozenset(WITHHELD))


def _of_service(role: str, domain_name: str) -> PublishedContact:
    config = settings.DOMAIN_PRIVACY_SERVICE
    return PublishedContact(
        role, str(config["handle"]), config["name"], config.get("organization", ""),
        _street(config.get("line1", ""), config.get("line2", "")), config.get("city", ""),
        config.get("region", ""), config.get("postal_code", ""), config.get("country", ""),
        config.get("phone", ""), config.get("email", ""), form_url(domain_name, role),
        privacy_service=True)


def first_roles(contact_ids) -> dict[int, tuple[str, str]]:
    """contact id -> (domain name, role) of the first sponsored domain (by name) each serves,
    in its first role (registrant, admin, tech, billing): the forwarding form the contact's
    entity names. One query for them all."""
    found: dict[int, tuple[str, str]] = {}
    rows = (DomainContact.objects.filter(contact_id__in=list(contact_ids),
                                         domain__state__in=SPONSORED_STATES)
            .values_list("contact_id", "domain__name", "role"))
    for contact_id, name, role in sorted(rows, key=lambda r: (r[1], ROLES.index(r[2]))):
        found.setdefault(contact_id, (name, role))
    return found


def published_contact(contact: Contact, first_role: tuple[str, str] | None = None
                      ) -> PublishedContact:
    """``contact`` as the entity look-up (RDAP ``/entity/``) shows it, outside any domain;
    ``first_role`` is its entry of ``first_roles`` when the caller has it."""
    if first_role is None:
        first_role = first_roles([contact.pk]).get(contact.pk)
    name, role = first_role or ("", "registrant")
    return _of_contact(role, contact, name)


def published_domain(domain: Domain) -> PublishedDomain | None:
    """What may be published about ``domain``; None when it is not sponsored."""
    if domain.state not in SPONSORED_STATES:
        return None
    prefetched = "roles" in getattr(domain, "_prefetched_objects_cache", {})  # records' batches
    roles = {r.role: r.contact for r in (domain.roles.all() if prefetched
                                         else domain.roles.select_related("contact"))}
    contacts = {
        role: (_of_service(role, domain.name) if domain.privacy
               else _of_contact(role, roles[role], domain.name))
        for role in ROLES if role in roles or domain.privacy}
    nameservers = tuple(PublishedNameserver(ns.host, shown(ns.host), tuple(ns.addresses))
                        for ns in domain.nameservers.all())
    return PublishedDomain(
        domain.name, shown(domain.name), domain.roid, domain.created_at, domain.expires_at,
        domain.updated_at, tuple(domain.statuses) or ("ok",), nameservers, contacts,
        privacy=domain.privacy)
