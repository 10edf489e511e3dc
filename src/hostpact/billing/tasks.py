"""Background tasks of billing. Arguments are ids only, never personal data."""

from django_tasks import task

from hostpact.billing import services


@task()
def issue_renewal_invoices() -> int:
    """Invoice every active service whose term ends within the notice period (idempotent)."""
    return sum(services.issue_renewal_invoice(pk) is not None
               for pk in services.services_due_for_renewal())
