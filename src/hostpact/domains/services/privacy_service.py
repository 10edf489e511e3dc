"""The domain privacy service (policy 4.8): what the registry receives for a private domain.

With privacy on, every role of the domain (registrant, admin, tech, billing) is sent to the
registry as the privacy service's contact (``settings.DOMAIN_PRIVACY_SERVICE``: the company's
name, mailbox and postal address under one fixed handle) instead of the customer's contacts,
so none of the customer's contact data goes to the registry for that domain. The platform
keeps the real contacts (``DomainContact``): they are what a complaint may lead to disclosing,
and what the registry receives again when privacy is switched off (a disclosure, recorded by
the registry client like any submission of contact data).

The service's contact is the company's, not a person's: it is marked ``personal=False`` and
its registry copy is tied to one fixed subject (``service_subject_id``) that holds no one's
data.
"""

import uuid

from django.conf import settings

from hostpact.core import clock
from hostpact.core.models import Subject
from hostpact.domains.models import Domain
from hostpact.domains.registry import CONTACT_FIELDS, ContactData
from hostpact.domains.services.contacts import ROLES, contact_data

_SUBJECT_NAMESPACE = uuid.UUID("6f1c1f3e-4c57-4c1e-9d49-0d5a4f7e2b11")


def service_subject_id() -> uuid.UUID:
    """Return the id of the privacy service's own subject (created once, the same id on every
    installation): the registry keeps its copy of the service contact under it."""
    subject_id = uuid.uuid5(_SUBJECT_NAMESPACE, "domain-privacy-service")
    Subject.objects.get_or_create(pk=subject_id, defaults={
        "kind": Subject.Kind.CONTACT, "created_at": clock.now()})
    return subject_id


def service_contact() -> ContactData:
    """Return the privacy service's contact as the registry receives it."""
    config = settings.DOMAIN_PRIVACY_SERVICE
    fields = {k: str(config[k]) for k in CONTACT_FIELDS if config.get(k)}
    return ContactData(str(config["handle"]), service_subject_id(), fields, personal=False)


def registry_contacts(contacts: dict, privacy: bool) -> dict[str, ContactData]:
    """Return what the registry receives for each role: the service's contact with privacy on,
    else each role's own contact (``contacts``: role -> ``Contact``)."""
    if privacy:
        service = service_contact()
        return {role: service for role in ROLES}
    return {role: contact_data(contact) for role, contact in contacts.items()}


def domain_registry_contacts(domain: Domain) -> dict[str, ContactData]:
    """Return what the registry should hold for ``domain``'s roles now (after a change of its
    contacts or of its privacy setting)."""
    roles = {r.role: r.contact for r in domain.roles.select_related("contact")}
    return registry_contacts(roles, domain.privacy)
