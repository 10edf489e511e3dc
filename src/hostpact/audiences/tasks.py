"""Background tasks of the audiences app. ``build_profiles`` rebuilds the aggregate profile
tables, daily from ``PERIODIC_TASKS`` (counts move slowly)."""

from django_tasks import task

from hostpact.audiences import profiles


@task()
def build_profiles() -> int:
    """Rebuild the aggregate profile tables; return how many cells were stored."""
    return profiles.build_profiles(actor="system")
