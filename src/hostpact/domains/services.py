"""Domain actions. Each runs in a transaction, locks its subscriber first, writes its audit event.

A registration is one transaction: the contacts it creates, the disclosure of their data to
the registry (``registry.Client``), the registry's create and the registrar's rows commit
together or not at all, so a refusal anywhere (a name taken meanwhile, the registry's no)
leaves nothing behind. The auth code of a transfer is shown once and kept only as a keyed hash.
"""

import hmac
import ipaddress
import secrets
import string
from dataclasses import dataclass
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction

from hostpact.core import audit, clock, crypto
from hostpact.core.models import Subject
from hostpact.core.subjects import create_subject
from hostpact.domains.forms import ContactForm
from hostpact.domains.models import (
    CLIENT_TRANSFER_PROHIBITED,
    MAX_NAMESERVERS,
    MAX_YEARS,
    MIN_NAMESERVERS,
    MIN_YEARS,
    TRANSFER_LOCK_DAYS,
    Contact,
    Domain,
    DomainContact,
    Nameserver,
)
from hostpact.domains.names import Name, NameRefused, parse_domain, parse_host
from hostpact.domains.registry import (
    CONTACT_FIELDS,
    ContactData,
    Host,
    RegistryError,
    connector,
)
from hostpact.privacy.rights.guard import lock_subject_for_write

ROLES = tuple(DomainContact.Role.values)
AUTH_CODE_ALPHABET = string.ascii_letters + string.digits + "!#$%*+-=?@^_~"
AUTH_CODE_LENGTH = 16
AUTH_CODE_INDEX = "domain_auth_code"


class DomainError(Exception):
    """A domain action was refused; ``field`` names what is wrong, ``code`` says why.
    Nothing was changed."""

    def __init__(self, message: str, field: str = "", code: str = "invalid"):
        super().__init__(message)
        self.field, self.code = field, code


def _domain_name(text: str, field: str = "name") -> Name:
    try:
        return parse_domain(text)
    except NameRefused as exc:
        raise DomainError(str(exc), field, exc.rule) from None


# --- availability ------------------------------------------------------------------------

@dataclass(frozen=True)
class Availability:
    query: str
    name: Name | None  # None when the name is not valid
    available: bool
    reason: str = ""  # why not: the rule broken, or "taken"
    message: str = ""


def check_availability(names: list[str]) -> list[Availability]:
    """For each of ``names``: whether it can be registered, and if not, why."""
    parsed: list[tuple[str, Name | None, NameRefused | None]] = []
    for text in names:
        try:
            parsed.append((text, parse_domain(text), None))
        except NameRefused as exc:
            parsed.append((text, None, exc))
    valid = list(dict.fromkeys(n.ascii for _, n, _ in parsed if n is not None))
    free = connector().check(valid) if valid else {}
    out = []
    for text, name, refusal in parsed:
        if name is None:
            out.append(Availability(text, None, False, refusal.rule, str(refusal)))
        elif free.get(name.ascii):
            out.append(Availability(text, name, True))
        else:
            out.append(Availability(text, name, False, "taken",
                                    f"{name.unicode} is already registered."))
    return out


# --- name servers ------------------------------------------------------------------------

