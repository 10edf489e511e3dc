"""Bulk demo data: many synthetic subscribers fast, deterministic for a seed.

Not the sign-up path: a hundred thousand sign-ups would spend minutes hashing passwords and
asking the gateway for tokens. Here every seeded user shares one precomputed password hash, the
card is a synthetic gateway token for the test card, data keys are generated per subject and
wrapped as usual, fields are encrypted in bulk (one cipher object per subject, the ciphertext
format of ``hostpact.core.crypto``, by ``core.bulk``) and rows go in by ``executemany`` in
batches, each batch in its own transaction. One audit event records the load (ids and field
names, as always). Each is subscribed to the mail lists as a new subscriber from India is
(``marketing.seeding``). The seeded subscribers own the bulk domains of
``hostpact.domains.seeding``.

People come from Faker's en_IN locale, drawn from pools built once per seed, with ``.test`` and
``.example`` email domains only, so the same seed gives the same people.
"""

import datetime
import importlib.util
import random
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction

from hostpact.accounts.models import Profile, User
from hostpact.accounts.services import email_in_use
from hostpact.billing.models import PaymentMethod
from hostpact.core import audit, clock, crypto
from hostpact.core.bulk import insert_rows, new_key
from hostpact.core.models import DataKey, Subject
from hostpact.marketing.seeding import seed_subscriptions

SEEDED_PASSWORD = "seeded-password-1"
EMAIL_DOMAINS = ("example.test", "mail.example", "inbox.test", "example.example")
POOL = 400
BATCH = 2000


class SeedError(Exception):
    """Seeding cannot start; the message says why."""


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    phone: str
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    date_of_birth: datetime.date
    card_exp_month: int
    card_exp_year: int
    card_token: str


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower()) or "x"


def people(n: int, seed: int = 0) -> Iterator[Person]:
    """``n`` synthetic adults, the same ones for the same seed."""
    from faker import Faker

    fake = Faker("en_IN")
    fake.seed_instance(seed)
    firsts = [fake.first_name() for _ in range(POOL)]
    lasts = [fake.last_name() for _ in range(POOL)]
    streets = [fake.street_address().replace("\n", ", ") for _ in range(POOL)]
    places = [(fake.city(), fake.state(), fake.postcode()) for _ in range(POOL)]
    rng = random.Random(seed)
    for i in range(n):
        first, last = rng.choice(firsts), rng.choice(lasts)
        city, region, postcode = rng.choice(places)
        yield Person(
            name=f"{first} {last}",
            email=f"{_slug(first)}.{_slug(last)}.{seed}-{i}@{rng.choice(EMAIL_DOMAINS)}",
            phone=f"+91{rng.choice('6789')}{rng.randrange(10**9):09d}",
            line1=rng.choice(streets),
            line2=f"Flat {rng.randrange(1, 60)}" if rng.random() < 0.3 else "",
            city=city, region=region, postal_code=postcode,
            date_of_birth=datetime.date(1950, 1, 1) + datetime.timedelta(
                days=rng.randrange(365 * 55)),
            card_exp_month=rng.randrange(1, 13),
            card_exp_year=2030 + rng.randrange(6),
            card_token="tok_test_" + rng.getrandbits(96).to_bytes(12, "big").hex(),
        )


def _seed_batch(batch: list[Person], password_hash: str) -> list[tuple[int, uuid.UUID]]:
    now = clock.now()
    subjects, keys, users, sealers = [], [], [], []
    for person in batch:
        # Random like every subject id: the seed fixes the people, not the keys or ids.
        sid = uuid.uuid4()
        key, seal = new_key(sid)
        sealers.append(seal)
        subjects.append({"id": sid, "kind": "subscriber", "created_at": now})
        keys.append(key)
        users.append({
            "subject_id": sid, "email_index": crypto.blind_index("email", person.email),
            "email": seal(person.email), "email_verified_at": now, "password": password_hash,
            "is_staff": False, "is_active": True, "is_superuser": False, "date_joined": now,
            "password_changed_at": now,
        })
    with transaction.atomic():
        insert_rows(Subject, subjects)
        insert_rows(DataKey, keys)
        insert_rows(User, users)
        ids = dict(User.objects.filter(subject_id__in=[s["id"] for s in subjects])
                   .values_list("subject_id", "id"))
        profiles, cards = [], []
        for person, subject, seal in zip(batch, subjects, sealers, strict=True):
            sid, uid = subject["id"], ids[subject["id"]]
            profiles.append({
                "user_id": uid, "subject_id": sid, "name": seal(person.name),
                "phone": seal(person.phone),
                "phone_index": crypto.blind_index("phone", person.phone),
                "line1": seal(person.line1), "line2": seal(person.line2),
                "city": seal(person.city),
                "region": seal(person.region), "postal_code": seal(person.postal_code),
                "country": seal("IN"), "date_of_birth": seal(person.date_of_birth.isoformat()),
                "updated_at": now,
            })
            cards.append({
                "user_id": uid, "subject_id": sid, "gateway": "test-gateway",
                "token": seal(person.card_token), "brand": seal("visa"), "last4": seal("4242"),
                "exp_month": seal(str(person.card_exp_month)),
                "exp_year": seal(str(person.card_exp_year)), "is_default": True,
                "created_at": now,
            })
        insert_rows(Profile, profiles)
        insert_rows(PaymentMethod, cards)
        seed_subscriptions([s["id"] for s in subjects], country="IN", at=now)
    return [(ids[s["id"]], s["id"]) for s in subjects]


def seed_subscribers(n: int, seed: int = 0, batch: int = BATCH,
                     progress: Callable[[int], None] | None = None,
                     owners: list | None = None) -> int:
    """Create ``n`` subscribers with profile and card; return how many were created. Their
    (user id, subject id) pairs are appended to ``owners`` when given, in the seed's order."""
    crowd = people(n, seed)
    first = next(people(1, seed), None)
    if n and first and email_in_use(first.email):
        raise SeedError(f"subscribers of seed {seed} exist already; choose another --seed")
    password_hash = make_password(SEEDED_PASSWORD)
    done = 0
    while done < n:
        chunk = [p for _, p in zip(range(min(batch, n - done)), crowd, strict=False)]
        made = _seed_batch(chunk, password_hash)
        if owners is not None:
            owners.extend(made)
        done += len(chunk)
        if progress:
            progress(len(chunk))
    with transaction.atomic():
        audit.record("system", "seed.subscribers", None,
                     ["email", "password", "name", "phone", "address", "date_of_birth", "card"],
                     f"seed:{seed}:{n}")
    return done


def domains_supported() -> bool:
    """True once the domains app has a bulk seeder (``hostpact.domains.seeding``): the app's
    models came first, its seeder comes with the demo data of the domains issue."""
    return (apps.is_installed("hostpact.domains")
            and importlib.util.find_spec("hostpact.domains.seeding") is not None)
