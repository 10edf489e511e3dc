"""The erasure engine: walks the data map and applies each field's erasure method.

``erase_subject(subject_id, actor=, reason=)`` runs one ``ErasureJob`` per subject as a fixed
list of steps, each in its own transaction together with the record that it is done, so a run
killed anywhere leaves every step either wholly done or not started, and running again resumes
after the last finished step. What each step does comes from the data map
(``hostpact.privacy.registry``), with rows found the way "My information" finds them
(``subject_data.subject_path``):

* ``delete``: a model whose personal fields are all "delete" loses its rows (outgoing mail,
  two-factor secrets); otherwise the value is cleared (passwords become unusable, blind indexes
  are replaced by a random value so the same email or phone can sign up again);
* ``anonymise``: the value is replaced by a neutral one;
* ``crypto-shred``: the subject's data keys of every retention class that the law does not keep
  are destroyed at once (``core.subjects.shred``), so those columns, and every copy of them in
  backups and logs, can never be read again;
* ``keep-under-legal-basis``: kept, and listed on the job with its basis and the date it goes
  (erasure date + the class's keep period); a ``KeyExpiry`` tells the retention run when to
  shred that class's key.

First it moves each record under a legal hold in force to the hold's own key
(``rights.holds``): erasure leaves those records alone and erases everything else. Then it
runs the steps the apps registered (``registry.erasure_step``: accounts ends the sessions,
revokes the API tokens and closes the account), deletes the subject's unsent mail and the
development mail catcher's copies of mail sent to the subject; at the end it leaves a
``Tombstone`` with no identity. A hold in force on the whole subject pauses the job (state
"held") before anything is erased. Audit events carry step and field names only.

The job opens under the subject's write lock (``rights.guard``), so no write service lands a
row after it: a write that took the lock first is committed before the job exists, and any
later one is refused.

Tests kill a run with the ``RIGHTS_ERASURE_FAIL_AFTER`` setting: the run raises
``InjectedFailure`` after that many steps.
"""

import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError

from hostpact.core import audit, clock, mailcatcher, subjects
from hostpact.core.fields import EncryptedTextField
from hostpact.core.models import DataKey, OutboxMessage
from hostpact.privacy import registry, subject_data
from hostpact.privacy import retention as retention_
from hostpact.privacy.registry import Erasure
from hostpact.privacy.rights import guard, holds, queries
from hostpact.privacy.rights.models import ErasureJob, KeyExpiry, Tombstone

log = logging.getLogger(__name__)

EMAIL_CATEGORY = "user.contact.email"


class InjectedFailure(Exception):
    """A failure injected by a test after N steps (``RIGHTS_ERASURE_FAIL_AFTER``)."""


@dataclass
class _Ctx:
    job: ErasureJob
    subject_id: object
    actor: str
    counts: dict = field(default_factory=dict)
    kept: list = field(default_factory=list)
    fields: list = field(default_factory=list)

    def add(self, key: str, n: int) -> None:
        if n:
            self.counts[key] = self.counts.get(key, 0) + n


# --- the data map, as erasure sees it -------------------------------------------------------

def _models_in_map():
    """(model, subject path, personal fields) of every model with personal fields tied to a
    subject, in the registry's stable order."""
    out = []
    for entry in registry.entries():
        personal = entry.personal_fields()
        if not personal:
            continue
        path = subject_data.subject_path(entry.model)
        if path is None:
            continue
        out.append((entry.model, path, personal))
    return out


def _neutral(model, f: models.Field):
    """The value a cleared or anonymised column gets."""
    if f.name == "password" and issubclass(model, AbstractBaseUser):
        return make_password(None)  # unusable: no password matches it
    if isinstance(f, EncryptedTextField):
        return None
    if f.unique or any(name == f.name for c in model._meta.constraints
                       if isinstance(c, models.UniqueConstraint) for name in c.fields):
        # A blind index is unique (the email's, per realm): a random value frees the real one
        # for a new sign-up.
        return f"erased-{secrets.token_hex(12)}"[: f.max_length or 64]
    if f.null:
        return None
    if isinstance(f, models.CharField | models.TextField):
        return ""
    return f.get_default()


