"""The retention schedule, read from the data map, and the run that applies it (C41).

Each rule is derived from what the data map declares, never from a list of tables:

* **Period rules.** A retention class whose period is "N days" (``security``: 90 days) purges
  every data-map model holding personal fields of that class, by the row's age column
  (``created_at``; ``expire_date`` for Django sessions, which go once expired). A model whose
  personal fields all belong to the class loses the row; otherwise those fields are cleared.
  Rate-limit counters go with them (``core.ratelimit.purge_expired``).
* **Coarsening rules.** A field declared with ``coarsen=`` (``privacy.coarsening.ip_prefix``:
  an IP address truncated to /24 or /48 after 7 days) is made coarse in the rows older than the
  coarsening's age whose value is still precise; a second run finds nothing to do.
* **Kept keys.** When erasure kept a class under a legal basis (invoices for tax), its
  ``KeyExpiry`` says when the basis ends; then the class key is shredded and the ciphertext left
  in its columns cleared.
* **Closed accounts.** A closed account is a subscriber that is inactive and erased: the
  unreadable ciphertext its shredded keys left behind is cleared from every column.
* **Held and interrupted erasures** are run again (a hold that ended lets them finish).
* **Records a legal hold kept.** Once no hold on a record is in force, the record returns to
  its own retention (``rights.holds.release_key``) and the hold's key is shredded.

A legal hold in force keeps what it covers from all of it: every row and key of a held
subject; a held record, which sits under its hold's own key from before its subject's keys go
(``rights.holds.protect_records``), so the subject's other data goes on time.
``plan()`` counts, ``run()`` does.
"""

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction

from hostpact.core import audit, clock, crypto, ratelimit, subjects
from hostpact.core.fields import EncryptedTextField
from hostpact.core.models import Counter, DataKey
from hostpact.privacy import registry, subject_data
from hostpact.privacy import retention as retention_
from hostpact.privacy.rights import holds, queries
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.privacy.rights.models import ErasureJob, KeyExpiry

log = logging.getLogger(__name__)

ACTOR = "system:retention"
AGE_COLUMNS = ("created_at", "expire_date", "at", "updated_at")
RATE_LIMIT_AGE = 86400
_DAYS = re.compile(r"^\s*(\d+)\s+days?\s*$")


def period_of(klass: str) -> timedelta | None:
    """The fixed period of a retention class ("90 days"), or None when it has none."""
    match = _DAYS.match(retention_.get(klass).period)
    return timedelta(days=int(match.group(1))) if match else None


@dataclass
class Rule:
    """One line of the schedule: what goes, under which rule, and how to count and do it."""

    rule: str
    model: str
    categories: list[str]
    retention: str
    count: Callable[[], int]
    apply: Callable[[], int]

    def line(self, count: int | None = None) -> dict:
        return {"rule": self.rule, "model": self.model, "categories": self.categories,
                "retention": self.retention,
                "count": self.count() if count is None else count}


# --- period rules (security: 90 days) ------------------------------------------------------------

def _age_column(model) -> str | None:
    names = {f.name: f for f in model._meta.concrete_fields}
    for name in AGE_COLUMNS:
        if name in names and names[name].get_internal_type() == "DateTimeField":
            return name
    return None


def _period_rule(model, klass: str, fields: list[str], personal: dict, period: timedelta,
                 moment) -> Rule | None:
    column = _age_column(model)
    if column is None:
        log.warning("%s has %s data but no age column", model._meta.label, klass)
        return None
    expired_only = column == "expire_date"
    cutoff = moment if expired_only else moment - period
    path = subject_data.subject_path(model)
    whole_row = set(fields) == set(personal)

    def queryset():
        qs = model._default_manager.filter(**{f"{column}__lt": cutoff})
        held = queries.held_records(model, moment)
        if held:
            qs = qs.exclude(pk__in=list(held))
        if path:
            held_subjects = queries.held_subjects(moment)
            if held_subjects:
                qs = qs.exclude(**{f"{path}__in": list(held_subjects)})
        if not whole_row:
            from django.db.models import Q

            any_set = Q()
            for name in fields:
                any_set |= Q(**{f"{name}__isnull": False})
            qs = qs.filter(any_set)
        return qs

    def apply() -> int:
        with transaction.atomic():
            if whole_row:
                deleted, _ = queryset().delete()
                return deleted
            n = 0
            for row in queryset().iterator():
                for name in fields:
                    setattr(row, name, None)
                row.save(update_fields=fields)
                n += 1
            return n

    what = "expired" if expired_only else f"older than {period.days} days"
    return Rule(f"{klass} data {what}", model._meta.label,
                sorted({personal[n].category for n in fields}), klass,
                lambda: queryset().count(), apply)


