"""Removal requests from resellers (C39): a reseller asks the platform to remove a customer's
data, and the platform does it within thirty business days on the reseller's country's
calendar.

``request_removal`` opens the request (a second one for the same customer while the first is
open merges into it, same due date); ``send_reminders`` (the ``remind_removals`` task) tells
the compliance staff at 10 and 20 business days and escalates at 25, once each;
``complete_removal`` erases the customer through the rights engine and reports to the
reseller what was removed and what was kept, with each keep's basis and until-date. A legal
hold pauses the erasure: the request stays open with the hold's reason, and
``follow_erasures`` completes it once the retention run has resumed and finished the job.
"""

import logging
from datetime import date

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from hostpact.core import audit, clock, subjects
from hostpact.core.calendar import business_days_after, business_days_between
from hostpact.core.mail import queue_mail
from hostpact.core.models import Subject
from hostpact.privacy import controllers, registry, roles, subject_data
from hostpact.privacy.registry import Erasure
from hostpact.privacy.rights import queries as holds
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.privacy.rights.models import ErasureJob
from hostpact.resellers.models import RemovalRequest, Reseller

log = logging.getLogger(__name__)

DUE_BUSINESS_DAYS = 30
REMINDERS = (10, 20)
ESCALATION = 25
STAFF_ROLE = "compliance"


