"""Bulk demo domains: many registrations with their contacts fast, deterministic for a seed.

Not the registration path: ``register_domain`` per name costs a dozen queries, a key read per
contact and a disclosure per domain, minutes for a hundred thousand. Here a batch of domains
goes in with one ``executemany`` per table (``core.bulk``): each contact gets its own subject
and key (class ``registration``) and is sealed under it, the built-in registry's rows are
written beside the registrar's (same ROIDs, same handles, the same encrypted copy of what was
"submitted"), and the batch's submission to the registry is one ``Disclosure`` naming every
owner and contact of the batch, so "Who received my data" is true of seeded data too.

Each domain has one contact in all four roles (what a registration with the same fields for
every role makes), seeded verified so no clientHold or verification mail follows. Some names
are IDNs (U-labels such as ``bücher-<seed>-<n>.test``, stored as A-labels), some have domain
privacy on: for those the registry holds the privacy service's contact in every role and the
customer's contact is not disclosed (``services.privacy_service``). The same seed and owners
give the same names, people, owners and settings.
"""

import datetime
import json
import random
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from hostpact import privacy
from hostpact.core import audit, clock
from hostpact.core.bulk import insert_rows, new_key
from hostpact.core.models import DataKey, Subject
from hostpact.domains.models import (
    CLIENT_TRANSFER_PROHIBITED,
    REGISTRATION,
    TRANSFER_LOCK_DAYS,
    Contact,
    Domain,
    DomainContact,
    Nameserver,
    RegistryContact,
    RegistryDomain,
)
from hostpact.domains.names import parse_domain, tlds
from hostpact.domains.registry import CONTACT_FIELDS, PURPOSE, RECIPIENT, Registry, _category
from hostpact.domains.services.contacts import ROLES
from hostpact.domains.services.privacy_service import service_contact

BATCH = 2000
POOL = 400
NAMESERVERS = ("ns1.hostpact.test", "ns2.hostpact.test")
IDN_WORDS = ("bücher", "café", "müsli", "crème", "jalapeño", "smörgås", "façade", "भारत")
IDN_SHARE, PRIVACY_SHARE, AUTO_RENEW_SHARE = 0.1, 0.3, 0.8
EMAIL_DOMAINS = ("example.test", "mail.example", "inbox.test")
ACTOR = "system:seed"


class SeedError(Exception):
    """Seeding cannot start; the message says why."""


@dataclass(frozen=True)
class Planned:
    """One domain to seed: its name (both forms), owner, settings and its contact's fields."""

    ascii: str
    unicode: str
    owner: int  # index into the owners given
    privacy: bool
    auto_renew: bool
    age_days: int
    years: int
    contact: dict


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower()) or "x"


def plan(m: int, owners: int, seed: int = 0) -> Iterator[Planned]:
    """``m`` domains spread over ``owners`` subscribers, the same ones for the same seed."""
    from faker import Faker

    fake = Faker("en_IN")
    fake.seed_instance(seed)
    words = [_slug(fake.word()) for _ in range(POOL)]
    firsts = [fake.first_name() for _ in range(POOL)]
    lasts = [fake.last_name() for _ in range(POOL)]
    companies = [fake.company() for _ in range(POOL)]
    streets = [fake.street_address().replace("\n", ", ") for _ in range(POOL)]
    places = [(fake.city(), fake.state(), fake.postcode()) for _ in range(POOL)]
    served = tlds()
    rng = random.Random(seed)
    for i in range(m):
        tld = served[i % len(served)]
        if rng.random() < IDN_SHARE:
            name = parse_domain(f"{rng.choice(IDN_WORDS)}-{seed}-{i}.{tld}")
            ascii_name, shown = name.ascii, name.unicode
        else:
            ascii_name = shown = f"{rng.choice(words)}-{seed}-{i}.{tld}"
        first, last = rng.choice(firsts), rng.choice(lasts)
        city, region, postcode = rng.choice(places)
        age = rng.randrange(1000)
        yield Planned(
            ascii=ascii_name, unicode=shown, owner=rng.randrange(owners),
            privacy=rng.random() < PRIVACY_SHARE, auto_renew=rng.random() < AUTO_RENEW_SHARE,
            age_days=age, years=age // 365 + 1 + rng.randrange(2),
            contact={
                "name": f"{first} {last}",
                "organization": rng.choice(companies) if rng.random() < 0.3 else "",
                "email": f"{_slug(first)}.{_slug(last)}.{seed}-{i}@{rng.choice(EMAIL_DOMAINS)}",
                "phone": f"+91{rng.choice('6789')}{rng.randrange(10**9):09d}",
                "line1": rng.choice(streets),
                "line2": f"Flat {rng.randrange(1, 60)}" if rng.random() < 0.3 else "",
                "city": city, "region": region, "postal_code": postcode, "country": "IN",
            })