def _until(klass: str, moment):
    keep = retention_.get(klass).keep_after_erasure
    return (moment + keep) if keep else moment


def _label(model, names, personal) -> list[str]:
    meta = model._meta
    return [personal[n].label or meta.get_field(n).verbose_name for n in names]


def _erase_model(ctx: _Ctx, model, path: str, personal: dict) -> None:
    meta = model._meta
    mine = model._default_manager.filter(**{path: ctx.subject_id})
    held = queries.protected_records(model)
    # A held record stays as it is, under its hold's key; what the law keeps is listed whether
    # held or not.
    rows = mine.exclude(pk__in=list(held)) if held else mine
    by_method: dict[Erasure, list[str]] = {}
    for name, decl in personal.items():
        if meta.get_field(name).many_to_many:
            continue
        by_method.setdefault(decl.erasure, []).append(name)
    total = mine.count()
    count = rows.count() if held else total
    if not total:
        return
    ctx.fields.extend(personal)
    if set(by_method) == {Erasure.DELETE}:
        try:
            with transaction.atomic():
                deleted, _ = rows.delete()
            ctx.add("rows_deleted", deleted)
            return
        except (ProtectedError, RestrictedError):
            pass  # rows other records depend on: clear their values instead
    clear = by_method.get(Erasure.DELETE, []) + by_method.get(Erasure.ANONYMISE, [])
    if clear and count:
        fields = [meta.get_field(n) for n in clear]
        for row in rows.order_by("pk"):
            for f in fields:
                setattr(row, f.attname, _neutral(model, f))
            row.save(update_fields=[f.name for f in fields])
        ctx.add("values_cleared", count * len(clear))
    ctx.add("values_shredded", count * len(by_method.get(Erasure.SHRED, [])))
    kept = by_method.get(Erasure.KEEP, [])
    if kept:
        moment = clock.now()
        by_class: dict[tuple[str, str], list[str]] = {}
        for name in kept:
            decl = personal[name]
            by_class.setdefault((decl.retention, decl.legal_basis), []).append(name)
        for (klass, basis), names in by_class.items():
            ctx.kept.append({
                "item": f"{str(meta.verbose_name_plural).capitalize()} ({total})",
                "model": meta.label, "count": total, "fields": _label(model, names, personal),
                "retention": klass, "basis": basis,
                "until": _until(klass, moment).date().isoformat(),
            })
        ctx.add("values_kept", total * len(kept))


# --- the steps ------------------------------------------------------------------------------

def _step_outbox(ctx: _Ctx) -> None:
    deleted, _ = OutboxMessage.objects.filter(subject_id=ctx.subject_id).delete()
    ctx.add("mail_unsent_deleted", deleted)
    ctx.fields.extend(["to_addr", "subject_line", "body"])


def _addresses(subject_id) -> set[str]:
    """Every email address held for the subject, read before the keys go."""
    found = set()
    for model, path, personal in _models_in_map():
        names = [n for n, d in personal.items()
                 if d.category.startswith(EMAIL_CATEGORY) and not n.endswith("_index")]
        if not names:
            continue
        for row in model._default_manager.filter(**{path: subject_id}).only(*names, "pk"):
            for n in names:
                value = getattr(row, n)
                if value:
                    found.add(str(value).strip().lower())
    return found


def _step_mail_files(ctx: _Ctx) -> None:
    """Delete the development mail catcher's copies of mail sent to the subject."""
    mail_dir = Path(settings.MAIL_DIR)
    if settings.PRODUCTION or not mail_dir.is_dir():
        return
    addresses = _addresses(ctx.subject_id)
    if addresses:
        ctx.add("mail_files_deleted", mailcatcher.delete_messages_to(mail_dir, addresses))


