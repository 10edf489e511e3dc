"""Background tasks of the storefront. Arguments are ids only, never personal data."""

from django_tasks import task

from hostpact.storefront.services import cart, fulfilment, renewals


@task()
def fulfil(fulfilment_id: int) -> str:
    """Register or renew one paid domain, or refund it (idempotent)."""
    return fulfilment.fulfil_one(fulfilment_id)


@task()
def sweep_fulfilments() -> int:
    """Finish (or refund) the paid domains a killed worker left pending; answer how many."""
    return sum(bool(fulfilment.fulfil_one(pk)) for pk in fulfilment.stale_fulfilments())


@task()
def auto_renew_domains() -> int:
    """Renew every auto-renewing domain within 30 days of expiry; answer how many renewed."""
    return sum(renewals.auto_renew(pk) == "renewed" for pk in renewals.domains_due())


@task()
def delete_expired_carts() -> int:
    """Delete the carts past their expiry; answer how many."""
    return cart.delete_expired_carts()
