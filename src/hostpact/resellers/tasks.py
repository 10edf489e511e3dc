"""Background tasks of the resellers app (enqueued by the scheduler). Ids only, no personal
data, in their arguments and results."""

from django_tasks import task

from hostpact.resellers.services import offboarding, removals


@task()
def remind_removals() -> int:
    """Complete the removal requests whose held erasure has finished, then remind staff at 10
    and 20 business days and escalate at 25 (once each); return how many were mailed."""
    removals.follow_erasures()
    return removals.send_reminders()


@task()
def run_offboarding() -> int:
    """Delete the offboarded customers whose grace period is over; return how many."""
    return offboarding.run_offboarding()
