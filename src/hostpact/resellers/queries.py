"""Read-only questions about resellers and their customers, always scoped to one reseller."""

from hostpact.accounts.models import User
from hostpact.resellers.models import Membership, Reseller


def customers_of(reseller: Reseller):
    """Return the accounts of ``reseller``'s customers (its realm's users)."""
    return User.objects.filter(realm_id=reseller.realm_id, is_staff=False)


def customer_of(reseller: Reseller, user_id) -> User | None:
    """Return ``reseller``'s customer ``user_id`` (a pk or a customer id), or None for anyone
    else's, so callers answer 404."""
    from hostpact.core.customer_ids import pk_from_customer_id

    pk = pk_from_customer_id(str(user_id)) if not str(user_id).isdigit() else int(user_id)
    if pk is None:
        return None
    return customers_of(reseller).filter(pk=pk).first()


def reseller_of_realm(realm_id) -> Reseller | None:
    """Return the reseller whose realm is ``realm_id`` (None for the platform's own)."""
    if realm_id is None:
        return None
    return Reseller.objects.filter(realm_id=realm_id).first()


def memberships_of(user) -> list[Membership]:
    """Return the resellers ``user`` works for, with the role in each."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Membership.objects.select_related("reseller").filter(user=user))
