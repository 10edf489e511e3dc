"""The people who work in a reseller's panel: users of ours, each under one role."""

from django.db import transaction

from hostpact.accounts.models import User
from hostpact.core import audit, clock
from hostpact.resellers.models import Membership, Reseller

# What each role may do in the reseller panel (and what keys it may create).
ROLE_RIGHTS = {
    Membership.Role.OWNER: {"settings", "customers:read", "customers:write", "removals",
                            "opt-outs", "domains", "keys", "members", "requests"},
    Membership.Role.SALES: {"customers:read", "customers:write", "domains"},
    Membership.Role.SUPPORT: {"customers:read", "opt-outs", "removals", "requests"},
}


@transaction.atomic
def add_member(reseller: Reseller, user: User, role: str, *, actor: str) -> Membership:
    """Let ``user`` (one of the platform's own accounts) work for ``reseller`` as ``role``."""
    if user.realm_id is not None:
        raise ValueError("a reseller's users are accounts of the platform, not customers")
    if role not in Membership.Role.values:
        raise ValueError(f"role must be one of {', '.join(Membership.Role.values)}")
    member, _ = Membership.objects.update_or_create(
        reseller=reseller, user=user, defaults={"role": role, "created_at": clock.now()})
    audit.record(actor, "resellers.member.add", user.subject_id, [], f"reseller:{reseller.pk}")
    return member


def may(member: Membership, right: str) -> bool:
    """Return True if ``member``'s role gives ``right``."""
    return right in ROLE_RIGHTS[member.role]