def _period_rules(moment) -> list[Rule]:
    rules = []
    for entry in registry.entries():
        personal = entry.personal_fields()
        by_class: dict[str, list[str]] = {}
        for name, decl in personal.items():
            by_class.setdefault(decl.retention, []).append(name)
        for klass, fields in sorted(by_class.items()):
            period = period_of(klass)
            if period is None:
                continue
            rule = _period_rule(entry.model, klass, fields, personal, period, moment)
            if rule:
                rules.append(rule)
    return rules


def _coarsen_rule(model, name: str, decl, moment) -> Rule | None:
    column = _age_column(model)
    if column is None:
        log.warning("%s.%s is coarsened but has no age column", model._meta.label, name)
        return None
    rule = decl.coarsen
    cutoff = moment - rule.after

    def queryset():
        qs = rule.candidates(model._default_manager.filter(**{f"{column}__lt": cutoff}), name)
        held = queries.held_records(model, moment)
        return qs.exclude(pk__in=list(held)) if held else qs

    def apply() -> int:
        from django.db.models import Case, F, Value, When

        n = 0
        with transaction.atomic():
            values = list(queryset().values_list(name, flat=True).distinct())
            changes = {v: rule.apply(v) for v in values}
            changes = {v: c for v, c in changes.items() if c != v}
            items = list(changes.items())
            for start in range(0, len(items), 500):  # one UPDATE per 500 distinct values
                chunk = dict(items[start:start + 500])
                whens = [When(**{name: v}, then=Value(c)) for v, c in chunk.items()]
                n += queryset().filter(**{f"{name}__in": list(chunk)}).update(
                    **{name: Case(*whens, default=F(name))})
        return n

    return Rule(f"{decl.retention} data: {name} {rule.description}", model._meta.label,
                [decl.category], decl.retention, lambda: queryset().count(), apply)


def _coarsen_rules(moment) -> list[Rule]:
    rules = []
    for entry in registry.entries():
        for name, decl in sorted(entry.personal_fields().items()):
            if decl.coarsen is not None:
                rule = _coarsen_rule(entry.model, name, decl, moment)
                if rule:
                    rules.append(rule)
    return rules


def _rate_limit_rule(moment) -> Rule:
    cutoff = moment - timedelta(seconds=RATE_LIMIT_AGE)
    return Rule("rate-limit counters older than a day", "core.Counter", ["keyed hashes"],
                "security",
                lambda: Counter.objects.filter(name__startswith="rl:",
                                               updated_at__lt=cutoff).count(),
                lambda: ratelimit.purge_expired(RATE_LIMIT_AGE))


# --- kept keys and closed accounts ----------------------------------------------------------------

def _categories_of(klass: str) -> list[str]:
    return sorted({d.category for e in registry.entries()
                   for d in e.personal_fields().values() if d.retention == klass})


def clear_ciphertext(subject_id, classes) -> int:
    """Clear the columns of ``subject_id``'s rows encrypted under the (shredded) ``classes``;
    a record a legal hold keeps, under the hold's key, is left alone."""
    classes = set(classes)
    cleared = 0
    for entry in registry.entries():
        model = entry.model
        names = [f.name for f in model._meta.concrete_fields
                 if isinstance(f, EncryptedTextField) and f.retention_class in classes]
        if not names:
            continue
        path = subject_data.subject_path(model)
        if path is None:
            continue
        from django.db.models import Q

        any_set = Q()
        for name in names:
            any_set |= Q(**{f"{name}__isnull": False})
        rows = model._default_manager.filter(any_set, **{path: subject_id})
        held = queries.protected_records(model)
        if held:
            rows = rows.exclude(pk__in=list(held))
        for row in rows.iterator():
            for name in names:
                setattr(row, name, None)
            row.save(update_fields=names)
            cleared += 1
    return cleared