def clean_nameservers(domain: str, items, field: str = "nameservers") -> list[Host]:
    """The name servers of ``domain`` (A-label): 2–13 distinct host names; glue addresses
    (IPv4/IPv6) required for a host inside the domain and refused for any other."""
    items = list(items or [])
    if not MIN_NAMESERVERS <= len(items) <= MAX_NAMESERVERS:
        raise DomainError(f"Give {MIN_NAMESERVERS} to {MAX_NAMESERVERS} name servers; "
                          f"{len(items)} given.", field, "nameserver_count")
    hosts, seen = [], set()
    for i, item in enumerate(items):
        where = f"{field}.{i}"
        text, addresses = (item, []) if isinstance(item, str) else (
            item.get("host", ""), list(item.get("addresses") or []))
        try:
            host = parse_host(text).ascii
        except NameRefused as exc:
            raise DomainError(f"Name server {text!r}: {exc}", where, exc.rule) from None
        if host in seen:
            raise DomainError(f"The name server {host} is given twice.", where,
                              "nameserver_repeated")
        seen.add(host)
        in_zone = host == domain or host.endswith("." + domain)
        if in_zone and not addresses:
            raise DomainError(f"{host} is inside {domain}: give its IP addresses (glue).",
                              where, "glue_required")
        if addresses and not in_zone:
            raise DomainError(f"{host} is outside {domain}: glue addresses are only for "
                              "hosts inside the domain.", where, "glue_not_allowed")
        clean = []
        for address in addresses:
            try:
                ip = ipaddress.ip_address(str(address).strip())
            except ValueError:
                raise DomainError(f"{address!r} is not an IPv4 or IPv6 address.", where,
                                  "glue_address") from None
            if not ip.is_global:
                raise DomainError(f"{ip} is not a public address.", where, "glue_address")
            clean.append(str(ip))
        hosts.append(Host(host, tuple(dict.fromkeys(clean))))
    return hosts


# --- contacts ------------------------------------------------------------------------------

def _clean_contact(data: dict, field: str) -> dict:
    form = ContactForm(data=data)
    if not form.is_valid():
        name, messages = next(iter(form.errors.items()))
        where = field if name == "__all__" else f"{field}.{name}"
        raise DomainError(f"{messages[0]}", where, "invalid_contact")
    return {k: (form.cleaned_data.get(k) or "") for k in CONTACT_FIELDS}


def _new_contact(user, clean: dict, actor: str) -> Contact:
    now = clock.now()
    contact = Contact.objects.create(
        user=user, subject_id=user.subject_id,
        contact_subject=create_subject(Subject.Kind.CONTACT),
        created_at=now, updated_at=now, **clean)
    contact.handle = f"C{contact.pk}-HP"
    contact.save(update_fields=["handle"])
    audit.record(actor, "domains.contact.create", user.subject_id, CONTACT_FIELDS,
                 contact.handle)
    return contact


@transaction.atomic
def create_contact(user, data: dict, actor: str) -> Contact:
    """Create a reusable contact of ``user`` from its fields (name, organization, email,
    phone, line1, line2, city, region, postal_code, country); unpublished."""
    lock_subject_for_write(user.subject_id)
    return _new_contact(user, _clean_contact(data, "contact"), actor)


def _resolve_contact(user, value, field: str, actor: str, made: dict) -> Contact:
    if isinstance(value, Contact):
        if value.user_id != user.pk:
            raise DomainError("You have no contact with this handle.", field, "unknown_contact")
        return value
    if isinstance(value, str):
        contact = Contact.objects.filter(handle=value.strip().upper(), user=user).first()
        if contact is None:
            raise DomainError(f"You have no contact with the handle {value.strip()!r}.", field,
                              "unknown_contact")
        return contact
    if isinstance(value, dict):
        clean = _clean_contact(value, field)
        key = tuple(sorted(clean.items()))
        if key not in made:  # the same data for several roles is one contact
            made[key] = _new_contact(user, clean, actor)
        return made[key]
    raise DomainError("Give a contact handle or the contact's fields.", field,
                      "invalid_contact")


def contact_data(contact: Contact) -> ContactData:
    """What the registry receives of ``contact``: its non-empty fields."""
    fields = {k: getattr(contact, k) for k in CONTACT_FIELDS if getattr(contact, k)}
    return ContactData(contact.handle, contact.contact_subject_id, fields)


# --- registration --------------------------------------------------------------------------

def _years(years, field="years") -> int:
    if isinstance(years, bool) or not isinstance(years, int) or not (
            MIN_YEARS <= years <= MAX_YEARS):
        raise DomainError(f"Register for {MIN_YEARS} to {MAX_YEARS} years.", field, "years")
    return years


def _refused(exc: RegistryError, field: str = "name") -> DomainError:
    return DomainError(f"The registry refused: {exc}", field, exc.code)


