"""Background tasks of the domains app. Arguments are ids only, never personal data."""

from django_tasks import task  # noqa: F401 - the tasks below are added by their features


@task()
def enforce_registrant_verification() -> dict:
    """Remind registrants unverified ten days, hold the domains of those unverified fifteen
    (the daily pass of the Whois Accuracy Program); idempotent."""
    from hostpact.domains.services.verification import enforce_verification

    return enforce_verification()


@task()
def expire_domains() -> dict:
    """Expire the domains past their date, delete those past the 30-day grace (daily);
    idempotent."""
    from hostpact.domains.services.lifecycle import run_expiry

    return run_expiry()


@task()
def settle_transfers() -> int:
    """End the sponsorship of the domains the registry reports transferred away (polls the
    registry); idempotent."""
    from hostpact.domains.services.lifecycle import settle_transfers as settle

    return settle()


@task()
def purge_ended_registrations() -> dict:
    """Delete the registration data kept 2 years after sponsorship ended (daily, C41);
    idempotent."""
    from hostpact.domains.services.retention import purge_ended_registrations as purge

    return purge()


@task()
def escrow_full_deposit() -> dict:
    """Make the weekly full escrow deposit (finishing one a killed run left); idempotent
    within a day."""
    return _escrow("full")


@task()
def escrow_incremental_deposit() -> dict:
    """Make the daily incremental escrow deposit (full if there was none before); idempotent
    within a day."""
    return _escrow("inc")


def _escrow(kind: str) -> dict:
    from hostpact.domains.escrow.deposit import run_deposit

    made = run_deposit(kind, actor="system:escrow-task")
    return {"deposits": [{"id": d.pk, "kind": d.kind, "day": d.day.isoformat(),
                          "files": len(d.files), "rows": d.rows_done} for d in made]}
