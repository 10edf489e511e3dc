"""The registry connector: one interface to whichever registry serves the TLDs (C03, C22).

``Registry`` is what a connector implements (EPP's commands: check, create, renew, update,
transfer, delete, info, poll). ``connector()`` returns the one ``settings.DOMAIN_REGISTRY``
names (default: the registry built into the platform, ``builtin.BuiltinRegistry``), wrapped in
a ``Client`` that records every submission of contact data through ``privacy.disclose()``
before the connector sends it: the registry is a recipient with a standing agreement, so the
subscriber sees each submission under "Who received my data". A connector is never called
with contact data except through the client.
"""

import datetime
import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

from hostpact import privacy

RECIPIENT = "registry"
PURPOSE = "essential.service"  # registering and keeping the subscriber's domain
# The fields of a contact the registry receives, in the order it shows them. Their categories
# are read from the data map (domains/datamap.py), never copied here.
CONTACT_FIELDS = ("name", "organization", "email", "phone", "line1", "line2", "city", "region",
                  "postal_code", "country")


def _category(model, field_name: str) -> str:
    from hostpact.privacy import registry

    return registry.for_model(model).fields[field_name].category


class RegistryError(Exception):
    """The registry refused a command; ``code``: ``taken``, ``not_found``, ``prohibited``,
    ``not_authoritative``, ``auth_failed``, ``not_sponsor``."""

    def __init__(self, message: str, code: str = "refused"):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ContactData:
    """A contact as submitted: its handle, its own subject, and the fields sent (non-empty).

    ``personal`` is False for the registrar's own privacy service contact: sending it
    discloses nobody's data, so the client records no disclosure of it."""

    handle: str
    subject_id: uuid.UUID
    fields: dict[str, str]
    personal: bool = True

    def categories(self) -> list[str]:
        from hostpact.domains.models import Contact

        return list(dict.fromkeys(_category(Contact, k) for k, v in self.fields.items() if v))


@dataclass(frozen=True)
class Host:
    host: str
    addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Info:
    name: str
    roid: str
    sponsor: str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    statuses: tuple[str, ...]
    nameservers: tuple[Host, ...]
    contacts: dict[str, str] = field(default_factory=dict)  # role -> handle


@dataclass(frozen=True)
class Message:
    id: int
    domain: str
    text: str
    created_at: datetime.datetime


class Registry(ABC):
    """What a registry connector does. Names are A-labels; times are aware datetimes."""

    registrar_id = "hostpact"

    @abstractmethod
    def check(self, names: list[str]) -> dict[str, bool]:
        """Which of ``names`` are available (True) to register."""

    @abstractmethod
    def create(self, name: str, *, years: int, nameservers: list[Host],
               contacts: dict[str, ContactData], auth_code_hash: str = "",
               statuses: tuple[str, ...] = ()) -> Info:
        """Register ``name`` for ``years`` with its name servers and contacts."""

    @abstractmethod
    def renew(self, name: str, *, years: int,
              current_expiry: datetime.datetime) -> datetime.datetime:
        """Extend the registration; answer the new expiry."""

    @abstractmethod
    def update(self, name: str, *, add_statuses=(), remove_statuses=(),
               nameservers: list[Host] | None = None,
               contacts: dict[str, ContactData] | None = None,
               auth_code_hash: str | None = None) -> Info:
        """Change the statuses, name servers, contacts or auth code of ``name``."""

    @abstractmethod
    def transfer(self, name: str, *, auth_code_hash: str) -> Info:
        """Move the sponsorship of ``name`` to this registrar (the auth code proves consent);
        the registration is extended by one year and the losing registrar's ``client*``
        statuses are dropped."""

    @abstractmethod
    def delete(self, name: str) -> None:
        """Delete the registration of ``name``."""

    @abstractmethod
    def info(self, name: str) -> Info:
        """What the registry holds about ``name``."""

    @abstractmethod
    def poll(self, *, ack: int | None = None) -> list[Message]:
        """The registrar's unacknowledged messages (after acknowledging ``ack``)."""


class Client:
    """A connector with the disclosures gate in front of every submission of contact data."""

    def __init__(self, registry: Registry):
        self.registry = registry

    def __getattr__(self, name):  # check, renew, transfer, delete, info, poll
        return getattr(self.registry, name)

    def disclose(self, name: str, owner_subject_id, contacts: dict[str, ContactData], *,
                 actor: str):
        """Record the submission of ``contacts`` for domain ``name`` (raises
        ``DisclosureRefused`` if the registry may not have them: then nothing is sent)."""
        from hostpact.domains.models import Domain

        categories = [_category(Domain, "name")]
        contacts = {role: c for role, c in contacts.items() if c.personal}
        for contact in contacts.values():
            categories += contact.categories()
        subjects = [owner_subject_id, *(c.subject_id for c in contacts.values())]
        return privacy.disclose(RECIPIENT, subjects, list(dict.fromkeys(categories)), PURPOSE,
                                "", actor=actor, reference=f"domain:{name}")

    def create(self, name, *, owner_subject_id, actor, contacts, **kwargs) -> Info:
        self.disclose(name, owner_subject_id, contacts, actor=actor)
        return self.registry.create(name, contacts=contacts, **kwargs)

    def update(self, name, *, owner_subject_id=None, actor="system", contacts=None,
               **kwargs) -> Info:
        if any(c.personal for c in (contacts or {}).values()):
            self.disclose(name, owner_subject_id, contacts, actor=actor)
        return self.registry.update(name, contacts=contacts, **kwargs)


def connector() -> Client:
    """The configured registry (``settings.DOMAIN_REGISTRY``), behind the disclosures gate."""
    return Client(import_string(settings.DOMAIN_REGISTRY)())
