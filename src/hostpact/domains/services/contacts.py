"""Reusable domain contacts: each a data subject of its own, with a handle C<number>-HP."""

from django.db import transaction

from hostpact.core import audit, clock
from hostpact.core.models import Subject
from hostpact.core.subjects import create_subject
from hostpact.domains import publication
from hostpact.domains.forms import ContactForm
from hostpact.domains.models import Contact, Domain, DomainContact
from hostpact.domains.registry import CONTACT_FIELDS, ContactData, RegistryError, connector
from hostpact.domains.services.common import DomainError, _refused
from hostpact.domains.services.verification import is_registrant, send_registrant_verification
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


def _locked_contact(contact: Contact) -> Contact:
    lock_subject_for_write(contact.subject_id)
    return Contact.objects.select_for_update().get(pk=contact.pk)


def _clean_update(contact: Contact, data: dict) -> dict:
    """Return the contact's fields with ``data`` applied, validated by ``ContactForm``."""
    unknown = sorted(set(data) - set(CONTACT_FIELDS))
    if unknown:
        raise DomainError(f"{unknown[0]!r} is not a field of a contact.", unknown[0],
                          "invalid_contact")
    merged = {k: getattr(contact, k) or "" for k in CONTACT_FIELDS}
    merged.update({k: "" if v is None else v for k, v in data.items()})
    form = ContactForm(data=merged)
    if not form.is_valid():
        name, messages = next(iter(form.errors.items()))
        raise DomainError(messages[0], "contact" if name == "__all__" else name,
                          "invalid_contact")
    return {k: (form.cleaned_data.get(k) or "") for k in CONTACT_FIELDS}


def _submit(contact: Contact, actor: str) -> None:
    """Send ``contact`` to the registry for each active domain it serves in some role.

    A domain with privacy on is skipped: the registry holds the privacy service's contact for
    it, and the subscriber's own data stays with the registrar.
    """
    roles: dict[int, list[str]] = {}
    for domain_id, role in DomainContact.objects.filter(
            contact=contact, domain__state=Domain.State.ACTIVE,
            domain__privacy=False).values_list("domain_id", "role"):
        roles.setdefault(domain_id, []).append(role)
    if not roles:
        return
    client, data = connector(), contact_data(contact)
    for domain in Domain.objects.filter(pk__in=roles).order_by("name"):
        try:
            client.update(domain.name, owner_subject_id=domain.subject_id, actor=actor,
                          contacts={role: data for role in roles[domain.pk]})
        except RegistryError as exc:
            raise _refused(exc, "contact") from None


@transaction.atomic
def update_contact(contact: Contact, data: dict, *, actor: str) -> list[str]:
    """Change ``contact``'s fields named in ``data``; return the names of those that changed.

    The registry receives the changed contact for each active domain it serves. A changed
    email must be verified again: a registrant is mailed a new link (the Whois Accuracy
    Program's fifteen days start again). Bad input raises ``DomainError`` naming the field;
    nothing is changed then.
    """
    contact = _locked_contact(contact)
    clean = _clean_update(contact, data)
    changed = [k for k in CONTACT_FIELDS if (getattr(contact, k) or "") != clean[k]]
    if not changed:
        return []
    new_email = (contact.email or "").lower() != clean["email"].lower()
    for name in changed:
        setattr(contact, name, clean[name])
    if new_email:
        contact.email_verified_at = None
        contact.verification_sent_at = contact.verification_reminded_at = None
    contact.updated_at = clock.now()
    contact.save()
    _submit(contact, actor)
    audit.record(actor, "domains.contact.update", contact.subject_id, changed, contact.handle)
    publication.changed(contacts=contact)
    if new_email and is_registrant(contact):
        send_registrant_verification(contact)
    return changed


@transaction.atomic
def set_publish(contact: Contact, on: bool, *, actor: str) -> Contact:
    """Record ``contact``'s consent (``on``) or refusal to be published in WHOIS/RDAP, with the
    privacy policy version in force and the moment; unchanged when it says so already."""
    from hostpact.privacy.policy.services import in_force

    if not isinstance(on, bool):
        raise DomainError("Say true or false.", "publish", "invalid")
    contact = _locked_contact(contact)
    if contact.publish == on:
        return contact
    version = in_force()
    if on and version is None:
        raise DomainError("No privacy policy is in force to consent under.", "publish",
                          "no_policy")
    contact.publish, contact.publish_changed_at = on, clock.now()
    contact.publish_policy_version = version.number if version else None
    contact.save(update_fields=["publish", "publish_policy_version", "publish_changed_at"])
    audit.record(actor, "domains.contact.publish" if on else "domains.contact.unpublish",
                 contact.subject_id, ["publish", "publish_policy_version", "publish_changed_at"],
                 contact.handle)
    publication.changed(contacts=contact)
    return contact
