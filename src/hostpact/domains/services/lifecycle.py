"""The end of a domain's life with the platform: expiry and its grace, transfer out, deletion.

A domain past its expiry date becomes "expired" for a 30-day grace in which ``renew_domain``
still brings it back; after the grace it is deleted at the registry. A subscriber may also
end it by choice: release it for transfer to another registrar (``release_for_transfer``: not
in the 60 days after registration, ICANN's Transfer Policy) or delete it (``delete_domain``).
Sponsorship then ends (``end_sponsorship``: state ``transferred_out`` or ``deleted``, with the
date), and the 2-year keep of its registration data begins: each contact no domain of ours
uses any more gets a ``KeyExpiry`` at the end of that keep, so the retention run shreds the
contact's key on time (``schedule_key_expiry``).
"""

import logging
from collections.abc import Iterable
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Max

from hostpact.core import audit, clock
from hostpact.core.mail import queue_mail
from hostpact.domains import publication
from hostpact.domains.models import REGISTRATION, SPONSORED_STATES, Contact, Domain, DomainContact
from hostpact.domains.queries import shown
from hostpact.domains.registry import RegistryError, connector
from hostpact.domains.services.changes import new_auth_code, set_transfer_lock
from hostpact.domains.services.common import DomainError, _locked, _refused
from hostpact.privacy.rights.guard import SubjectErased
from hostpact.privacy.rights.models import KeyExpiry

log = logging.getLogger(__name__)

ACTOR = "system:domains"
GRACE = timedelta(days=30)  # after expiry, still renewable; then deleted at the registry
KEEP = relativedelta(years=2)  # registration data after sponsorship ends (ICANN RAA 3.4)
S = Domain.State
SPONSORED = SPONSORED_STATES
ENDED = (S.TRANSFERRED_OUT, S.DELETED)


def sponsored(user):
    """Return ``user``'s domains the platform still sponsors at the registry."""
    return Domain.objects.filter(user=user, state__in=SPONSORED)


def _day(moment) -> str:
    return moment.date().isoformat()


def _tell(domain: Domain, subject_line: str, body: str) -> None:
    user = domain.user
    if user.is_active and user.email:
        queue_mail(domain.subject_id, user.email, subject_line, f"Hello,\n\n{body}\n")


# --- the end of sponsorship and the keep it starts --------------------------------------------

def schedule_key_expiry(contacts: Iterable[Contact]) -> int:
    """Give each of ``contacts`` that no sponsored domain uses a ``KeyExpiry`` of its
    registration key, due 2 years after the last of its domains ended (now for a contact
    that never had one); a later end moves a pending expiry later. Return how many."""
    now, count = clock.now(), 0
    for contact in contacts:
        roles = DomainContact.objects.filter(contact=contact)
        if roles.filter(domain__state__in=SPONSORED).exists():
            continue
        last = roles.aggregate(last=Max("domain__ended_at"))["last"]
        due = (last + KEEP) if last else now
        expiry, made = KeyExpiry.objects.get_or_create(
            subject_id=contact.contact_subject_id, retention_class=REGISTRATION,
            defaults={"due_at": due})
        if not made and expiry.shredded_at is None and expiry.due_at < due:
            expiry.due_at = due
            expiry.save(update_fields=["due_at"])
        count += 1
    return count


def keep_contact_keys(contacts: Iterable[Contact]) -> None:
    """Call off the pending key expiries of ``contacts``: a new domain uses them again."""
    KeyExpiry.objects.filter(subject_id__in=[c.contact_subject_id for c in contacts],
                             retention_class=REGISTRATION, shredded_at__isnull=True).delete()


def _end(domain: Domain, state: str, actor: str) -> Domain:
    """End the sponsorship of ``domain`` (locked by the caller); idempotent."""
    if domain.state in ENDED:
        return domain
    domain.state, domain.ended_at = state, clock.now()
    domain.auth_code_hash, domain.auto_renew, domain.updated_at = "", False, clock.now()
    domain.save(update_fields=["state", "ended_at", "auth_code_hash", "auto_renew",
                               "updated_at"])
    schedule_key_expiry(Contact.objects.filter(roles__domain=domain).distinct())
    audit.record(actor, f"domains.domain.{state}", domain.subject_id, ["state", "ended_at"],
                 f"domain:{domain.pk}")
    publication.changed(domain)
    return domain


@transaction.atomic
def end_sponsorship(domain: Domain, *, state: str, actor: str) -> Domain:
    """Record that the platform no longer sponsors ``domain`` (``transferred_out`` or
    ``deleted``); its registration data is kept 2 years from now. Idempotent."""
    if state not in ENDED:
        raise ValueError(f"sponsorship ends as one of {ENDED}, not {state!r}")
    return _end(_locked(domain), state, actor)


def delete_at_registry(domain: Domain) -> None:
    """Delete ``domain`` at the registry (gone already counts as done)."""
    client = connector()
    try:
        if "clientDeleteProhibited" in domain.statuses:
            client.update(domain.name, remove_statuses=("clientDeleteProhibited",))
        client.delete(domain.name)
    except RegistryError as exc:
        if exc.code != "not_found":
            raise _refused(exc, "domain") from None


def _sponsored_or_refuse(domain: Domain) -> None:
    if domain.state not in SPONSORED:
        raise DomainError(f"{shown(domain.name)} is no longer registered with us.", "domain",
                          "not_sponsored")


# --- the subscriber's choices -----------------------------------------------------------------