def _categories(batch: list[Planned]) -> list[str]:
    """The data categories the batch's submission to the registry holds (from the data map):
    the domain names, and the fields of the contacts sent (none of a private domain's)."""
    used = [f for f in CONTACT_FIELDS if any(p.contact[f] for p in batch if not p.privacy)]
    return list(dict.fromkeys([_category(Domain, "name"),
                               *(_category(Contact, f) for f in used)]))


def _with_ids(model, filters: dict, key: str) -> dict:
    return dict(model.objects.filter(**filters).values_list(key, "id"))


def _suffixed(model, field: str, suffix: str, prefix: str = "", **filters) -> None:
    """Set ``field`` to prefix + id + suffix in one UPDATE: handles and ROIDs are made of ids."""
    model.objects.filter(**filters).update(**{field: Concat(
        Value(prefix), Cast("id", CharField()), Value(suffix), output_field=CharField())})


def _service_copy() -> str:
    """Give the registry its copy of the privacy service's contact (once); return its handle."""
    service = service_contact()
    with transaction.atomic():
        if RegistryContact.objects.filter(handle=service.handle).exists():
            return service.handle
        now = clock.now()
        row = RegistryContact.objects.create(
            handle=service.handle, sponsor=Registry.registrar_id, subject_id=service.subject_id,
            data=json.dumps(service.fields, sort_keys=True), created_at=now, updated_at=now)
        _suffixed(RegistryContact, "roid", "_CONTACT-HP", pk=row.pk)
    return service.handle


