"""Fulfilment of paid domains: register, renew or transfer in at the registry, or refund.

A fulfilment runs under its row's lock and commits the registrar's rows together with its
state, so running it twice (the task and the sweep, or a retry) registers once. A refusal
(the name taken meanwhile, the registry's no) refunds the order and tells the customer;
an unexpected failure is retried by the sweep, and refunded after ``MAX_ATTEMPTS``. A
transfer's auth code is cleared from its row once the transfer is done or refunded.
"""

import logging
from datetime import timedelta

from django.db import transaction

from hostpact.billing.services import BillingError, refund_order
from hostpact.core import clock
from hostpact.core.mail import queue_mail
from hostpact.domains.models import SPONSORED_STATES, Domain
from hostpact.domains.queries import shown
from hostpact.domains.services.changes import renew_domain
from hostpact.domains.services.common import DomainError
from hostpact.domains.services.registration import register_domain
from hostpact.domains.services.transfer_in import transfer_in_domain
from hostpact.privacy.rights.guard import SubjectErased, lock_subject, lock_subject_for_write
from hostpact.storefront.models import Fulfilment

log = logging.getLogger(__name__)

ACTOR = "system:fulfilment"
VERBS = {Fulfilment.Kind.REGISTER: "register", Fulfilment.Kind.RENEW: "renew",
         Fulfilment.Kind.TRANSFER: "transfer"}
WHY = {Fulfilment.Kind.REGISTER: "most often because someone else registered the name first",
       Fulfilment.Kind.RENEW: "most often because someone else registered the name first",
       Fulfilment.Kind.TRANSFER: "most often because the auth code was not the domain's, or "
                                 "its current registrar locked it"}
MAX_ATTEMPTS = 5
STALE_AFTER = timedelta(minutes=1)  # pending this long: its worker died


def _carry_out(row: Fulfilment) -> None:
    if row.kind == Fulfilment.Kind.TRANSFER:
        if Domain.objects.filter(name=row.domain, user=row.user,
                                 state__in=SPONSORED_STATES).exists():
            return  # transferred by an earlier run whose state update was lost
        transfer_in_domain(row.user, row.domain, auth_code=row.auth_code or "",
                           contacts=dict(row.contacts), privacy=row.privacy, actor=ACTOR)
        return
    if row.kind == Fulfilment.Kind.REGISTER:
        if Domain.objects.filter(name=row.domain, user=row.user,
                                 state__in=SPONSORED_STATES).exists():
            return  # registered by an earlier run whose state update was lost
        register_domain(row.user, row.domain, years=row.years, nameservers=row.nameservers,
                        contacts=dict(row.contacts), privacy=row.privacy, actor=ACTOR)
        return
    domain = Domain.objects.filter(name=row.domain, user=row.user,
                                   state__in=SPONSORED_STATES).first()
    if domain is None:
        raise DomainError(f"{shown(row.domain)} is no longer yours to renew.", "domain",
                          "not_found")
    renew_domain(domain, row.years, actor=ACTOR)


def _tell_refused(row: Fulfilment) -> None:
    what = VERBS[row.kind]
    queue_mail(row.subject_id, row.user.email, f"We could not {what} {shown(row.domain)}",
               f"Hello,\n\nwe could not {what} the domain {shown(row.domain)}: the registry "
               f"refused it ({WHY[row.kind]}). We have refunded what you paid for it, "
               "including GST, to your card.\n\nThe rest of your order is not affected.\n")


def _refund(row: Fulfilment, code: str) -> None:
    try:
        refund_order(row.order, actor=ACTOR, reason=f"domain {row.kind} refused: {code}")
    except BillingError as exc:
        # The sweep tries again; the domain is neither registered nor refunded meanwhile.
        row.last_error = f"refund failed: {exc.code}"
        row.save(update_fields=["last_error", "attempts", "updated_at"])
        log.warning("refund of fulfilment %s failed: %s", row.pk, exc.code)
        return
    row.state, row.last_error, row.auth_code = Fulfilment.State.REFUNDED, code, ""
    row.save(update_fields=["state", "last_error", "auth_code", "attempts", "updated_at"])
    _tell_refused(row)


def fulfil_one(fulfilment_id: int) -> str:
    """Register or renew one paid domain, or refund it; answer the fulfilment's state."""
    subject_id = (Fulfilment.objects.filter(pk=fulfilment_id)
                  .values_list("subject_id", flat=True).first())
    if subject_id is None:
        return ""
    with transaction.atomic():
        lock_subject(subject_id)  # the subscriber first, as every write does
        row = (Fulfilment.objects.select_for_update(of=("self",)).select_related("user", "order")
               .get(pk=fulfilment_id))
        if row.state != Fulfilment.State.PENDING:
            return row.state
        row.attempts += 1
        row.updated_at = clock.now()
        try:
            with transaction.atomic():
                lock_subject_for_write(subject_id)  # an account being erased gets no domain
                _carry_out(row)
        except (DomainError, SubjectErased) as exc:
            _refund(row, getattr(exc, "code", "erased"))
            return row.state
        except Exception as exc:  # noqa: BLE001 - any other failure is retried by the sweep
            # The type only: an exception's text may carry the domain name (DESIGN rule 5).
            log.warning("fulfilment %s failed (attempt %s): %s", row.pk, row.attempts,
                        type(exc).__name__)
            if row.attempts >= MAX_ATTEMPTS:
                _refund(row, "failed")
                return row.state
            row.last_error = type(exc).__name__[:300]
            row.save(update_fields=["attempts", "last_error", "updated_at"])
            return row.state
        row.state, row.last_error, row.auth_code = Fulfilment.State.DONE, "", ""
        row.save(update_fields=["state", "last_error", "auth_code", "attempts", "updated_at"])
        return row.state


def stale_fulfilments() -> list[int]:
    """Return the pending fulfilments no worker has touched for ``STALE_AFTER``."""
    return list(Fulfilment.objects.filter(state=Fulfilment.State.PENDING,
                                          updated_at__lte=clock.now() - STALE_AFTER)
                .values_list("pk", flat=True))
