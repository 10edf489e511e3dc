"""Background tasks of the analytics app (enqueued by the scheduler). No arguments."""

from django_tasks import task

from hostpact.analytics import services


@task()
def snapshot_demographics() -> int:
    """Count subscribers by country and age band into the dashboard's snapshot."""
    return services.snapshot_demographics()


@task()
def destroy_visit_salts() -> int:
    """Destroy the cookieless visit counting's salts older than 48 hours (C07)."""
    return services.destroy_visit_salts()
