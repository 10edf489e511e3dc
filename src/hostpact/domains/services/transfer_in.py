"""Transfer in: a domain held at another registrar moves to the platform.

The subscriber proves the holder's consent with the domain's auth code; the registry compares
keyed hashes, so the code itself is never sent or kept. Once the registry has moved the
sponsorship (adding the year the ICANN Transfer Policy gives), the registrar's own record is
made as a registration makes it: the four contacts (submitted to the registry through the
client, each submission disclosed), the name servers, the 60-day transfer lock and the
registrant's verification mail.
"""


from django.db import transaction

from hostpact.core import clock
from hostpact.domains.models import (
    CLIENT_TRANSFER_PROHIBITED,
    SPONSORED_STATES,
    Domain,
)
from hostpact.domains.registry import Host, RegistryError, connector
from hostpact.domains.services.changes import auth_code_hash
from hostpact.domains.services.common import DomainError, _domain_name, _refused
from hostpact.domains.services.nameservers import clean_nameservers
from hostpact.domains.services.privacy_service import registry_contacts
from hostpact.domains.services.registration import record_sponsorship, resolve_roles
from hostpact.privacy.rights.guard import lock_subject_for_write


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
    if Domain.objects.filter(name=domain_name.ascii, state__in=SPONSORED_STATES).exists():
        raise DomainError(f"{domain_name.unicode} is already registered with us.", "name",
                          "already_ours")
    hosts = clean_nameservers(domain_name.ascii, nameservers) if nameservers else None
    resolved = resolve_roles(user, contacts, actor)
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
    return record_sponsorship(user, domain_name.ascii, info, created_at=clock.now(),
                              hosts=hosts, resolved=resolved, privacy=privacy,
                              action="domains.domain.transfer_in", actor=actor)