def _kept_classes() -> set[str]:
    return {k for k, c in retention_.CLASSES.items() if c.keep_after_erasure is not None}


def _step_holds(ctx: _Ctx) -> None:
    """Move each record under a hold in force to the hold's key, before anything is erased."""
    moved = holds.protect_records(ctx.subject_id)
    ctx.add("values_held", len(moved))
    ctx.fields.extend(moved)


def _step_keys(ctx: _Ctx) -> None:
    holds.protect_records(ctx.subject_id)  # a hold placed while the job ran
    keep = _kept_classes()
    classes = set(DataKey.objects.filter(subject_id=ctx.subject_id, shredded_at__isnull=True)
                  .values_list("retention_class", flat=True)) - keep
    ctx.add("keys_shredded", subjects.shred(ctx.subject_id, sorted(classes)) if classes else 0)


def _step_key_expiry(ctx: _Ctx) -> None:
    """Schedule the shredding of each kept class's key at the end of its keep period."""
    moment = clock.now()
    for klass in sorted(_kept_classes()):
        if not DataKey.objects.filter(subject_id=ctx.subject_id, retention_class=klass,
                                      shredded_at__isnull=True).exists():
            continue
        KeyExpiry.objects.get_or_create(
            subject_id=ctx.subject_id, retention_class=klass,
            defaults={"due_at": _until(klass, moment)},
        )
        ctx.add("keys_kept", 1)


def _step_tombstone(ctx: _Ctx) -> None:
    job = ctx.job
    Tombstone.objects.create(erased_on=clock.today(), reason=job.reason, counts=dict(job.counts))