def _seed_batch(batch: list[Planned], owners: list[tuple[int, uuid.UUID]],
                reference: str, service: str) -> None:
    now = clock.now()
    subjects, keys, sealers = [], [], []
    for _ in batch:
        sid = uuid.uuid4()
        key, seal = new_key(sid, REGISTRATION)
        subjects.append({"id": sid, "kind": Subject.Kind.CONTACT.value, "created_at": now})
        keys.append(key)
        sealers.append(seal)
    created = [now - datetime.timedelta(days=p.age_days) for p in batch]
    with transaction.atomic():
        insert_rows(Subject, subjects)
        insert_rows(DataKey, keys)
        # Recorded before the registry's rows are written: the gate first, then the data.
        privacy.disclose(RECIPIENT, [*dict.fromkeys(owners[p.owner][1] for p in batch),
                                     *(s["id"] for p, s in zip(batch, subjects, strict=True)
                                       if not p.privacy)],
                         _categories(batch), PURPOSE, "", actor=ACTOR, reference=reference)
        insert_rows(Contact, [{
            "user_id": owners[p.owner][0], "subject_id": owners[p.owner][1],
            "contact_subject_id": s["id"],
            **{f: seal(p.contact[f]) for f in CONTACT_FIELDS},
            "publish": False, "email_verified_at": at, "verification_sent_at": at,
            "created_at": at, "updated_at": at,
        } for p, s, seal, at in zip(batch, subjects, sealers, created, strict=True)])
        contact_ids = _with_ids(Contact, {"contact_subject_id__in": [s["id"] for s in subjects]},
                                "contact_subject_id")
        ids = [contact_ids[s["id"]] for s in subjects]
        _suffixed(Contact, "handle", "-HP", "C", pk__in=ids)
        handles = [f"C{pk}-HP" for pk in ids]
        sent = [(p, s, seal, at, handle) for p, s, seal, at, handle in zip(
            batch, subjects, sealers, created, handles, strict=True) if not p.privacy]
        insert_rows(RegistryContact, [{
            "handle": handle, "sponsor": Registry.registrar_id, "subject_id": s["id"],
            "data": seal(json.dumps({k: v for k, v in p.contact.items() if v}, sort_keys=True)),
            "created_at": at, "updated_at": at,
        } for p, s, seal, at, handle in sent])
        _suffixed(RegistryContact, "roid", "_CONTACT-HP", handle__in=[h for *_, h in sent])
        expires = [at + relativedelta(years=p.years) for p, at in zip(batch, created,
                                                                      strict=True)]
        names = [p.ascii for p in batch]
        insert_rows(RegistryDomain, [{
            "name": p.ascii, "sponsor": Registry.registrar_id, "created_at": at,
            "expires_at": until, "updated_at": at, "statuses": [CLIENT_TRANSFER_PROHIBITED],
            "nameservers": [{"host": h, "addresses": []} for h in NAMESERVERS],
            "contacts": dict.fromkeys(ROLES, service if p.privacy else handle),
            "auth_code_hash": "",
        } for p, at, until, handle in zip(batch, created, expires, handles, strict=True)])
        _suffixed(RegistryDomain, "roid", "_DOMAIN-HP", name__in=names)
        registry_ids = _with_ids(RegistryDomain, {"name__in": names}, "name")
        roids = {name: f"{pk}_DOMAIN-HP" for name, pk in registry_ids.items()}
        insert_rows(Domain, [{
            "name": p.ascii, "roid": roids[p.ascii],
            "user_id": owners[p.owner][0], "subject_id": owners[p.owner][1],
            "created_at": at, "expires_at": until, "updated_at": at,
            "auto_renew": p.auto_renew, "statuses": [CLIENT_TRANSFER_PROHIBITED],
            "transfer_lock_until": at + datetime.timedelta(days=TRANSFER_LOCK_DAYS),
            "auth_code_hash": "", "privacy": p.privacy, "state": Domain.State.ACTIVE.value,
            "hold_reasons": [],
        } for p, at, until in zip(batch, created, expires, strict=True)])
        # By ROID: an ended registration of the same name may be kept beside the new one.
        by_roid = _with_ids(Domain, {"roid__in": list(roids.values())}, "roid")
        domain_ids = {name: by_roid[roid] for name, roid in roids.items()}
        insert_rows(Nameserver, [
            {"domain_id": domain_ids[name], "host": host, "addresses": [], "position": i}
            for name in names for i, host in enumerate(NAMESERVERS)])
        insert_rows(DomainContact, [
            {"domain_id": domain_ids[name], "contact_id": pk, "role": role}
            for name, pk in zip(names, ids, strict=True) for role in ROLES])


def seed_domains(m: int, owners: list[tuple[int, uuid.UUID]], seed: int = 0,
                 batch: int = BATCH, progress: Callable[[int], None] | None = None) -> int:
    """Create ``m`` domains with their contacts for ``owners`` ((user id, subject id) pairs);
    return how many were created."""
    if m and not owners:
        raise SeedError("domains need subscribers to own them: seed some with --subscribers")
    planned = plan(m, len(owners), seed)
    first = next(plan(1, max(len(owners), 1), seed), None)
    if m and first and RegistryDomain.objects.filter(name=first.ascii).exists():
        raise SeedError(f"domains of seed {seed} exist already; choose another --seed")
    if connection.vendor == "sqlite":  # index pages of a big load stay in memory (256 MiB)
        with connection.cursor() as cur:
            cur.execute("PRAGMA cache_size=-262144")
    service = _service_copy() if m else ""
    done = 0
    while done < m:
        chunk = [p for _, p in zip(range(min(batch, m - done)), planned, strict=False)]
        _seed_batch(chunk, owners, f"seed:{seed}:domains:{done}", service)
        done += len(chunk)
        if progress:
            progress(len(chunk))
    with transaction.atomic():
        audit.record(ACTOR, "seed.domains", None,
                     ["name", "expires_at", "privacy", *CONTACT_FIELDS], f"seed:{seed}:{m}")
    return done
