"""Background tasks of core. Arguments are ids only, never personal data."""

from django_tasks import task

from hostpact.core import mail


@task()
def deliver_outbox() -> int:
    """Send everything queued in the outbox."""
    total = 0
    while True:
        sent = mail.deliver_queued()
        total += sent
        if not sent:
            return total