class RemovalError(Exception):
    """A removal request that cannot be made or carried out; ``field`` names what is wrong."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message, self.field = message, field


# --- the clock -------------------------------------------------------------------------------

def due_date(requested_on: date, country: str) -> date:
    """Return the date thirty business days after ``requested_on`` on ``country``'s calendar
    (weekends and its public holidays skipped; India when no country is given)."""
    return business_days_after(requested_on, DUE_BUSINESS_DAYS, country or "IN")


def _requested_on(rr: RemovalRequest) -> date:
    return timezone.localtime(rr.requested_at).date()


def business_days_elapsed(rr: RemovalRequest, today: date | None = None) -> int:
    """Return how many business days have passed since ``rr`` was made."""
    return business_days_between(_requested_on(rr), today or clock.today(), rr.reseller.country)


def business_days_left(rr: RemovalRequest, today: date | None = None) -> int:
    """Return the business days left until ``rr`` is due (0 on the due date, negative once
    overdue)."""
    return business_days_between(today or clock.today(), rr.due_on, rr.reseller.country)


def is_overdue(rr: RemovalRequest, today: date | None = None) -> bool:
    """Return True if ``rr`` is open and escalated or past its due date (the overdue list)."""
    return rr.state == RemovalRequest.State.OPEN and (
        ESCALATION in rr.reminded or rr.due_on < (today or clock.today()))


def overdue_ids(today: date | None = None) -> list[int]:
    """Return the ids of the overdue list (open, and escalated or past due), by due date."""
    today = today or clock.today()
    rows = (RemovalRequest.objects.filter(state=RemovalRequest.State.OPEN)
            .values_list("pk", "due_on", "reminded"))
    return [pk for pk, due_on, reminded in rows if ESCALATION in reminded or due_on < today]


# --- mail -------------------------------------------------------------------------------------

def staff_with(*role_names: str, administrators: bool = False):
    """Return the active staff holding one of ``role_names`` (and the superusers when
    ``administrators``)."""
    who = Q(groups__name__in=role_names)
    if administrators:
        who |= Q(is_superuser=True)
    return (get_user_model().objects.filter(is_staff=True, is_active=True).filter(who)
            .distinct().order_by("pk"))


def mail_staff(staff, template: str, context: dict, subject_line: str) -> int:
    """Mail each of ``staff`` the text ``template`` rendered with ``context``; return how
    many were queued."""
    body = render_to_string(template, context)
    sent = 0
    for user in staff:
        if user.email:
            queue_mail(user.subject_id, user.email, subject_line, body, category="transactional")
            sent += 1
    return sent


def mail_controller(reseller: Reseller, template: str, context: dict, subject_line: str) -> None:
    """Mail the reseller's data-controller contact (a business's published address, held
    under a contact subject of its own so the outbox can encrypt it)."""
    contact = subjects.create_subject(Subject.Kind.CONTACT)
    queue_mail(contact.pk, reseller.controller_email, subject_line,
               render_to_string(template, {"reseller": reseller, **context}),
               category="transactional")


def _page(rr: RemovalRequest) -> str:
    return settings.SITE_URL + reverse("resellers:backoffice_removal", args=[rr.pk])


# --- requests ---------------------------------------------------------------------------------

def request_removal(reseller: Reseller, customer, *, actor: str
                    ) -> tuple[RemovalRequest, bool]:
    """Open a request to remove ``customer``'s data; return it and whether it is new.

    A customer who is not ``reseller``'s raises ``RemovalError`` (answer 404). A request for a
    customer who already has one open returns that one, with its due date (the merge is
    audited)."""
    if (customer is None or customer.realm_id != reseller.realm_id or customer.is_staff
            or customer.realm_id is None):
        raise RemovalError("No such customer of yours.", "customer")
    existing = _open_for(reseller, customer.subject_id)
    if existing is not None:
        return _merge(existing, actor), False
    now = clock.now()
    try:
        with transaction.atomic():
            rr = RemovalRequest.objects.create(
                reseller=reseller, subject_id=customer.subject_id,
                customer_id=customer.customer_id, requested_by=actor[:64], requested_at=now,
                due_on=due_date(clock.today(), reseller.country))
            audit.record(actor, "resellers.removal.request", customer.subject_id, [],
                         f"removal:{rr.pk}")
            mail_staff(staff_with(STAFF_ROLE), "resellers/mail/removal_new.txt",
                       {"rr": rr, "reseller": reseller, "page": _page(rr)},
                       f"Removal request R-{rr.pk} from {reseller.name}, due {rr.due_on}")
    except IntegrityError:  # a concurrent request for the same customer won the race
        return _merge(_open_for(reseller, customer.subject_id), actor), False
    log.info("removal request %s opened for reseller %s", rr.pk, reseller.pk)
    return rr, True


def _open_for(reseller: Reseller, subject_id) -> RemovalRequest | None:
    return RemovalRequest.objects.filter(reseller=reseller, subject_id=subject_id,
                                         state=RemovalRequest.State.OPEN).first()


def _merge(rr: RemovalRequest, actor: str) -> RemovalRequest:
    with transaction.atomic():
        audit.record(actor, "resellers.removal.merge", rr.subject_id, [], f"removal:{rr.pk}")
    return rr


# --- reminders and escalation ----------------------------------------------------------------

def send_reminders(today: date | None = None) -> int:
    """Remind compliance at 10 and 20 business days elapsed and escalate at 25 (to compliance
    and the administrators), once each; return how many requests were mailed. A request first
    seen past several marks gets one mail, which counts for all of them."""
    today = today or clock.today()
    sent = 0
    ids = RemovalRequest.objects.filter(state=RemovalRequest.State.OPEN).values_list("pk",
                                                                                    flat=True)
    for pk in list(ids):
        with transaction.atomic():
            rr = (RemovalRequest.objects.select_for_update(of=("self",))
                  .select_related("reseller").get(pk=pk))
            if rr.state != RemovalRequest.State.OPEN:
                continue
            elapsed = business_days_elapsed(rr, today)
            reached = [m for m in (*REMINDERS, ESCALATION) if elapsed >= m
                       and m not in rr.reminded]
            if not reached:
                continue
            escalate = ESCALATION in reached
            left = business_days_left(rr, today)
            context = {"rr": rr, "reseller": rr.reseller, "elapsed": elapsed, "left": left,
                       "overdue_by": max(0, -left), "page": _page(rr), "escalate": escalate}
            line = (f"{'Escalation' if escalate else 'Reminder'}: removal request R-{rr.pk} "
                    f"({rr.reseller.name}) is due {rr.due_on}")
            mail_staff(staff_with(STAFF_ROLE, administrators=escalate),
                       "resellers/mail/removal_reminder.txt", context, line)
            rr.reminded = sorted(set(rr.reminded) | set(reached))
            rr.save(update_fields=["reminded"])
            audit.record("system", "resellers.removal.escalate" if escalate else
                         "resellers.removal.remind", rr.subject_id, [], f"removal:{rr.pk}")
            sent += 1
    return sent


# --- completion --------------------------------------------------------------------------------

def _actor_name(actor) -> str:
    if isinstance(actor, str):
        return actor
    if not roles.has_role(actor, STAFF_ROLE):
        raise PermissionDenied(f"needs the role {STAFF_ROLE}")
    return audit.actor_of(actor)


def _holdings(subject_id) -> list[dict]:
    """What erasure will take of the subject, found through the data map before it runs:
    per model, its records and the categories of its fields that are not kept by law."""
    out = []
    for entry in registry.entries():
        erased = {n: d for n, d in entry.personal_fields().items() if d.erasure != Erasure.KEEP}
        path = subject_data.subject_path(entry.model) if erased else None
        if path is None:
            continue
        count = entry.model._default_manager.filter(**{path: subject_id}).count()
        if count:
            meta = entry.model._meta
            out.append({"item": str(meta.verbose_name_plural).capitalize(),
                        "model": meta.label, "records": count,
                        "categories": sorted({d.category for d in erased.values()}),
                        "controller": controllers.kind_of(entry.model)})
    return out


def build_report(found: list[dict], job: ErasureJob) -> dict:
    """Return the report of an erasure: what was removed (``found``, taken before it), what
    was kept by law, each with its basis, its until-date and who controls it (registration
    data stays the registrar's, under the registrar's rules), and what legal holds keep."""
    kept = []
    for item in job.kept:
        kind = controllers.kind_of(apps.get_model(item["model"]))
        kept.append({**item, "controller": kind,
                     "note": ("registration data: hostpact keeps it as registrar under the "
                              "registrar's rules" if kind == controllers.REGISTRAR else
                              "kept only as long as the law requires")})
    return {"removed": found, "counts": dict(sorted(job.counts.items())), "kept": kept,
            "holds": holds.held_for_status(job.subject_id), "erasure": str(job.request_id),
            "finished_at": job.finished_at.isoformat() if job.finished_at else None}


def complete_removal(rr: RemovalRequest, *, actor) -> RemovalRequest:
    """Carry out ``rr``: erase the customer through the rights engine, store the report and
    mail it to the reseller's controller. ``actor`` is a staff member of the compliance role
    (or an actor name). Completing a done request does nothing; a legal hold leaves the
    request open with the hold's reason, and ``follow_erasures`` finishes it later."""
    who = _actor_name(actor)
    rr = RemovalRequest.objects.select_related("reseller").get(pk=rr.pk)
    if rr.state == RemovalRequest.State.DONE:
        return rr
    if "found" not in rr.report:
        with transaction.atomic():
            rr.report = {"found": _holdings(rr.subject_id)}
            rr.save(update_fields=["report"])
            audit.record(who, "resellers.removal.start", rr.subject_id, [], f"removal:{rr.pk}")
    job = erasure.erase_subject(rr.subject_id, actor=who, reason=ErasureJob.Reason.RESELLER)
    return _follow(rr, job)


