"""Bulk synthetic answers to the optional form, for the demo and the benchmark.

``seed_answers(fraction, seed)`` gives answers to that fraction of the subscribers who have
none, chosen and filled deterministically for a seed. Rows are sealed with each subscriber's
existing account key (unwrapped a chunk at a time) and inserted by ``executemany``
(``core.bulk``), so what is loaded reads back through the model like any answer.
"""

import random
from collections.abc import Callable

from django.db import transaction

from hostpact.accounts.models import User
from hostpact.audiences import questions
from hostpact.audiences.models import Answers
from hostpact.core import audit, crypto
from hostpact.core.bulk import Sealer, insert_rows
from hostpact.core.models import DataKey

CHUNK = 2000


def _one(rng: random.Random) -> dict:
    """Return one subscriber's answers; some questions left at "Prefer not to say"."""
    def pick(choices, skip=0.3):
        return "" if rng.random() < skip else rng.choice(choices)[0]
    out = {name: pick(choices) for name, choices in questions.SINGLE.items()}
    if out["country"]:  # most subscribers are in India, as registration data says
        out["country"] = "IN" if rng.random() < 0.7 else out["country"]
    for name, choices in questions.MULTIPLE.items():
        out[name] = ",".join(sorted(v for v, _ in choices if rng.random() < 0.3))
    out["other"] = ""
    return out


def _keys(subject_ids: list) -> dict:
    rows = DataKey.objects.filter(subject_id__in=subject_ids, retention_class=crypto.DEFAULT_CLASS,
                                  shredded_at__isnull=True, wrapped__isnull=False)
    return {s: crypto.unwrap(k, bytes(w))
            for s, k, w in rows.values_list("subject_id", "master_key_id", "wrapped")}


def seed_answers(fraction: float, seed: int = 0, chunk: int = CHUNK,
                 progress: Callable[[int], None] | None = None) -> int:
    """Give answers to ``fraction`` (0–1) of the active subscribers without any; return how
    many rows were written."""
    if not 0 <= fraction <= 1:
        raise ValueError("fraction must be between 0 and 1")
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    users = User.objects.filter(is_active=True, is_staff=False).exclude(
        subject_id__in=Answers.objects.values("subject_id")).order_by("pk")
    last, done = 0, 0
    while True:
        batch = list(users.filter(pk__gt=last).values_list("pk", "subject_id")[:chunk])
        if not batch:
            break
        last = batch[-1][0]
        chosen = [(uid, sid) for uid, sid in batch if rng.random() < fraction]
        keys = _keys([sid for _, sid in chosen])
        rows = []
        for uid, sid in chosen:
            if sid not in keys:
                continue  # an erased subscriber's key is gone: no answers for them
            seal = Sealer(sid, keys[sid])
            rows.append({"user_id": uid, "subject_id": sid,
                         **{k: seal(v) for k, v in _one(rng).items()}})
        with transaction.atomic():
            insert_rows(Answers, rows)
        done += len(rows)
        if progress:
            progress(len(batch))
    with transaction.atomic():
        audit.record("system", "seed.answers", None, list(questions.FIELDS),
                     f"seed:{seed}:{fraction}")
    return done
