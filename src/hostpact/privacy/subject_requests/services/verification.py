"""Proving the person is the subscriber: a one-time code to what is on file, and attestation.

A person who writes, calls or chats has the same rights as one who clicks in the panel, but
only once we know it is them: a one-time code sent to the email or phone already on file, and
the staff member's attestation. The request is verified when both are done. Codes are kept only
as a keyed hash; three wrong ones lock the request for good.
"""

import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from hostpact.core import audit, clock
from hostpact.core.mail import queue_mail
from hostpact.privacy import registry, taxonomy
from hostpact.privacy.subject_requests.models import CODE_LIFE, MAX_CODE_TRIES
from hostpact.privacy.subject_requests.services.states import (
    DSR,
    IllegalTransition,
    RequestError,
    S,
    locked_row,
    move,
    require_staff,
    save,
    state_name,
)

log = logging.getLogger(__name__)
# The app's former package name: changing the salt would void the codes in flight.
CODE_SALT = "hostpact.privacy.requests.code"
PHONE = "user.contact.phone_number"


class RequestLocked(RequestError):
    """Too many wrong codes: the request is locked and can only be denied."""


class CodeExpired(RequestError):
    """The one-time code is older than its life; send a new one."""


class WrongCode(RequestError):
    """The code does not match; ``tries_left`` more may be made."""

    def __init__(self, tries_left: int):
        super().__init__(f"The code is not right; {tries_left} more tries before the request "
                         "locks.", "code")
        self.tries_left = tries_left


def _code_hash(pk: int, code: str) -> str:
    # Keyed by SECRET_KEY and bound to the request, so a leaked table gives nothing to replay.
    return salted_hmac(CODE_SALT, f"{pk}:{code}", algorithm="sha256").hexdigest()


def phone_on_file(subject_id) -> str | None:
    """Return the subscriber's phone number as the data map finds it, or None.

    The first phone-number field declared for subscribers (in the order of their sections on
    the subject's pages) that holds a value; blind indexes are not numbers.
    """
    from hostpact.privacy.subject_data import subject_path

    for entry in sorted(registry.entries(), key=lambda e: registry.section_rank(e.model)):
        path = subject_path(entry.model)
        if path is None:
            continue
        for name, decl in entry.personal_fields().items():
            if (name.endswith("_index") or decl.subject != "subscriber"
                    or not taxonomy.within(decl.category, PHONE)):
                continue
            value = (entry.model._default_manager.filter(**{path: subject_id})
                     .order_by("pk").values_list(name, flat=True).first())
            if value:
                return value
    return None


