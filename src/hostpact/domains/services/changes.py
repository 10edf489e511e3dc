"""Changes of a registered domain: renewal, name servers, transfer lock, auth code, privacy.

The auth code of a transfer is shown once and kept only as a keyed hash.
"""

import hmac
import secrets
import string

from dateutil.relativedelta import relativedelta
from django.db import transaction

from hostpact.core import audit, clock, crypto
from hostpact.domains import publication
from hostpact.domains.models import (
    CLIENT_TRANSFER_PROHIBITED,
    MAX_YEARS,
    TRANSFER_LOCK_DAYS,
    Domain,
    Nameserver,
)
from hostpact.domains.registry import RegistryError, connector
from hostpact.domains.services.common import DomainError, _locked, _refused, _years
from hostpact.domains.services.nameservers import clean_nameservers
from hostpact.domains.services.privacy_service import domain_registry_contacts

AUTH_CODE_ALPHABET = string.ascii_letters + string.digits + "!#$%*+-=?@^_~"
AUTH_CODE_LENGTH = 16
AUTH_CODE_INDEX = "domain_auth_code"


@transaction.atomic
def renew_domain(domain: Domain, years: int, *, actor: str) -> Domain:
    """Extend ``domain`` by ``years``; the registration may not run past 10 years from now.
    An expired domain (in its 30-day grace) is active again."""
    domain = _locked(domain)
    if domain.state in (Domain.State.TRANSFERRED_OUT, Domain.State.DELETED):
        raise DomainError(f"{domain.name} is no longer registered with us.", "domain",
                          "not_sponsored")
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
    if domain.state == Domain.State.EXPIRED:
        domain.state = Domain.State.ACTIVE
    domain.save(update_fields=["expires_at", "updated_at", "state"])
    audit.record(actor, "domains.domain.renew", domain.subject_id, ["expires_at"],
                 f"domain:{domain.pk}")
    publication.changed(domain)
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
    publication.changed(domain)
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
    publication.changed(domain)
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
    """Switch the domain privacy service on or off for ``domain``: the registry then holds
    the privacy service's contact for every role, or again the customer's own contacts (a
    disclosure of them, recorded by the registry client)."""
    domain = _locked(domain)
    if domain.privacy != bool(on):
        domain.privacy = bool(on)
        try:
            connector().update(domain.name, owner_subject_id=domain.subject_id, actor=actor,
                               contacts=domain_registry_contacts(domain))
        except RegistryError as exc:
            raise _refused(exc, "privacy") from None
    domain.updated_at = clock.now()
    domain.save(update_fields=["privacy", "updated_at"])
    audit.record(actor, "domains.domain.privacy", domain.subject_id, ["privacy"],
                 f"domain:{domain.pk}")
    publication.changed(domain)
    return domain
