"""The billing address: whom invoices are made out to when not the subscriber's postal self."""

from django.db import transaction

from hostpact.billing.models import BillingAddress
from hostpact.billing.services.common import ADDRESS_FIELDS, BillingError
from hostpact.core import audit, clock
from hostpact.privacy.rights.guard import lock_subject_for_write


@transaction.atomic
def set_billing_address(user, data: dict | None, actor: str) -> BillingAddress | None:
    """Set the address invoices are made out to; empty ``data`` clears it (postal is used)."""
    lock_subject_for_write(user.subject_id)
    data = {k: (data or {}).get(k) or "" for k in ADDRESS_FIELDS}
    existing = BillingAddress.objects.filter(user=user).first()
    if not any(data.values()):
        if existing is not None:
            existing.delete()
            audit.record(actor, "billing.address.clear", user.subject_id, ADDRESS_FIELDS,
                         user.customer_id)
        return None
    for required in ("name", "line1", "city", "postal_code", "country"):
        if not data[required]:
            raise BillingError("This field is required.", required, "required")
    if existing is None:
        existing = BillingAddress(user=user, subject_id=user.subject_id)
        changed = [k for k in ADDRESS_FIELDS if data[k]]
    else:
        changed = [k for k in ADDRESS_FIELDS if (getattr(existing, k) or "") != data[k]]
        if not changed:
            return existing
    for k in ADDRESS_FIELDS:
        setattr(existing, k, data[k])
    existing.updated_at = clock.now()
    existing.save()
    audit.record(actor, "billing.address.set", user.subject_id, changed, user.customer_id)
    return existing
