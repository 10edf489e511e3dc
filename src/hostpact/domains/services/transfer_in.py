"""Transfer in: a domain held at another registrar moves to the platform.

The subscriber proves the holder's consent with the domain's auth code; the registry compares
keyed hashes, so the code itself is never sent or kept. Once the registry has moved the
sponsorship (adding the year the ICANN Transfer Policy gives), the registrar's own record is
made as a registration makes it: the four contacts (submitted to the registry through the
client, each submission disclosed), the name servers, the 60-day transfer lock and the
registrant's verification mail.
"""

from datetime import timedelta

from django.db import transaction

from hostpact.core import audit, clock
from hostpact.domains.models import (
    CLIENT_TRANSFER_PROHIBITED,
    SPONSORED_STATES,
    TRANSFER_LOCK_DAYS,
    Domain,
    DomainContact,
    Nameserver,
)
from hostpact.domains.registry import Host, RegistryError, connector
from hostpact.domains.services.changes import auth_code_hash
from hostpact.domains.services.common import DomainError, _domain_name, _refused
from hostpact.domains.services.contacts import ROLES, _resolve_contact
from hostpact.domains.services.lifecycle import keep_contact_keys
from hostpact.domains.services.nameservers import clean_nameservers
from hostpact.domains.services.privacy_service import registry_contacts
from hostpact.domains.services.verification import send_registrant_verification
from hostpact.privacy.rights.guard import lock_subject_for_write


def _check_roles(contacts: dict) -> None:
    missing = [role for role in ROLES if role not in (contacts or {})]
    if missing:
        raise DomainError(f"Give the {missing[0]} contact.", f"contacts.{missing[0]}",
                          "contact_missing")
    unknown = sorted(set(contacts) - set(ROLES))
    if unknown:
        raise DomainError(f"{unknown[0]!r} is not a contact role.", f"contacts.{unknown[0]}",
                          "invalid_contact")


@transaction.atomic
def transfer_in_domain(user, name: str, *, auth_code: str, contacts: dict, nameservers=None,
                       privacy: bool = False, actor: str) -> Domain:
    """Transfer ``name`` from another registrar to ``user`` with its ``auth_code``, with the
    four contacts (each a ``Contact``, a handle, or a new contact's fields) and the given name
    servers (or those the registry has). Refused, nothing changes."""
    lock_subject_for_write(user.subject_id)
    domain_name = _domain_name(name)
    code = (auth_code or "").strip()
    if not code:
        raise DomainError("Give the domain's auth code (its current registrar issues it).",
                          "auth_code", "auth_code")
    _check_roles(contacts)
    if Domain.objects.filter(name=domain_name.ascii, state__in=SPONSORED_STATES).exists():
        raise DomainError(f"{domain_name.unicode} is already registered with us.", "name",
                          "already_ours")
    hosts = clean_nameservers(domain_name.ascii, nameservers) if nameservers else None
    made: dict = {}
    resolved = {role: _resolve_contact(user, contacts[role], f"contacts.{role}", actor, made)
                for role in ROLES}
    client = connector()
    try:
        if client.info(domain_name.ascii).sponsor == client.registrar_id:
            raise DomainError(f"{domain_name.unicode} is already registered with us.", "name",
                              "already_ours")
        info = client.transfer(domain_name.ascii,
                               auth_code_hash=auth_code_hash(domain_name.ascii, code))
    except RegistryError as exc:
        if exc.code == "auth_failed":
            raise DomainError("This auth code is not the domain's: ask its current registrar "
                              "for the code again.", "auth_code", "auth_code") from None
        raise _refused(exc) from None
    if hosts is None:
        hosts = [Host(h.host, h.addresses) for h in info.nameservers]
    try:
        info = client.update(domain_name.ascii, owner_subject_id=user.subject_id, actor=actor,
                             contacts=registry_contacts(resolved, bool(privacy)),
                             nameservers=hosts,
                             add_statuses=(CLIENT_TRANSFER_PROHIBITED,))
    except RegistryError as exc:
        raise _refused(exc) from None
    now = clock.now()
    statuses = [s for s in info.statuses if s != "ok"]
    domain = Domain.objects.create(
        name=domain_name.ascii, roid=info.roid, user=user, subject_id=user.subject_id,
        created_at=now, expires_at=info.expires_at, updated_at=now, auto_renew=True,
        statuses=statuses, privacy=bool(privacy),
        transfer_lock_until=now + timedelta(days=TRANSFER_LOCK_DAYS))
    Nameserver.objects.bulk_create([
        Nameserver(domain=domain, host=h.host, addresses=list(h.addresses), position=i)
        for i, h in enumerate(hosts)])
    DomainContact.objects.bulk_create([DomainContact(domain=domain, contact=c, role=r)
                                       for r, c in resolved.items()])
    keep_contact_keys(resolved.values())  # a contact in use again is kept, not shredded
    audit.record(actor, "domains.domain.transfer_in", user.subject_id,
                 ["name", "created_at", "expires_at", "statuses", "privacy"],
                 f"domain:{domain.pk}")
    send_registrant_verification(resolved["registrant"])  # queued: mailed once this commits
    return domain
