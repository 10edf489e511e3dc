"""Background tasks of the privacy complaints: enforce the cases whose deadline has passed."""

from django_tasks import task

from hostpact.domains.complaints import services


@task()
def enforce_complaints() -> int:
    """Hold and disclose for every complaint rejected or past its deadline (idempotent)."""
    return services.enforce_due_complaints()
