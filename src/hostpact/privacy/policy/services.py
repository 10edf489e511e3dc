"""Publishing policy versions, notices, opt-outs of new uses, and questions (C36, C37).

Every write happens here, in a transaction, with its audit event. ``allowed(subject, use)`` is
the question the rest of the platform asks (through ``privacy.allowed``) before using a
subject's data for a purpose.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from hostpact.core import audit, clock
from hostpact.core.mail import queue_mail
from hostpact.core.subjects import create_subject
from hostpact.privacy import registry, taxonomy
from hostpact.privacy.policy.models import Inquiry, PolicyNotice, PolicyVersion, UseOptOut
from hostpact.privacy.rights.guard import lock_subject_for_write

log = logging.getLogger(__name__)
OPTOUT_SALT = "hostpact.policy.opt-out"
NOTICE_BATCH = 500


def notice_days() -> int:
    return settings.POLICY_NOTICE_DAYS


# --- reading versions ----------------------------------------------------------------------

def in_force(at=None) -> PolicyVersion | None:
    """The version in force at ``at`` (default now): the latest that has taken effect."""
    at = at or clock.now()
    return PolicyVersion.objects.filter(effective_at__lte=at).order_by("-number").first()


def upcoming(at=None) -> list[PolicyVersion]:
    """Published versions not in force yet, soonest first."""
    at = at or clock.now()
    return list(PolicyVersion.objects.filter(effective_at__gt=at).order_by("effective_at",
                                                                             "number"))


def use_description(key: str) -> str:
    """The taxonomy's description of a data use key (ours or fideslang's)."""
    if key in taxonomy.EXTENSIONS["data_use"]:
        return taxonomy.EXTENSIONS["data_use"][key]
    from fideslang.default_taxonomy import DEFAULT_TAXONOMY

    for item in DEFAULT_TAXONOMY.data_use:
        if item.fides_key == key:
            return item.description or item.name or key
    return key


# --- publishing ----------------------------------------------------------------------------

def check_version(*, title: str, text: str, effective_at, material: bool, new_uses=(),
                  at=None) -> dict[str, list[str]]:
    """Field errors that refuse publishing these values (empty when they may be published)."""
    at = at or clock.now()
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors.setdefault("title", []).append("Give the version a title.")
    if not (text or "").strip():
        errors.setdefault("text", []).append("The policy text is empty.")
    for use in new_uses:
        if use not in taxonomy.keys()["data_use"]:
            errors.setdefault("new_uses", []).append(f"{use!r} is not a known data use key.")
    if new_uses and not material:
        errors.setdefault("material", []).append(
            "A version that adds uses of data is a material change.")
    if effective_at is None:
        errors.setdefault("effective_at", []).append("Give the date it takes effect.")
        return errors
    if timezone.is_naive(effective_at):
        errors.setdefault("effective_at", []).append("Give a date-time with a time zone.")
        return errors
    if effective_at < at:
        errors.setdefault("effective_at", []).append("A version cannot take effect in the past.")
    elif material and effective_at < at + timedelta(days=notice_days()):
        earliest = timezone.localtime(at + timedelta(days=notice_days())).date()
        errors.setdefault("effective_at", []).append(
            f"A material change takes effect at least {notice_days()} days after it is "
            f"published (not before {earliest:%Y-%m-%d}).")
    latest = PolicyVersion.objects.order_by("-number").first()
    if latest and effective_at < latest.effective_at:
        errors.setdefault("effective_at", []).append(
            f"Version {latest.number} takes effect later; versions take effect in order.")
    return errors


def publish_version(*, title: str, text: str, effective_at, material: bool = False,
                    new_uses=(), summary: str = "", actor: str) -> PolicyVersion:
    """Publish the next version of the policy; for a material one, schedule the notices.

    Raises ``ValidationError`` (a dict of field errors) and publishes nothing when a material
    version would take effect less than ``POLICY_NOTICE_DAYS`` days from now, a use key is
    unknown, or the dates are out of order.
    """
    new_uses = list(dict.fromkeys(u.strip() for u in new_uses if u and u.strip()))
    with transaction.atomic():
        errors = check_version(title=title, text=text, effective_at=effective_at,
                               material=material, new_uses=new_uses)
        if errors:
            raise ValidationError(errors)
        last = PolicyVersion.objects.select_for_update().order_by("-number").first()
        version = PolicyVersion.objects.create(
            number=(last.number + 1) if last else 1, title=title.strip(), text=text,
            effective_at=effective_at, published_at=clock.now(), published_by=actor[:64],
            material=material, new_uses=new_uses, summary=summary,
        )
        audit.record(actor, "policy.publish", None, [], f"policy:{version.number}")
        if material:
            from hostpact.privacy.policy.tasks import send_policy_notices

            transaction.on_commit(lambda: send_policy_notices.enqueue(version.pk))
    log.info("policy version %s published (material=%s)", version.number, material)
    return version


# --- notices -------------------------------------------------------------------------------

def optout_token(version: PolicyVersion, subject_id) -> str:
    """A signed, non-expiring token naming the version and the subject (the notice's link)."""
    return signing.dumps({"v": version.pk, "s": str(subject_id)}, salt=OPTOUT_SALT,
                         compress=True)


def read_optout_token(token: str) -> tuple[PolicyVersion, uuid.UUID]:
    """The (version, subject id) of a token; ``signing.BadSignature`` or DoesNotExist if bad."""
    data = signing.loads(token, salt=OPTOUT_SALT)
    return PolicyVersion.objects.get(pk=data["v"]), uuid.UUID(data["s"])


def _date(moment) -> str:
    return f"{timezone.localtime(moment):%d %B %Y}"


def notice_mail(version: PolicyVersion, user) -> tuple[str, str]:
    """Subject line and body of the advance notice of ``version`` to ``user``."""
    site = settings.SITE_URL
    lines = [
        "Hello,", "",
        f"we have published version {version.number} of the hostpact privacy policy "
        f"(\"{version.title}\"). It takes effect on {_date(version.effective_at)}.", "",
    ]
    if version.summary:
        lines += ["What changes:", version.summary.strip(), ""]
    if version.new_uses:
        lines.append("It adds these uses of the data we already hold about you:")
        lines += [f" - {use_description(u)} ({u})" for u in version.new_uses]
        opt_out = reverse("policy:opt-out", args=[optout_token(version, user.subject_id)])
        lines += ["", "You can opt out of these new uses, before or after that date, with this "
                  "link (no login needed):", "", site + opt_out, "",
                  f"or at any time in your control panel: {site}{reverse('policy:choices')}", ""]
    read = reverse("policy:version", args=[version.number])
    lines += [f"Read the new version: {site}{read}",
              f"Questions about the policy: {site}{reverse('policy:current')}#questions", "",
              f"This notice concerns your account {user.customer_id}.", ""]
    return f"Privacy policy update: version {version.number}", "\n".join(lines)


def affected_subscribers():
    """The subscribers a notice goes to: every active, non-staff account."""
    return get_user_model().objects.filter(is_staff=False, is_active=True).order_by("pk")


def queue_notices(version_id: int, *, batch_size: int | None = None) -> int:
    """Queue the notice of a material version to every affected subscriber; return how many.

    Safe to run again after a crash: each batch is one transaction holding both the outbox
    rows and the ``PolicyNotice`` rows, whose (version, subject) is unique, so a subject
    noticed before is skipped and a half-done batch left nothing behind.
    """
    version = PolicyVersion.objects.get(pk=version_id)
    if not version.material:
        return 0
    batch_size = batch_size or NOTICE_BATCH
    people = affected_subscribers().only("pk", "subject_id", "email")
    PolicyVersion.objects.filter(pk=version.pk).update(notices_total=people.count())
    queued, last_pk = 0, 0
    while True:
        batch = list(people.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            break
        for attempt in (1, 2):
            try:
                queued += _queue_batch(version, batch)
                break
            except IntegrityError:
                # Another run noticed some of these meanwhile; the retry skips them.
                if attempt == 2:
                    raise
        last_pk = batch[-1].pk
        log.info("policy version %s: notices queued up to user %s", version.number, last_pk)
    PolicyVersion.objects.filter(pk=version.pk).update(notices_finished_at=clock.now())
    return queued


def _queue_batch(version: PolicyVersion, batch) -> int:
    with transaction.atomic():
        done = set(PolicyNotice.objects.filter(
            version=version, subject_id__in=[u.subject_id for u in batch]
        ).values_list("subject_id", flat=True))
        now, notices = clock.now(), []
        for user in batch:
            if user.subject_id in done or not user.email:  # noticed already, or erased
                continue
            line, body = notice_mail(version, user)
            message = queue_mail(user.subject_id, user.email, line, body, "policy_notice")
            notices.append(PolicyNotice(version=version, subject_id=user.subject_id,
                                        message=message, created_at=now))
        PolicyNotice.objects.bulk_create(notices)
        PolicyVersion.objects.filter(pk=version.pk).update(
            notices_queued=F("notices_queued") + len(notices))
        return len(notices)


# --- allowed uses and opt-outs ---------------------------------------------------------------

def _subject_id(subject):
    return getattr(subject, "pk", subject)


@lru_cache(maxsize=256)
def declared_use(use: str) -> bool:
    """True if some personal field of the data map lists ``use`` or a broader purpose.

    The data map is fixed once the apps are loaded, hence the cache."""
    return any(taxonomy.within(use, p) for entry in registry.entries()
               for decl in entry.personal_fields().values() for p in decl.purposes)


def _added_uses() -> list[tuple]:
    """(effective_at, new uses) of every version that added uses."""
    return [(at, uses) for at, uses in PolicyVersion.objects.filter(material=True)
            .values_list("effective_at", "new_uses") if uses]


def opted_out_uses(subject) -> set[str]:
    """The uses ``subject`` has opted out of (standing opt-outs only)."""
    rows = UseOptOut.objects.filter(subject_id=_subject_id(subject), active=True)
    return {row.use for row in rows if row.use}


def allowed(subject, use: str) -> bool:
    """May ``subject``'s data serve ``use`` (a fideslang data_use key)?

    The rule, in order:

    1. False if the data map declares no personal field for ``use`` or a broader purpose
       (code may not invent a use the map does not describe);
    2. False if a published version not yet in force adds ``use`` or a broader use: a new
       use waits for its effective date, after the advance notice (C36);
    3. False if the subject opted out of ``use`` or of a broader use (through the notice's link
       or the panel switch), whether before or after the version took effect;
    4. True otherwise.

    ``subject`` is a ``Subject`` or its id; an unknown use key raises ``ValueError``. Consent
    to cookies and marketing subscriptions are checked by the apps that own them, on top.
    """
    taxonomy.check("data_use", use)
    if not declared_use(use):
        return False
    now = clock.now()
    covering = [(at, added) for at, uses in _added_uses() for added in uses
                if taxonomy.within(use, added)]
    if not covering:
        return True  # no version added it, so no opt-out can exist: spare the query
    if any(at > now for at, _added in covering):
        return False
    return not any(taxonomy.within(use, out) for out in opted_out_uses(subject))


def optional_uses() -> list[dict]:
    """Each use added by a material version, with the versions adding it, oldest first."""
    out: dict[str, dict] = {}
    for version in PolicyVersion.objects.filter(material=True).order_by("number"):
        for use in version.new_uses or ():
            entry = out.setdefault(use, {"use": use, "description": use_description(use),
                                         "versions": [], "version": version})
            entry["versions"].append(version)
    return list(out.values())


def uses_for(subject) -> list[dict]:
    """``optional_uses()`` with ``on`` (False when the subject opted out) for the panel."""
    standing = opted_out_uses(subject)
    uses = optional_uses()
    for entry in uses:
        entry["on"] = not any(taxonomy.within(entry["use"], u) for u in standing)
    return uses


def set_use(subject, use: str, *, on: bool, version: PolicyVersion | None = None,
            actor: str) -> None:
    """Turn ``subject``'s opt-out of ``use`` on (``on=False``) or off (``on=True``).

    Only uses a material version added may be switched; essential ones are not optional.
    """
    subject_id = _subject_id(subject)
    known = {e["use"]: e["version"] for e in optional_uses()}
    if use not in known:
        raise ValidationError({"use": [f"{use!r} is not a use added by a policy version."]})
    version = version or known[use]
    with transaction.atomic():
        lock_subject_for_write(subject_id)
        rows = [r for r in UseOptOut.objects.select_for_update().filter(subject_id=subject_id)
                if r.use == use]
        now = clock.now()
        if on:
            for row in rows:
                if row.active:
                    row.active, row.changed_at = False, now
                    row.save(update_fields=["active", "changed_at"])
        elif rows:
            row = rows[0]
            if not row.active:
                row.active, row.changed_at = True, now
                row.save(update_fields=["active", "changed_at"])
        else:
            UseOptOut.objects.create(subject_id=subject_id, version=version, use=use,
                                     active=True, changed_at=now)
        audit.record(actor, "policy.opt_in" if on else "policy.opt_out", subject_id, ["use"],
                     f"policy:{version.number}")


def opt_out(subject, version: PolicyVersion, uses=None, *, actor: str) -> list[str]:
    """Opt ``subject`` out of ``uses`` (default: every use ``version`` adds); return them."""
    chosen = list(version.new_uses) if uses is None else [u for u in uses
                                                          if u in version.new_uses]
    with transaction.atomic():
        for use in chosen:
            set_use(subject, use, on=False, version=version, actor=actor)
    return chosen


# --- questions about the policy (C37) -------------------------------------------------------

@dataclass(frozen=True)
class LegalContact:
    email: str
    address: str


def legal_contact() -> LegalContact:
    return LegalContact(settings.POLICY_CONTACT_EMAIL, settings.POLICY_POSTAL_ADDRESS)


def ask_question(*, name: str, email: str, question: str) -> Inquiry:
    """Record a question for the compliance team and confirm it to the asker by mail.

    The asker becomes a subject of kind "inquirer", so the inquiry is encrypted under their own
    key and erasable like any other person's data.
    """
    with transaction.atomic():
        subject = create_subject("inquirer")
        inquiry = Inquiry.objects.create(subject=subject, version=in_force(), name=name,
                                         email=email, question=question,
                                         created_at=clock.now())
        contact = legal_contact()
        queue_mail(subject.pk, email, "We received your question about our privacy policy",
                   f"Hello,\n\nthank you for your question about the hostpact privacy policy. "
                   f"Our legal department has received it (reference Q-{inquiry.pk}) and will "
                   f"answer at this address.\n\nYou can also write to {contact.email} or to "
                   f"{contact.address}.\n", "inquiry")
        audit.record("anonymous", "policy.inquiry", subject.pk, ["name", "email", "question"],
                     f"inquiry:{inquiry.pk}")
    log.info("policy inquiry %s received", inquiry.pk)
    return inquiry