@transaction.atomic
def register_domain(user, name: str, *, years: int, nameservers, contacts: dict,
                    privacy: bool = False, actor: str) -> Domain:
    """Register ``name`` for ``user`` for 1–10 years, with 2–13 name servers and the four
    contacts (each a ``Contact``, a handle, or a new contact's fields)."""
    lock_subject_for_write(user.subject_id)
    domain_name = _domain_name(name)
    years = _years(years)
    hosts = clean_nameservers(domain_name.ascii, nameservers)
    missing = [role for role in ROLES if role not in (contacts or {})]
    if missing:
        raise DomainError(f"Give the {missing[0]} contact.", f"contacts.{missing[0]}",
                          "contact_missing")
    unknown = sorted(set(contacts) - set(ROLES))
    if unknown:
        raise DomainError(f"{unknown[0]!r} is not a contact role.", f"contacts.{unknown[0]}",
                          "invalid_contact")
    if Domain.objects.filter(name=domain_name.ascii).exists():
        raise DomainError(f"{domain_name.unicode} is already registered.", "name", "taken")
    made: dict = {}
    resolved = {role: _resolve_contact(user, contacts[role], f"contacts.{role}", actor, made)
                for role in ROLES}
    client = connector()
    try:
        if not client.check([domain_name.ascii]).get(domain_name.ascii):
            raise DomainError(f"{domain_name.unicode} is already registered.", "name", "taken")
        info = client.create(domain_name.ascii, owner_subject_id=user.subject_id, actor=actor,
                             years=years, nameservers=hosts,
                             contacts={r: contact_data(c) for r, c in resolved.items()},
                             statuses=(CLIENT_TRANSFER_PROHIBITED,))
    except RegistryError as exc:
        raise _refused(exc) from None
    statuses = [s for s in info.statuses if s != "ok"]
    if CLIENT_TRANSFER_PROHIBITED not in statuses:
        statuses.append(CLIENT_TRANSFER_PROHIBITED)
    domain = Domain.objects.create(
        name=domain_name.ascii, roid=info.roid, user=user, subject_id=user.subject_id,
        created_at=info.created_at, expires_at=info.expires_at, updated_at=clock.now(),
        auto_renew=True, statuses=statuses, privacy=bool(privacy),
        transfer_lock_until=info.created_at + timedelta(days=TRANSFER_LOCK_DAYS))
    Nameserver.objects.bulk_create([
        Nameserver(domain=domain, host=h.host, addresses=list(h.addresses), position=i)
        for i, h in enumerate(hosts)])
    DomainContact.objects.bulk_create([DomainContact(domain=domain, contact=c, role=r)
                                       for r, c in resolved.items()])
    audit.record(actor, "domains.domain.register", user.subject_id,
                 ["name", "created_at", "expires_at", "statuses", "privacy"],
                 f"domain:{domain.pk}")
    return domain


# --- changes of a registered domain --------------------------------------------------------

def _locked(domain: Domain) -> Domain:
    """Lock the domain's subscriber, then the domain's row; answer the fresh row."""
    lock_subject_for_write(domain.subject_id)
    return Domain.objects.select_for_update().get(pk=domain.pk)


@transaction.atomic
def renew_domain(domain: Domain, years: int, *, actor: str) -> Domain:
    """Extend ``domain`` by ``years``; the registration may not run past 10 years from now."""
    domain = _locked(domain)
    years = _years(years)
    new_expiry = domain.expires_at + relativedelta(years=years)
    if new_expiry > clock.now() + relativedelta(years=MAX_YEARS):
        raise DomainError(f"A domain can be registered at most {MAX_YEARS} years ahead.",
                          "years", "years")
    try:
        domain.expires_at = connector().renew(domain.name, years=years,
                                              current_expiry=domain.expires_at)
    except RegistryError as exc:
        raise _refused(exc, "years") from None
    domain.updated_at = clock.now()
    domain.save(update_fields=["expires_at", "updated_at"])
    audit.record(actor, "domains.domain.renew", domain.subject_id, ["expires_at"],
                 f"domain:{domain.pk}")
    return domain


