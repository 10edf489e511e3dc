"""Reusable domain contacts: each a data subject of its own, with a handle C<number>-HP."""

from django.db import transaction

from hostpact.core import audit, clock
from hostpact.core.models import Subject
from hostpact.core.subjects import create_subject
from hostpact.domains.forms import ContactForm
from hostpact.domains.models import Contact, DomainContact
from hostpact.domains.registry import CONTACT_FIELDS, ContactData
from hostpact.domains.services.common import DomainError
from hostpact.privacy.rights.guard import lock_subject_for_write

ROLES = tuple(DomainContact.Role.values)


def _clean_contact(data: dict, field: str) -> dict:
    form = ContactForm(data=data)
    if not form.is_valid():
        name, messages = next(iter(form.errors.items()))
        where = field if name == "__all__" else f"{field}.{name}"
        raise DomainError(f"{messages[0]}", where, "invalid_contact")
    return {k: (form.cleaned_data.get(k) or "") for k in CONTACT_FIELDS}


def _new_contact(user, clean: dict, actor: str) -> Contact:
    now = clock.now()
    contact = Contact.objects.create(
        user=user, subject_id=user.subject_id,
        contact_subject=create_subject(Subject.Kind.CONTACT),
        created_at=now, updated_at=now, **clean)
    contact.handle = f"C{contact.pk}-HP"
    contact.save(update_fields=["handle"])
    audit.record(actor, "domains.contact.create", user.subject_id, CONTACT_FIELDS,
                 contact.handle)
    return contact


@transaction.atomic
def create_contact(user, data: dict, actor: str) -> Contact:
    """Create a reusable contact of ``user`` from its fields (name, organization, email,
    phone, line1, line2, city, region, postal_code, country); unpublished."""
    lock_subject_for_write(user.subject_id)
    return _new_contact(user, _clean_contact(data, "contact"), actor)


def _resolve_contact(user, value, field: str, actor: str, made: dict) -> Contact:
    if isinstance(value, Contact):
        if value.user_id != user.pk:
            raise DomainError("You have no contact with this handle.", field, "unknown_contact")
        return value
    if isinstance(value, str):
        contact = Contact.objects.filter(handle=value.strip().upper(), user=user).first()
        if contact is None:
            raise DomainError(f"You have no contact with the handle {value.strip()!r}.", field,
                              "unknown_contact")
        return contact
    if isinstance(value, dict):
        clean = _clean_contact(value, field)
        key = tuple(sorted(clean.items()))
        if key not in made:  # the same data for several roles is one contact
            made[key] = _new_contact(user, clean, actor)
        return made[key]
    raise DomainError("Give a contact handle or the contact's fields.", field,
                      "invalid_contact")


def contact_data(contact: Contact) -> ContactData:
    """What the registry receives of ``contact``: its non-empty fields."""
    fields = {k: getattr(contact, k) for k in CONTACT_FIELDS if getattr(contact, k)}
    return ContactData(contact.handle, contact.contact_subject_id, fields)
