"""When a request is due, which are overdue, and the reminders staff get before the date.

A request must be answered within ``settings.DSR_DUE_DAYS`` of its receipt; the assignee is
mailed at each of ``REMINDER_DAYS`` before that, once per threshold, so a missed date is never
a surprise. The overdue list is what compliance watches.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hostpact.core import audit, clock
from hostpact.core.mail import queue_mail
from hostpact.privacy.subject_requests.models import REMINDER_DAYS
from hostpact.privacy.subject_requests.services.states import DSR, S, save


def due_date(received_at: datetime) -> date:
    """Return the due date: ``settings.DSR_DUE_DAYS`` calendar days after receipt."""
    return timezone.localtime(received_at).date() + timedelta(days=settings.DSR_DUE_DAYS)


def overdue(today: date | None = None):
    """Return the open requests past their due date, the most overdue first."""
    today = today or clock.today()
    return (DSR.objects.filter(due_on__lt=today)
            .exclude(status__in=[S.COMPLETED, S.DENIED]).order_by("due_on", "id"))


def send_due_reminders(today: date | None = None) -> int:
    """Mail each assignee once per threshold (7 days, then 1 day before due); return how many.

    A request first seen inside both thresholds gets one mail, which counts for both.
    """
    today = today or clock.today()
    horizon = today + timedelta(days=max(REMINDER_DAYS))
    candidates = (DSR.objects.filter(due_on__lte=horizon, assigned_to__isnull=False)
                  .exclude(status__in=[S.COMPLETED, S.DENIED]).values_list("pk", flat=True))
    sent = 0
    for pk in candidates:
        with transaction.atomic():
            dsr = (DSR.objects.select_for_update(of=("self",)).select_related("assigned_to")
                   .get(pk=pk))
            days_left = (dsr.due_on - today).days
            reached = [t for t in REMINDER_DAYS
                       if days_left <= t and t not in dsr.reminders_sent]
            staff = dsr.assigned_to
            if not reached or staff is None or not staff.email:
                continue
            when = (f"is {-days_left} days overdue" if days_left < 0 else
                    "is due today" if days_left == 0 else f"is due in {days_left} days")
            page = settings.SITE_URL + reverse("admin:requests_dsr_process", args=[dsr.pk])
            queue_mail(staff.subject_id, staff.email, f"Reminder: {dsr.reference} {when}",
                       f"Hello,\n\nthe data-subject request {dsr.reference} ({dsr.kind}) "
                       f"assigned to you {when}, on {dsr.due_on:%d %B %Y}.\n\n{page}\n",
                       category="transactional")
            dsr.reminders_sent = sorted(set(dsr.reminders_sent) | set(reached), reverse=True)
            save(dsr, "reminders_sent")
            audit.record("system", "requests.remind", dsr.subject_id, [], dsr.reference)
            sent += 1
    return sent
