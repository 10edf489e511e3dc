"""The precomputed answers of WHOIS and RDAP: made, rewritten and read here (decision 0006).

``refresh`` is the listener of ``domains.publication``: the domain services call it inside the
transaction of each change, so a record is rewritten with the data it comes from and a
rolled-back change keeps the old record. ``rebuild`` makes every record again (after a bulk
load, or to repair), in batches. The servers read the records through ``store``.
"""

from collections.abc import Iterable, Iterator

import orjson
from django.db import models, transaction

from hostpact.core import crypto
from hostpact.core.models import DataKey
from hostpact.domains.models import SPONSORED_STATES, Contact, Domain, DomainContact
from hostpact.rds.models import REGISTRATION, Record
from hostpact.rds.published import first_roles, published_contact, published_domain

BATCH = 500
Kind = Record.Kind


def _render_domain(domain: Domain) -> tuple[str, str] | None:
    from hostpact.rds.rdap.render import domain_object
    from hostpact.rds.whois.render import domain_text

    published = published_domain(domain)
    if published is None:
        return None
    return orjson.dumps(domain_object(published)).decode(), domain_text(published)


def _render_entity(contact: Contact, first_role) -> tuple[str, str]:
    from hostpact.rds.rdap.render import entity_object

    return orjson.dumps(entity_object(published_contact(contact, first_role))).decode(), ""


def _preload_keys(subject_ids: Iterable) -> None:
    """Unwrap the registration keys of ``subject_ids`` into the key cache in one query, so a
    batch's decryptions and encryptions need no query of their own."""
    wanted = [s for s in set(subject_ids) if s and not crypto.key_cache.get(s, REGISTRATION)]
    for i in range(0, len(wanted), BATCH):
        rows = DataKey.objects.filter(subject_id__in=wanted[i:i + BATCH],
                                      retention_class=REGISTRATION, shredded_at__isnull=True,
                                      wrapped__isnull=False)
        for subject_id, key_id, wrapped in rows.values_list("subject_id", "master_key_id",
                                                             "wrapped"):
            crypto.key_cache.put(subject_id, REGISTRATION, crypto.unwrap(key_id, bytes(wrapped)))


def _domains(ids: Iterable[int]) -> list[Domain]:
    return list(Domain.objects.filter(pk__in=list(ids))
                .prefetch_related("nameservers", "roles__contact"))


def _published_contacts(ids: Iterable[int]):
    """The contacts among ``ids`` that hold a role of a sponsored domain and consented to
    publication: only those have an entity record (a redacted contact's handle is withheld,
    so it cannot be looked up)."""
    return Contact.objects.filter(pk__in=list(ids), publish=True, handle__isnull=False,
                                  roles__domain__state__in=SPONSORED_STATES).distinct()


def _replace(kind: str, source_ids: set[int], rows: list[Record]) -> None:
    """Make ``rows`` the records of ``kind`` for ``source_ids``: the old ones of those sources
    and any other holding the same keys (an ended registration of a name registered again)
    go, in one delete, and the new ones come in one insert. Never an update in place: a new
    row's new id is how the lean RDAP path knows a body changed (``store``)."""
    keys, ids = [r.key for r in rows], list(source_ids)
    stale = Record.objects.filter(kind=kind)
    # Two deletes, each on its own index: one with an OR of both read the whole table.
    for i in range(0, len(ids), BATCH):
        stale.filter(source_id__in=ids[i:i + BATCH]).delete()
    for i in range(0, len(keys), BATCH):
        stale.filter(key__in=keys[i:i + BATCH]).delete()
    Record.objects.bulk_create(rows, batch_size=BATCH)


def _refresh(domain_ids: set[int], contact_ids: set[int]) -> None:
    roles = DomainContact.objects.filter(models.Q(domain_id__in=domain_ids)
                                         | models.Q(contact_id__in=contact_ids))
    subjects = set()
    for contact_id, contact_subject, owner in roles.values_list(
            "contact_id", "contact__contact_subject_id", "domain__subject_id"):
        contact_ids.add(contact_id)
        subjects.update((contact_subject, owner))
    _preload_keys(subjects)
    rows = []
    for domain in _domains(domain_ids):
        bodies = _render_domain(domain)
        if bodies is not None:
            rows.append(Record(kind=Kind.DOMAIN, key=domain.name, source_id=domain.pk,
                               key_subject_id=domain.subject_id, rdap=bodies[0],
                               whois=bodies[1], updated_at=domain.updated_at))
    _replace(Kind.DOMAIN, domain_ids, rows)
    published = list(_published_contacts(contact_ids))
    first = first_roles(c.pk for c in published)
    rows = [Record(kind=Kind.ENTITY, key=c.handle, source_id=c.pk,
                   key_subject_id=c.contact_subject_id, rdap=bodies[0], whois=bodies[1],
                   updated_at=c.updated_at)
            for c in published for bodies in [_render_entity(c, first.get(c.pk))]]
    _replace(Kind.ENTITY, contact_ids, rows)


def refresh(domain_ids: list[int], contact_ids: list[int]) -> None:
    """Rewrite the records of ``domain_ids`` and ``contact_ids`` (and of the domains the
    contacts serve, and the contacts of the domains) from the current rows."""
    with transaction.atomic():
        contact_ids = set(contact_ids)
        domain_ids = set(domain_ids) | set(DomainContact.objects.filter(
            contact_id__in=contact_ids).values_list("domain_id", flat=True))
        _refresh(domain_ids, contact_ids)


def _batches(queryset, size: int) -> Iterator[list[int]]:
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def rebuild(progress=None, batch: int = BATCH) -> int:
    """Make every record again from the current rows, in batches of ``batch`` domains (each
    its own transaction); ``progress(done, total)`` is called after each. Return the number
    of domains done. A batch renders its domains and their contacts only: every domain is in
    some batch, so following a shared contact to its other domains would render them twice."""
    sponsored = Domain.objects.filter(state__in=SPONSORED_STATES)
    total, done = sponsored.count(), 0
    with transaction.atomic():
        Record.objects.exclude(kind=Kind.DOMAIN, source_id__in=sponsored.values("pk")).filter(
            kind=Kind.DOMAIN).delete()
    for ids in _batches(sponsored, batch):
        with transaction.atomic():
            _refresh(set(ids), set())
        done += len(ids)
        if progress:
            progress(done, total)
    return done
