"""Registrant email verification, as ICANN's Whois Accuracy Program (2013 RAA) requires.

When a domain is registered, or a registrant's email changes, a link is mailed to that
address. Ten days later an unverified registrant is reminded (and the subscriber told the date
of suspension); after fifteen days every domain it is registrant of goes on ``clientHold``
(hold reason ``UNVERIFIED``) until the link is opened. The fifteen days run from the first
link for an address: a resent link does not restart them.

The link is a signed token naming the contact and the moment its verification began, never
the address, so a link mailed for an earlier address confirms nothing.
"""

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from hostpact.core import audit, clock
from hostpact.core.mail import queue_mail
from hostpact.domains.models import Contact, Domain, DomainContact
from hostpact.domains.services.common import DomainError
from hostpact.domains.services.holds import UNVERIFIED, add_hold, remove_hold
from hostpact.privacy.rights.guard import SubjectErased, lock_subject_for_write

log = logging.getLogger(__name__)
VERIFY_SALT = "hostpact.domains.verify-contact"
LINK_DAYS = 30  # a link outlives the hold, so opening it still lifts the suspension
REMIND_AFTER = datetime.timedelta(days=10)
HOLD_AFTER = datetime.timedelta(days=15)
ACTOR = "system:verification"
REGISTRANT = DomainContact.Role.REGISTRANT


def registrant_domains(contact: Contact, *, active_only: bool = True):
    """Return the domains ``contact`` is registrant of (only active ones by default)."""
    domains = Domain.objects.filter(roles__contact=contact, roles__role=REGISTRANT)
    return domains.filter(state=Domain.State.ACTIVE) if active_only else domains


def is_registrant(contact: Contact) -> bool:
    """Return True if ``contact`` is registrant of an active domain."""
    return registrant_domains(contact).exists()


def suspension_date(contact: Contact) -> datetime.datetime | None:
    """Return when ``contact``'s domains go on hold if it stays unverified (None: no link)."""
    if contact.email_verified_at or contact.verification_sent_at is None:
        return None
    return contact.verification_sent_at + HOLD_AFTER


def day(moment: datetime.datetime) -> str:
    """Return ``moment``'s date as mails show it ("1 March 2026")."""
    return f"{moment.day} {moment:%B %Y}"


def _stamp(moment: datetime.datetime) -> int:
    return int(moment.timestamp())


def verification_token(contact: Contact) -> str:
    """Return a signed link token for ``contact``'s current verification."""
    return signing.dumps({"c": contact.pk, "s": _stamp(contact.verification_sent_at),
                          "i": _stamp(clock.now())}, salt=VERIFY_SALT)


def _link(contact: Contact) -> str:
    return settings.SITE_URL + reverse("domains:verify_contact",
                                       args=[verification_token(contact)])


def _mail(subject_id, to: str, subject_line: str, template: str, **context) -> None:
    queue_mail(subject_id, to, subject_line, render_to_string(template, context))


def _domain_names(contact: Contact) -> list[str]:
    return list(registrant_domains(contact).values_list("name", flat=True))


@transaction.atomic
def send_registrant_verification(contact: Contact) -> bool:
    """Mail ``contact`` a link confirming its email; return False (nothing mailed) when the
    email is verified already. Starts the fifteen days if none are running."""
    lock_subject_for_write(contact.subject_id)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.email_verified_at:
        return False
    if contact.verification_sent_at is None:
        contact.verification_sent_at, contact.verification_reminded_at = clock.now(), None
        contact.save(update_fields=["verification_sent_at", "verification_reminded_at"])
    _mail(contact.contact_subject_id, contact.email, "Confirm the email address of your domain",
          "domains/mail/verify.txt", contact=contact, link=_link(contact),
          domains=_domain_names(contact), deadline=suspension_date(contact),
          days=LINK_DAYS)
    audit.record(ACTOR, "domains.contact.verification_send", contact.subject_id,
                 ["verification_sent_at"], contact.handle)
    return True


def _payload(token: str) -> dict:
    payload = signing.loads(token, salt=VERIFY_SALT)
    if not isinstance(payload, dict) or not all(
            isinstance(payload.get(k), int) for k in ("c", "s", "i")):
        raise signing.BadSignature("the link's content is not a verification")
    issued = datetime.datetime.fromtimestamp(payload["i"], datetime.UTC)
    if clock.now() - issued > datetime.timedelta(days=LINK_DAYS):
        raise signing.SignatureExpired("the verification link has expired")
    return payload


def _release(domain: Domain, actor: str) -> bool:
    """Lift the unverified hold of ``domain``; a registry refusal leaves it for the next run."""
    if UNVERIFIED not in domain.hold_reasons:
        return False
    try:
        remove_hold(domain, UNVERIFIED, actor=actor)
    except DomainError as exc:
        log.warning("hold of domain %s not lifted: %s", domain.pk, exc.code)
        return False
    return True


