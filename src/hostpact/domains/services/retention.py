"""Registration data after sponsorship ends: kept 2 years under the registrar agreement, then
gone (C41, the registrar's part), and what a subscriber's erasure does with it.

The keys go through the privacy spine: ``lifecycle.schedule_key_expiry`` gives each contact
no sponsored domain uses a ``KeyExpiry``, and the retention run shreds the key and clears the
ciphertext when it is due. The rows go here: ``purge_ended_registrations`` (a daily task)
deletes the domains whose sponsorship ended more than 2 years ago with their name servers and
roles, the contacts whose keep is over, and the registry's copies of them. A legal hold in
force on a subscriber or a contact keeps its rows.

Erasure: a subscriber with domains we still sponsor is asked first to transfer each out or
delete it (``active_domains``, an erasure precondition); the erasure step
``erase_registrations`` ends any domain still sponsored (an erasure the law orders does not
wait) and schedules the key expiry of every contact of the subscriber.
"""

from django.db import transaction
from django.db.models.deletion import ProtectedError

from hostpact.core import audit, clock
from hostpact.domains.models import REGISTRATION, Contact, Domain
from hostpact.domains.queries import shown
from hostpact.domains.registry import connector
from hostpact.domains.registry.models import RegistryContact, RegistryMessage
from hostpact.domains.services.lifecycle import (
    ENDED,
    KEEP,
    SPONSORED,
    _end,
    delete_at_registry,
    schedule_key_expiry,
    sponsored,
)
from hostpact.privacy.registry import Blocker
from hostpact.privacy.rights import queries
from hostpact.privacy.rights.models import KeyExpiry

ACTOR = "system:retention"


def purge_ended_registrations() -> dict[str, int]:
    """Delete the registration data whose 2-year keep after sponsorship is over; return
    what went, counted. Idempotent."""
    now = clock.now()
    cutoff = now - KEEP
    held = queries.held_subjects(now)
    registrar = connector().registrar_id
    counts = {"domains": 0, "nameservers": 0, "roles": 0, "contacts": 0,
              "registry_contacts": 0, "registry_messages": 0}
    for domain in (Domain.objects.filter(state__in=ENDED, ended_at__lte=cutoff)
                   .exclude(subject_id__in=held).iterator()):
        try:
            with transaction.atomic():
                pk, went = domain.pk, {"nameservers": domain.nameservers.count(),
                                       "roles": domain.roles.count()}
                went["registry_messages"] = RegistryMessage.objects.filter(
                    sponsor=registrar, domain=domain.name, created_at__lte=cutoff).delete()[0]
                domain.delete()
                audit.record(ACTOR, "domains.retention.purge", domain.subject_id, [],
                             f"domain:{pk}")
        except ProtectedError:
            # A record another app keeps with the domain (a complaint's case) holds it until
            # that record's own retention lets it go.
            counts["domains_kept_by_reference"] = counts.get("domains_kept_by_reference", 0) + 1
            continue
        counts["domains"] += 1
        for key, n in went.items():
            counts[key] += n
    kept_over = KeyExpiry.objects.filter(retention_class=REGISTRATION, due_at__lte=now)
    contacts = (Contact.objects.filter(roles__isnull=True,
                                       contact_subject_id__in=kept_over.values("subject_id"))
                .exclude(subject_id__in=held).exclude(contact_subject_id__in=held))
    for contact in contacts.iterator():
        with transaction.atomic():
            counts["registry_contacts"] += RegistryContact.objects.filter(
                handle=contact.handle, sponsor=registrar).delete()[0]
            handle = contact.handle
            contact.delete()
            counts["contacts"] += 1
            audit.record(ACTOR, "domains.retention.purge", contact.subject_id, [], handle)
    return counts


def active_domains(user) -> list[Blocker]:
    """Return a blocker for each domain ``user`` must first transfer out or delete."""
    return [Blocker(f"{shown(d.name)} is still registered with us "
                    f"({d.get_state_display().lower()}): transfer it out or delete it.",
                    "domains:leave")
            for d in sponsored(user).order_by("name")]


def erase_registrations(ctx) -> None:
    """The erasure step: end each domain still sponsored (deleted at the registry) and
    schedule the key expiry of each of the subscriber's contacts, due 2 years after its
    domains ended, so their data is readable until then and no longer."""
    for domain in Domain.objects.select_for_update().filter(subject_id=ctx.subject_id,
                                                            state__in=SPONSORED):
        delete_at_registry(domain)
        _end(domain, Domain.State.DELETED, ctx.actor)
        ctx.add("domains_ended", 1)
    ctx.add("contact_keys_kept",
            schedule_key_expiry(Contact.objects.filter(subject_id=ctx.subject_id)))
    ctx.fields.extend(["state", "ended_at"])
