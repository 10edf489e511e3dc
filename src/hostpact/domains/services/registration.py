"""Registering a domain: one transaction from the contacts to the registrar's rows.

The contacts it creates, the disclosure of their data to the registry (``registry.Client``),
the registry's create and the registrar's rows commit together or not at all, so a refusal
anywhere (a name taken meanwhile, the registry's no) leaves nothing behind.
"""

from datetime import timedelta

from django.db import transaction

from hostpact.core import audit, clock
from hostpact.domains import publication
from hostpact.domains.models import (
    CLIENT_TRANSFER_PROHIBITED,
    SPONSORED_STATES,
    TRANSFER_LOCK_DAYS,
    Domain,
    DomainContact,
    Nameserver,
)
from hostpact.domains.registry import RegistryError, connector
from hostpact.domains.services.common import DomainError, _domain_name, _refused, _years
from hostpact.domains.services.contacts import ROLES, _resolve_contact
from hostpact.domains.services.lifecycle import keep_contact_keys
from hostpact.domains.services.nameservers import clean_nameservers
from hostpact.domains.services.privacy_service import registry_contacts
from hostpact.domains.services.verification import send_registrant_verification
from hostpact.privacy.rights.guard import lock_subject_for_write


def resolve_roles(user, contacts: dict, actor: str) -> dict:
    """Return the four roles' contacts (each given as a ``Contact``, a handle, or a new
    contact's fields; the same fields for several roles make one contact)."""
    missing = [role for role in ROLES if role not in (contacts or {})]
    if missing:
        raise DomainError(f"Give the {missing[0]} contact.", f"contacts.{missing[0]}",
                          "contact_missing")
    unknown = sorted(set(contacts) - set(ROLES))
    if unknown:
        raise DomainError(f"{unknown[0]!r} is not a contact role.", f"contacts.{unknown[0]}",
                          "invalid_contact")
    made: dict = {}
    return {role: _resolve_contact(user, contacts[role], f"contacts.{role}", actor, made)
            for role in ROLES}


def record_sponsorship(user, name: str, info, *, created_at, hosts, resolved: dict,
                       privacy: bool, action: str, actor: str) -> Domain:
    """Write the registrar's rows of a domain the registry now has us sponsor (``info``):
    the domain with its 60-day transfer lock, its name servers and contact roles; audit
    ``action`` and mail the registrant's verification link once this commits."""
    statuses = [s for s in info.statuses if s != "ok"]
    if CLIENT_TRANSFER_PROHIBITED not in statuses:
        statuses.append(CLIENT_TRANSFER_PROHIBITED)
    domain = Domain.objects.create(
        name=name, roid=info.roid, user=user, subject_id=user.subject_id,
        created_at=created_at, expires_at=info.expires_at, updated_at=clock.now(),
        auto_renew=True, statuses=statuses, privacy=bool(privacy),
        transfer_lock_until=created_at + timedelta(days=TRANSFER_LOCK_DAYS))
    Nameserver.objects.bulk_create([
        Nameserver(domain=domain, host=h.host, addresses=list(h.addresses), position=i)
        for i, h in enumerate(hosts)])
    DomainContact.objects.bulk_create([DomainContact(domain=domain, contact=c, role=r)
                                       for r, c in resolved.items()])
    keep_contact_keys(resolved.values())  # a contact in use again is kept, not shredded
    audit.record(actor, action, user.subject_id,
                 ["name", "created_at", "expires_at", "statuses", "privacy"],
                 f"domain:{domain.pk}")
    send_registrant_verification(resolved["registrant"])  # queued: mailed once this commits
    publication.changed(domain)
    return domain


@transaction.atomic
def register_domain(user, name: str, *, years: int, nameservers, contacts: dict,
                    privacy: bool = False, actor: str) -> Domain:
    """Register ``name`` for ``user`` for 1–10 years, with 2–13 name servers and the four
    contacts (each a ``Contact``, a handle, or a new contact's fields)."""
    lock_subject_for_write(user.subject_id)
    domain_name = _domain_name(name)
    years = _years(years)
    hosts = clean_nameservers(domain_name.ascii, nameservers)
    if Domain.objects.filter(name=domain_name.ascii, state__in=SPONSORED_STATES).exists():
        raise DomainError(f"{domain_name.unicode} is already registered.", "name", "taken")
    resolved = resolve_roles(user, contacts, actor)
    client = connector()
    try:
        if not client.check([domain_name.ascii]).get(domain_name.ascii):
            raise DomainError(f"{domain_name.unicode} is already registered.", "name", "taken")
        info = client.create(domain_name.ascii, owner_subject_id=user.subject_id, actor=actor,
                             years=years, nameservers=hosts,
                             contacts=registry_contacts(resolved, bool(privacy)),
                             statuses=(CLIENT_TRANSFER_PROHIBITED,))
    except RegistryError as exc:
        raise _refused(exc) from None
    return record_sponsorship(user, domain_name.ascii, info, created_at=info.created_at,
                              hosts=hosts, resolved=resolved, privacy=privacy,
                              action="domains.domain.register", actor=actor)
