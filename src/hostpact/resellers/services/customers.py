"""A reseller signs up a customer: an account in the reseller's realm, under its direction.

The customer's data is collected for the reseller (policy 10, C38): the account lives in its
realm, seen by it and the platform only; the card stays with the reseller, who bills its
customers itself.
"""

from django.db import transaction

from hostpact.accounts import services as accounts
from hostpact.accounts.models import User
from hostpact.accounts.validation import is_under_min_age
from hostpact.core import audit
from hostpact.resellers.models import Reseller
from hostpact.resellers.services.resellers import ResellerError, selling_refusal


def create_customer(reseller: Reseller, data: dict, *, actor: str) -> User:
    """Create ``reseller``'s customer from cleaned ``CustomerForm`` data. Raises
    ``ResellerError`` when the reseller may not sell, ``accounts.UnderMinimumAge`` (nothing
    stored) or ``accounts.EmailTaken`` (in the reseller's realm)."""
    refusal = selling_refusal(reseller)
    if refusal:
        raise ResellerError(refusal, "reseller")
    if is_under_min_age(data["date_of_birth"]):
        accounts.refuse_child()
        raise accounts.UnderMinimumAge()
    with transaction.atomic():
        user = accounts.create_subscriber(data, realm_id=reseller.realm_id)
        audit.record(actor, "resellers.customer.create", user.subject_id, [],
                     f"reseller:{reseller.pk}")
    return user