@transaction.atomic
def delete_domain(domain: Domain, *, actor: str) -> Domain:
    """Delete ``domain`` at the registry by the subscriber's choice; sponsorship ends."""
    domain = _locked(domain)
    _sponsored_or_refuse(domain)
    delete_at_registry(domain)
    _end(domain, S.DELETED, actor)
    _tell(domain, f"{shown(domain.name)} has been deleted",
          f"as you asked, {shown(domain.name)} was deleted at the registry on "
          f"{_day(domain.ended_at)}; anyone may register it again. We keep its registration "
          f"data until {_day(domain.ended_at + KEEP)}, as the registrar agreement requires, "
          "and then destroy it.")
    return domain


@transaction.atomic
def release_for_transfer(domain: Domain, *, actor: str) -> str:
    """Release ``domain`` for transfer to another registrar and return a new auth code
    (shown this once): the transfer lock is lifted and the state is ``transferring_out``
    until the registry reports the transfer. Refused in the 60 days after registration."""
    domain = _locked(domain)
    _sponsored_or_refuse(domain)
    if clock.now() < domain.transfer_lock_until:
        raise DomainError(
            f"{shown(domain.name)} was registered on {_day(domain.created_at)}, and ICANN's "
            "transfer policy allows no transfer in the 60 days after registration: it can be "
            f"transferred out from {_day(domain.transfer_lock_until)}.", "transfer",
            "transfer_lock_period")
    if domain.transfer_locked:
        set_transfer_lock(domain, False, actor=actor)
    code = new_auth_code(domain, actor=actor)
    domain = Domain.objects.get(pk=domain.pk)
    domain.state, domain.updated_at = S.TRANSFERRING_OUT, clock.now()
    domain.save(update_fields=["state", "updated_at"])
    audit.record(actor, "domains.domain.release_for_transfer", domain.subject_id, ["state"],
                 f"domain:{domain.pk}")
    publication.changed(domain)
    return code


# --- what the clock and the registry bring ----------------------------------------------------

@transaction.atomic
def expire_domain(domain: Domain, *, actor: str = ACTOR) -> bool:
    """Mark ``domain`` expired once past its expiry date and tell the subscriber; return
    whether it changed (idempotent)."""
    domain = _locked(domain)
    if domain.state != S.ACTIVE or domain.expires_at > clock.now():
        return False
    domain.state, domain.updated_at = S.EXPIRED, clock.now()
    domain.save(update_fields=["state", "updated_at"])
    audit.record(actor, "domains.domain.expire", domain.subject_id, ["state"],
                 f"domain:{domain.pk}")
    publication.changed(domain)
    _tell(domain, f"{shown(domain.name)} has expired",
          f"{shown(domain.name)} expired on {_day(domain.expires_at)}. Renew it by "
          f"{_day(domain.expires_at + GRACE)} to keep it; after that day it is deleted at "
          "the registry and anyone may register it.")
    return True


@transaction.atomic
def delete_expired_domain(domain: Domain, *, actor: str = ACTOR) -> bool:
    """Delete ``domain`` at the registry once its grace is over and tell the subscriber;
    return whether it changed (idempotent)."""
    domain = _locked(domain)
    if (domain.state not in (S.EXPIRED, S.TRANSFERRING_OUT)
            or clock.now() < domain.expires_at + GRACE):
        return False
    delete_at_registry(domain)
    _end(domain, S.DELETED, actor)
    _tell(domain, f"{shown(domain.name)} has been deleted",
          f"{shown(domain.name)} was not renewed within the 30 days after it expired, so it "
          f"was deleted at the registry on {_day(domain.ended_at)}. We keep its registration "
          f"data until {_day(domain.ended_at + KEEP)}, as the registrar agreement requires, "
          "and then destroy it.")
    return True


def run_expiry(*, actor: str = ACTOR) -> dict[str, int]:
    """Expire the domains past their date and delete those past the grace; return counts."""
    now = clock.now()
    counts = {"expired": 0, "deleted": 0}
    due = [(expire_domain, "expired", Domain.objects.filter(state=S.ACTIVE,
                                                            expires_at__lte=now)),
           (delete_expired_domain, "deleted", Domain.objects.filter(
               state__in=(S.EXPIRED, S.TRANSFERRING_OUT), expires_at__lte=now - GRACE))]
    for action, key, rows in due:
        for domain in rows.only("pk", "subject_id").iterator():
            try:
                counts[key] += action(domain, actor=actor)
            except (DomainError, SubjectErased) as exc:  # one domain must not stop the rest
                log.warning("domain %s: %s refused (%s)", domain.pk, key, type(exc).__name__)
    return counts


def settle_transfers(*, actor: str = ACTOR) -> int:
    """End the sponsorship of each domain the registry reports transferred to another
    registrar (its poll messages, and a look at every domain released for transfer); return
    how many ended. Idempotent."""
    client = connector()
    messages = client.poll()
    names = {m.domain for m in messages}
    names |= set(Domain.objects.filter(state=S.TRANSFERRING_OUT).values_list("name", flat=True))
    ended = 0
    for domain in Domain.objects.filter(name__in=names, state__in=SPONSORED):
        try:
            sponsor = client.info(domain.name).sponsor
        except RegistryError:
            continue
        if sponsor == client.registrar_id:
            continue
        domain = end_sponsorship(domain, state=S.TRANSFERRED_OUT, actor=actor)
        ended += 1
        _tell(domain, f"{shown(domain.name)} has moved to another registrar",
              f"the transfer of {shown(domain.name)} to another registrar was completed on "
              f"{_day(domain.ended_at)}. We keep its registration data until "
              f"{_day(domain.ended_at + KEEP)}, as the registrar agreement requires, and then "
              "destroy it.")
    for message in messages:
        client.poll(ack=message.id)
    return ended