def _follow(rr: RemovalRequest, job: ErasureJob) -> RemovalRequest:
    with transaction.atomic():
        rr = RemovalRequest.objects.select_for_update(of=("self",)).select_related(
            "reseller").get(pk=rr.pk)
        if rr.state == RemovalRequest.State.DONE:
            return rr
        rr.erasure_request_id = job.request_id
        if job.state != ErasureJob.State.DONE:
            rr.report = {**rr.report, "held": job.hold_reason, "erasure": job.get_state_display()}
            rr.save(update_fields=["erasure_request_id", "report"])
            return rr
        rr.report = build_report(rr.report.get("found", []), job)
        rr.state, rr.completed_at = RemovalRequest.State.DONE, clock.now()
        rr.save(update_fields=["erasure_request_id", "report", "state", "completed_at"])
        audit.record(job.actor, "resellers.removal.done", rr.subject_id, [], f"removal:{rr.pk}")
        mail_controller(rr.reseller, "resellers/mail/removal_report.txt",
                        {"rr": rr, "report": rr.report},
                        f"Removal request R-{rr.pk} carried out (customer {rr.customer_id})")
    log.info("removal request %s done", rr.pk)
    return rr


def hold_reason(rr: RemovalRequest) -> str:
    """Return why ``rr``'s erasure is paused ("" when it is not held)."""
    if rr.erasure_request_id is None or rr.state == RemovalRequest.State.DONE:
        return ""
    job = ErasureJob.objects.filter(request_id=rr.erasure_request_id).only(
        "state", "hold_reason").first()
    return job.hold_reason if job and job.state == ErasureJob.State.HELD else ""


def follow_erasures() -> int:
    """Complete the open requests whose erasure has finished since (a hold ended and the
    retention run resumed the job); return how many."""
    done = 0
    waiting = RemovalRequest.objects.filter(state=RemovalRequest.State.OPEN,
                                            erasure_request_id__isnull=False)
    for rr in list(waiting):
        job = ErasureJob.objects.filter(request_id=rr.erasure_request_id).first()
        if job is not None and job.state == ErasureJob.State.DONE:
            _follow(rr, job)
            done += 1
    return done


def as_dict(rr: RemovalRequest) -> dict:
    """Return ``rr`` as the reseller API and panel show it."""
    report = {k: v for k, v in rr.report.items() if k != "found"}
    return {"id": rr.pk, "due": rr.due_on.isoformat(), "state": rr.state,
            "customer": rr.customer_id, "requested_at": rr.requested_at.isoformat(),
            "business_days_left": business_days_left(rr), "report": report}