def send_code(dsr: DSR, staff, via: str) -> DSR:
    """Send a fresh 6-digit code to the email or phone on file; it lives ten minutes.

    Only its keyed hash is stored. A resend replaces the previous code but keeps the count of
    wrong tries, so resending cannot reset the lock.
    """
    actor = require_staff(staff)
    if via not in DSR.CodeVia.values:
        raise RequestError("Send the code by email or by phone.", "via")
    with transaction.atomic():
        dsr = locked_row(dsr)
        if dsr.is_locked:
            raise RequestLocked(f"{dsr.reference} is locked after {MAX_CODE_TRIES} wrong codes.")
        move(dsr, S.IDENTITY_UNVERIFIED)
        user = dsr.user
        if via == DSR.CodeVia.EMAIL:
            to = user.email if user else None
            if not to:
                raise RequestError("There is no email address on file.", "via")
        else:
            to = phone_on_file(dsr.subject_id) if user else None
            if not to:
                raise RequestError("There is no phone number on file.", "via")
            from hostpact.privacy.subject_requests.sms import sms_gateway

            gateway = sms_gateway()
            if settings.PRODUCTION and gateway.fake:
                raise RequestError("No SMS gateway is configured; send the code by email.",
                                   "via")
        code = f"{secrets.randbelow(10**6):06d}"
        now = clock.now()
        dsr.code_via, dsr.code_hash = via, _code_hash(dsr.pk, code)
        dsr.code_sent_at, dsr.code_expires_at = now, now + CODE_LIFE
        dsr.code_verified_at = None
        save(dsr, "status", "code_via", "code_hash", "code_sent_at", "code_expires_at",
             "code_verified_at")
        minutes = int(CODE_LIFE.total_seconds() // 60)
        if via == DSR.CodeVia.EMAIL:
            queue_mail(dsr.subject_id, to, "Your hostpact verification code",
                       f"Hello,\n\nyou asked hostpact support about your personal data "
                       f"(request {dsr.reference}). To prove it is you, read this code to our "
                       f"support staff within {minutes} minutes:\n\n    {code}\n\n"
                       "If you did not contact us, ignore this message and tell us.\n",
                       category="support")
        else:
            text = (f"hostpact: your code for request {dsr.reference} is {code}. "
                    f"Valid {minutes} minutes.")
            subject_id = dsr.subject_id
            transaction.on_commit(lambda: gateway.send(subject_id, to, text))
        audit.record(actor, "requests.code.send", dsr.subject_id,
                     ["email" if via == DSR.CodeVia.EMAIL else "phone"], dsr.reference)
    return dsr


def check_code(dsr: DSR, staff, code: str) -> DSR:
    """Check the code the person read out; three wrong ones lock the request for good."""
    actor = require_staff(staff)
    code = (code or "").strip().replace(" ", "")
    try:
        with transaction.atomic():
            dsr = locked_row(dsr)
            if dsr.is_locked:
                raise RequestLocked(f"{dsr.reference} is locked after {MAX_CODE_TRIES} wrong "
                                    "codes; it can only be denied.")
            if dsr.status != S.IDENTITY_UNVERIFIED or not dsr.code_hash:
                raise IllegalTransition(f"{dsr.reference} is {state_name(dsr.status)}: there "
                                        "is no code waiting to be checked.")
            if dsr.code_expired():
                raise CodeExpired("The code has expired; send a new one.", "code")
            if not (len(code) == 6 and code.isdigit()
                    and constant_time_compare(_code_hash(dsr.pk, code), dsr.code_hash)):
                raise WrongCode(MAX_CODE_TRIES - dsr.code_tries - 1)
            dsr.code_verified_at, dsr.code_hash = clock.now(), ""  # one-time: spent
            save(dsr, "code_verified_at", "code_hash")
            audit.record(actor, "requests.code.verify", dsr.subject_id, [], dsr.reference)
            _verify_if_ready(dsr, actor)
            return dsr
    except WrongCode:
        # Written after the refusal rolled back, on purpose: a refused attempt must still
        # count, or the three-try limit could be guessed around (see DESIGN, "Writes that
        # survive a refusal").
        tries = _count_wrong_try(dsr.pk, actor)
        if tries >= MAX_CODE_TRIES:
            raise RequestLocked(f"{dsr.reference} is now locked after {MAX_CODE_TRIES} wrong "
                                "codes; it can only be denied.", "code") from None
        raise WrongCode(MAX_CODE_TRIES - tries) from None


def _count_wrong_try(pk: int, actor: str) -> int:
    with transaction.atomic():
        dsr = DSR.objects.select_for_update().get(pk=pk)
        dsr.code_tries += 1
        fields = ["code_tries"]
        if dsr.code_tries >= MAX_CODE_TRIES and not dsr.locked_at:
            dsr.locked_at, dsr.code_hash = clock.now(), ""
            fields += ["locked_at", "code_hash"]
        save(dsr, *fields)
        audit.record(actor, "requests.code.wrong", dsr.subject_id, [], dsr.reference)
        if dsr.locked_at and "locked_at" in fields:
            audit.record(actor, "requests.locked", dsr.subject_id, [], dsr.reference)
            log.warning("request %s locked after %d wrong codes", pk, dsr.code_tries)
        return dsr.code_tries


@transaction.atomic
def attest_identity(dsr: DSR, staff, confirmed: bool) -> DSR:
    """Record that the staff member is satisfied the person is who they say they are."""
    actor = require_staff(staff)
    if not confirmed:
        raise RequestError("Tick the box to attest that you checked the person's identity.",
                           "confirmed")
    dsr = locked_row(dsr)
    if dsr.is_locked:
        raise RequestLocked(f"{dsr.reference} is locked; it can only be denied.")
    if dsr.status not in (S.RECEIVED, S.IDENTITY_UNVERIFIED):
        raise IllegalTransition(f"{dsr.reference} is {state_name(dsr.status)}: there is "
                                "nothing left to attest.")
    dsr.attested_by, dsr.attested_at = staff, clock.now()
    save(dsr, "attested_by", "attested_at")
    audit.record(actor, "requests.attest", dsr.subject_id, [], dsr.reference)
    _verify_if_ready(dsr, actor)
    return dsr


def _verify_if_ready(dsr: DSR, actor: str) -> None:
    if dsr.code_verified_at and dsr.attested_at and dsr.status == S.IDENTITY_UNVERIFIED:
        move(dsr, S.VERIFIED)
        dsr.verified_at = clock.now()
        save(dsr, "status", "verified_at")
        audit.record(actor, "requests.verified", dsr.subject_id, [], dsr.reference)