def verify_contact_email(token: str) -> Contact:
    """Mark the email of the contact in ``token`` verified and lift the unverified hold of the
    domains it is registrant of.

    Raises ``signing.BadSignature`` (or ``SignatureExpired``) for a bad, old or expired link.
    Opening a link again changes nothing.
    """
    payload = _payload(token)
    with transaction.atomic():
        found = Contact.objects.filter(pk=payload["c"]).first()
        if found is None:
            raise signing.BadSignature("the contact no longer exists")
        lock_subject_for_write(found.subject_id)
        contact = Contact.objects.select_for_update().get(pk=found.pk)
        if contact.email_verified_at:
            return contact
        if (contact.verification_sent_at is None
                or _stamp(contact.verification_sent_at) != payload["s"]):
            raise signing.BadSignature("this link is for an earlier email address")
        actor = f"contact:{contact.handle}"
        contact.email_verified_at = clock.now()
        contact.save(update_fields=["email_verified_at"])
        audit.record(actor, "domains.contact.verify", contact.subject_id, ["email_verified_at"],
                     contact.handle)
        for domain in registrant_domains(contact, active_only=False):
            _release(domain, actor)
    return contact


# --- the daily pass: reminders on day 10, holds on day 15 --------------------------------------

def _pending():
    return (Contact.objects.filter(email_verified_at__isnull=True,
                                   verification_sent_at__isnull=False, roles__role=REGISTRANT,
                                   roles__domain__state=Domain.State.ACTIVE)
            .distinct().order_by("pk"))


@transaction.atomic
def remind_registrant(contact_id: int) -> bool:
    """Remind an unverified registrant ten days after its link, and tell the subscriber the
    date of suspension; return False when no reminder is due (idempotent)."""
    contact = Contact.objects.filter(pk=contact_id).select_related("user").first()
    if contact is None:
        return False
    lock_subject_for_write(contact.subject_id)
    contact = Contact.objects.select_for_update().select_related("user").get(pk=contact_id)
    now = clock.now()
    sent = contact.verification_sent_at
    if (contact.email_verified_at or sent is None or contact.verification_reminded_at
            or not now - HOLD_AFTER < sent <= now - REMIND_AFTER):
        return False
    domains = _domain_names(contact)
    if not domains:
        return False
    deadline = suspension_date(contact)
    _mail(contact.contact_subject_id, contact.email,
          "Reminder: confirm the email address of your domain",
          "domains/mail/verify_reminder.txt", contact=contact, link=_link(contact),
          domains=domains, deadline=deadline)
    _mail(contact.user.subject_id, contact.user.email,
          f"Your domains will be suspended on {day(deadline)}",
          "domains/mail/verify_subscriber_reminder.txt", contact=contact, domains=domains,
          deadline=deadline)
    contact.verification_reminded_at = now
    contact.save(update_fields=["verification_reminded_at"])
    audit.record(ACTOR, "domains.contact.verification_remind", contact.subject_id,
                 ["verification_reminded_at"], contact.handle)
    return True


@transaction.atomic
def hold_unverified(contact_id: int) -> list[str]:
    """Put every active domain of a registrant unverified fifteen days on clientHold and tell
    the subscriber; return the names newly held (none on a second run)."""
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None:
        return []
    lock_subject_for_write(contact.subject_id)
    contact = Contact.objects.select_for_update().select_related("user").get(pk=contact_id)
    sent = contact.verification_sent_at
    if contact.email_verified_at or sent is None or sent > clock.now() - HOLD_AFTER:
        return []
    held = []
    for domain in registrant_domains(contact):
        if UNVERIFIED in domain.hold_reasons:
            continue
        try:
            add_hold(domain, UNVERIFIED, actor=ACTOR)
        except DomainError as exc:
            log.warning("domain %s not put on hold: %s", domain.pk, exc.code)
            continue
        held.append(domain.name)
    if held:
        _mail(contact.user.subject_id, contact.user.email, "Your domains are suspended",
              "domains/mail/verify_subscriber_hold.txt", contact=contact, domains=held,
              link=settings.SITE_URL + reverse("domains:contact", args=[contact.handle]))
    return held


def _release_verified() -> int:
    """Lift holds a registry refused to lift when the registrant verified (retried daily)."""
    domains = (Domain.objects.filter(roles__role=REGISTRANT,
                                     roles__contact__email_verified_at__isnull=False)
               .exclude(hold_reasons=[]).distinct())
    return sum(_release(domain, ACTOR) for domain in domains)


def enforce_verification() -> dict[str, int]:
    """Run the daily pass: remind, hold, retry releases; return how many of each."""
    reminded = held = 0
    for contact_id in list(_pending().values_list("pk", flat=True)):
        try:
            reminded += remind_registrant(contact_id)
            held += len(hold_unverified(contact_id))
        except SubjectErased:
            continue  # the subscriber is being erased: their domains leave with them
    return {"reminded": reminded, "held": held, "released": _release_verified()}
