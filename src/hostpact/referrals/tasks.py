"""Background tasks of the referrals app. Arguments are ids only, never personal data."""

from django_tasks import task

from hostpact.referrals import services


@task()
def mature_earnings() -> int:
    """Settle the rewards and commissions whose maturity has passed (idempotent)."""
    return services.mature_earnings()