@transaction.atomic
def set_auto_renew(domain: Domain, on: bool, *, actor: str) -> Domain:
    domain = _locked(domain)
    domain.auto_renew, domain.updated_at = bool(on), clock.now()
    domain.save(update_fields=["auto_renew", "updated_at"])
    audit.record(actor, "domains.domain.auto_renew", domain.subject_id, ["auto_renew"],
                 f"domain:{domain.pk}")
    return domain


@transaction.atomic
def set_nameservers(domain: Domain, nameservers, *, actor: str) -> Domain:
    domain = _locked(domain)
    hosts = clean_nameservers(domain.name, nameservers)
    try:
        connector().update(domain.name, nameservers=hosts)
    except RegistryError as exc:
        raise _refused(exc, "nameservers") from None
    domain.nameservers.all().delete()
    Nameserver.objects.bulk_create([
        Nameserver(domain=domain, host=h.host, addresses=list(h.addresses), position=i)
        for i, h in enumerate(hosts)])
    domain.updated_at = clock.now()
    domain.save(update_fields=["updated_at"])
    audit.record(actor, "domains.domain.nameservers", domain.subject_id, [],
                 f"domain:{domain.pk}")
    return domain


@transaction.atomic
def set_transfer_lock(domain: Domain, on: bool, *, actor: str) -> Domain:
    """Set or lift ``clientTransferProhibited``; it cannot be lifted in the 60 days after
    registration (ICANN Transfer Policy)."""
    domain = _locked(domain)
    if not on and clock.now() < domain.transfer_lock_until:
        until = domain.transfer_lock_until.date().isoformat()
        raise DomainError(f"A domain cannot be transferred in the {TRANSFER_LOCK_DAYS} days "
                          f"after its registration: the lock can be lifted from {until}.",
                          "transfer_lock", "transfer_lock_period")
    change = {"add_statuses": (CLIENT_TRANSFER_PROHIBITED,)} if on else {
        "remove_statuses": (CLIENT_TRANSFER_PROHIBITED,)}
    try:
        connector().update(domain.name, **change)
    except RegistryError as exc:
        raise _refused(exc, "transfer_lock") from None
    statuses = [s for s in domain.statuses if s != CLIENT_TRANSFER_PROHIBITED]
    domain.statuses = [*statuses, CLIENT_TRANSFER_PROHIBITED] if on else statuses
    domain.updated_at = clock.now()
    domain.save(update_fields=["statuses", "updated_at"])
    audit.record(actor, "domains.domain.transfer_lock", domain.subject_id, ["statuses"],
                 f"domain:{domain.pk}")
    return domain


def auth_code_hash(domain_name: str, code: str) -> str:
    return crypto.blind_index(AUTH_CODE_INDEX, f"{domain_name}:{code}")


def auth_code_matches(domain: Domain, code: str) -> bool:
    return bool(domain.auth_code_hash) and hmac.compare_digest(
        domain.auth_code_hash, auth_code_hash(domain.name, code))


@transaction.atomic
def new_auth_code(domain: Domain, *, actor: str) -> str:
    """Make a new transfer auth code and answer it: it is shown this once, and only its keyed
    hash is kept (here and at the registry). The previous code stops working."""
    domain = _locked(domain)
    code = "".join(secrets.choice(AUTH_CODE_ALPHABET) for _ in range(AUTH_CODE_LENGTH))
    digest = auth_code_hash(domain.name, code)
    try:
        connector().update(domain.name, auth_code_hash=digest)
    except RegistryError as exc:
        raise _refused(exc, "auth_code") from None
    domain.auth_code_hash, domain.updated_at = digest, clock.now()
    domain.save(update_fields=["auth_code_hash", "updated_at"])
    audit.record(actor, "domains.domain.auth_code", domain.subject_id, ["auth_code_hash"],
                 f"domain:{domain.pk}")
    return code


@transaction.atomic
def set_privacy(domain: Domain, on: bool, *, actor: str) -> Domain:
    """Switch the domain privacy service on or off for ``domain``."""
    domain = _locked(domain)
    domain.privacy, domain.updated_at = bool(on), clock.now()
    domain.save(update_fields=["privacy", "updated_at"])
    audit.record(actor, "domains.domain.privacy", domain.subject_id, ["privacy"],
                 f"domain:{domain.pk}")
    return domain
