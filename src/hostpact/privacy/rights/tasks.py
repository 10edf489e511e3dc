"""Background tasks of the rights app. Arguments are ids only, never personal data."""

from django_tasks import task

from hostpact.privacy.rights.erasure import services as erasure
from hostpact.privacy.rights.retention import services as retention


@task()
def run_erasure(job_id: int) -> str:
    """Run or resume one erasure job; return its state."""
    return erasure.run_job(job_id).state


@task()
def run_retention() -> int:
    """The daily retention run (enqueued by the scheduler); return how many items it handled."""
    return sum(line["count"] for line in retention.run())
