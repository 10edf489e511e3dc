"""clientHold with its reasons: a domain is held while any reason stands (an unverified
registrant email, an upheld privacy complaint), and released when the last one goes."""

from django.db import transaction

from hostpact.core import audit, clock
from hostpact.domains import publication
from hostpact.domains.models import Domain
from hostpact.domains.registry import RegistryError, connector
from hostpact.domains.services.common import _locked, _refused

CLIENT_HOLD = "clientHold"
UNVERIFIED = "unverified_registrant"
COMPLAINT = "privacy_complaint"
REASONS = (UNVERIFIED, COMPLAINT)


def _sync(domain: Domain, reasons: list[str], actor: str) -> Domain:
    held_before = CLIENT_HOLD in domain.statuses
    held = bool(reasons)
    if held != held_before:
        change = ({"add_statuses": (CLIENT_HOLD,)} if held
                  else {"remove_statuses": (CLIENT_HOLD,)})
        try:
            connector().update(domain.name, **change)
        except RegistryError as exc:
            raise _refused(exc, "statuses") from None
        others = [s for s in domain.statuses if s != CLIENT_HOLD]
        domain.statuses = [*others, CLIENT_HOLD] if held else others
    domain.hold_reasons, domain.updated_at = reasons, clock.now()
    domain.save(update_fields=["statuses", "hold_reasons", "updated_at"])
    audit.record(actor, "domains.domain.hold" if held else "domains.domain.release",
                 domain.subject_id, ["statuses", "hold_reasons"], f"domain:{domain.pk}")
    publication.changed(domain)
    return domain


@transaction.atomic
def add_hold(domain: Domain, reason: str, *, actor: str) -> Domain:
    """Put ``domain`` on clientHold for ``reason`` (one of ``REASONS``); idempotent."""
    if reason not in REASONS:
        raise ValueError(f"unknown hold reason {reason!r}")
    domain = _locked(domain)
    if reason in domain.hold_reasons:
        return domain
    return _sync(domain, [*domain.hold_reasons, reason], actor)


@transaction.atomic
def remove_hold(domain: Domain, reason: str, *, actor: str) -> Domain:
    """Drop ``reason``; clientHold is lifted when no reason is left. Idempotent."""
    domain = _locked(domain)
    if reason not in domain.hold_reasons:
        return domain
    return _sync(domain, [r for r in domain.hold_reasons if r != reason], actor)