def _merge(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return out


def steps() -> list[tuple[str, object]]:
    """The fixed, ordered list of (step name, function) every erasure runs."""
    plan: list[tuple[str, object]] = [("holds", _step_holds)]
    plan += [(s.name, s.run) for s in registry.erasure_steps()]
    plan += [
        ("outbox", _step_outbox),
        ("mail_files", _step_mail_files),  # needs the addresses: before the keys go
    ]
    for model, path, personal in _models_in_map():
        def run(ctx, model=model, path=path, personal=personal):
            _erase_model(ctx, model, path, personal)
        plan.append((f"rows:{model._meta.label_lower}", run))
    plan += [("keys", _step_keys), ("key_expiry", _step_key_expiry),
             ("tombstone", _step_tombstone)]
    return plan


# --- the job --------------------------------------------------------------------------------

def open_job(subject_id, *, actor: str, reason: str) -> ErasureJob:
    """The subject's erasure job, created (and audited) the first time it is asked for.

    It opens under the subject's write lock: from then on every write service refuses.
    """
    with transaction.atomic():
        guard.lock_subject(subject_id)
        job = ErasureJob.objects.select_for_update().filter(subject_id=subject_id).first()
        if job is not None:
            return job
        now = clock.now()
        job = ErasureJob.objects.create(subject_id=subject_id, actor=actor[:64], reason=reason,
                                        created_at=now, updated_at=now)
        audit.record(actor, "rights.erasure.request", subject_id, [], f"erasure:{job.pk}")
        return job


def _set_state(job: ErasureJob, state: str, **extra) -> None:
    job.state = state
    job.updated_at = clock.now()
    for k, v in extra.items():
        setattr(job, k, v)
    job.save(update_fields=["state", "updated_at", *extra])


def run_job(job_id: int) -> ErasureJob:
    """Run (or resume) erasure job ``job_id``; a finished job is returned as it is."""
    job = ErasureJob.objects.get(pk=job_id)
    if job.state == ErasureJob.State.DONE:
        return job
    in_force = queries.subject_holds(job.subject_id)
    if in_force:
        with transaction.atomic():
            _set_state(job, ErasureJob.State.HELD, hold_reason=queries.describe(in_force[0])[:200])
            audit.record(job.actor, "rights.erasure.held", job.subject_id, [],
                         f"erasure:{job.pk}")
        return job
    _set_state(job, ErasureJob.State.RUNNING, hold_reason="", error="",
               attempts=job.attempts + 1)
    fail_after = settings.RIGHTS_ERASURE_FAIL_AFTER
    done_now = 0
    try:
        for name, fn in steps():
            if name in job.steps_done:
                continue
            if fail_after is not None and done_now >= fail_after:
                raise InjectedFailure(f"injected failure after {done_now} steps")
            ctx = _Ctx(job, job.subject_id, job.actor)
            with transaction.atomic():
                fn(ctx)
                job.steps_done = [*job.steps_done, name]
                job.counts = _merge(job.counts, ctx.counts)
                job.kept = [*job.kept, *ctx.kept]
                fields = ["steps_done", "counts", "kept", "updated_at"]
                if name == "tombstone":
                    job.state, job.finished_at = ErasureJob.State.DONE, clock.now()
                    fields += ["state", "finished_at"]
                job.updated_at = clock.now()
                job.save(update_fields=fields)
                if ctx.fields or ctx.counts:
                    audit.record(job.actor, "rights.erasure.step", job.subject_id,
                                 sorted(set(ctx.fields)), f"erasure:{job.pk}:{name}")
            done_now += 1
    except Exception as exc:
        _set_state(job, ErasureJob.State.FAILED, error=type(exc).__name__[:200])
        log.warning("erasure job %s stopped after %d steps (%s)", job.pk,
                    len(job.steps_done), type(exc).__name__)
        raise
    with transaction.atomic():
        audit.record(job.actor, "rights.erasure.done", job.subject_id, [], f"erasure:{job.pk}")
    log.info("erasure job %s done", job.pk)
    return job


def request_erasure(user, *, actor: str,
                    reason: str = ErasureJob.Reason.SUBSCRIBER) -> ErasureJob:
    """Open the user's erasure job and run it in the background once this is committed.

    Raise ``registry.ErasureBlocked`` while a registered precondition answers a blocker
    (checked under the subject's lock, so no write lands between the check and the job).
    Asking twice returns the same job (and enqueues it again, which is harmless: the job
    resumes where it is or returns at once when done).
    """
    from hostpact.privacy.rights.tasks import run_erasure

    with transaction.atomic():
        guard.lock_subject(user.subject_id)
        if not ErasureJob.objects.filter(subject_id=user.subject_id).exists():
            blockers = registry.erasure_blockers(user)
            if blockers:
                raise registry.ErasureBlocked(blockers)
        job = open_job(user.subject_id, actor=actor, reason=reason)
        job_id = job.pk
        transaction.on_commit(lambda: run_erasure.enqueue(job_id))
    log.info("erasure requested for user %s (job %s)", user.pk, job.pk)
    return job


def erase_subject(subject_id, *, actor: str, reason: str = ErasureJob.Reason.STAFF
                  ) -> ErasureJob:
    """Erase everything held about ``subject_id`` that the law does not require to keep.

    Idempotent: the subject has one job; calling again resumes it, or returns it once done.
    A legal hold in force on the subject leaves the job "held" with nothing erased; a hold on
    one record keeps that record, under the hold's key, and the rest is erased.
    """
    job = open_job(subject_id, actor=actor, reason=reason)
    return run_job(job.pk)


def resume_waiting(limit: int = 1000) -> list[int]:
    """Run again the jobs that were held (the hold may have ended) or interrupted."""
    ids = list(ErasureJob.objects.filter(state__in=[ErasureJob.State.HELD,
                                                    ErasureJob.State.FAILED,
                                                    ErasureJob.State.PENDING],
                                         updated_at__lt=clock.now() - timedelta(minutes=5))
               .values_list("pk", flat=True)[:limit])
    finished = []
    for pk in ids:
        try:
            if run_job(pk).state == ErasureJob.State.DONE:
                finished.append(pk)
        except Exception:  # noqa: BLE001 - one broken job must not stop the others
            log.exception("erasure job %s could not be resumed", pk)
    return finished