def _key_expiry_rules(moment) -> list[Rule]:
    rules = []
    for klass in sorted(k for k, c in retention_.CLASSES.items() if c.keep_after_erasure):
        def due(klass=klass):
            return (KeyExpiry.objects.filter(retention_class=klass, due_at__lte=moment,
                                             shredded_at__isnull=True)
                    .exclude(subject_id__in=list(queries.held_subjects(moment))))

        def apply(due=due, klass=klass) -> int:
            n = 0
            for expiry in due().iterator():
                with transaction.atomic():
                    holds.protect_records(expiry.subject_id, moment)  # held after erasure
                    subjects.shred(expiry.subject_id, [klass])
                    clear_ciphertext(expiry.subject_id, [klass])
                    expiry.shredded_at = clock.now()
                    expiry.save(update_fields=["shredded_at"])
                    audit.record(ACTOR, "retention.key.shred", expiry.subject_id, [],
                                 f"key:{klass}")
                n += 1
            return n

        rules.append(Rule(f"{klass} data kept after erasure, keep period over", "core.DataKey",
                          _categories_of(klass), klass, lambda due=due: due().count(), apply))
    return rules


def _closed_accounts_rule(moment) -> Rule:
    """Subscribers inactive and erased: clear the unreadable ciphertext their keys left."""
    def due():
        return (ErasureJob.objects.filter(state=ErasureJob.State.DONE,
                                          remnants_purged_at__isnull=True)
                .exclude(subject_id__in=list(queries.held_subjects(moment))))

    def apply() -> int:
        n = 0
        for job in due().iterator():
            shredded = set(DataKey.objects.filter(subject_id=job.subject_id,
                                                  shredded_at__isnull=False)
                           .values_list("retention_class", flat=True))
            with transaction.atomic():
                clear_ciphertext(job.subject_id, shredded)
                job.remnants_purged_at = clock.now()
                job.save(update_fields=["remnants_purged_at"])
                audit.record(ACTOR, "retention.closed_account.purge", job.subject_id, [],
                             f"erasure:{job.pk}")
            n += 1
        return n

    return Rule("closed accounts (inactive and erased): unreadable remnants", "rights.ErasureJob",
                _categories_of("account"), "account", lambda: due().count(), apply)


def _hold_key_rule(moment) -> Rule:
    """Records kept under a legal hold's key, no hold on them in force any more."""
    return Rule("records a legal hold kept, hold over: back to their retention, key shredded",
                "rights.LegalHold", [], crypto.HOLD_CLASS,
                lambda: len(holds.keys_due(moment)),
                lambda: sum(holds.release_key(k) for k in holds.keys_due(moment)))


def _resume_rule(moment) -> Rule:
    def due():
        return ErasureJob.objects.filter(
            state__in=[ErasureJob.State.HELD, ErasureJob.State.FAILED, ErasureJob.State.PENDING],
            updated_at__lt=moment - timedelta(minutes=5))

    return Rule("erasures waiting (hold ended, interrupted, or never started)",
                "rights.ErasureJob", [], "account", lambda: due().count(),
                lambda: len(erasure.resume_waiting()))


# --- plan and run ---------------------------------------------------------------------------------

def schedule(moment=None) -> list[Rule]:
    """Every rule of the schedule as of ``moment`` (default: now)."""
    moment = moment or clock.now()
    return [*_period_rules(moment), *_coarsen_rules(moment), _rate_limit_rule(moment),
            *_key_expiry_rules(moment),
            _resume_rule(moment), _hold_key_rule(moment), _closed_accounts_rule(moment)]


def plan(moment=None) -> list[dict]:
    """What a run would do now, rule by rule, with counts (a dry run: nothing changes)."""
    return [rule.line() for rule in schedule(moment)]


def run(progress: Callable[[Rule, int], None] | None = None) -> list[dict]:
    """Apply the schedule; return each rule's line with the count it handled."""
    out = []
    for rule in schedule():
        done = rule.apply()
        out.append(rule.line(done))
        if progress:
            progress(rule, done)
    with transaction.atomic():
        audit.record(ACTOR, "retention.run", None, [], f"rules:{len(out)}")
    log.info("retention run: %s", ", ".join(f"{r['model']}={r['count']}" for r in out))
    return out
