"""The registry built into the platform: authoritative for ``settings.DOMAIN_TLDS``.

It keeps its own tables (``registry/models.py``) and object ids (``<n>_DOMAIN-HP``,
``<n>_CONTACT-HP``), in the platform's database, so a registration and the registry's record
of it commit or roll back together. It enforces what a registry enforces: a name is taken
once, ``client*Prohibited`` and ``server*Prohibited`` statuses refuse their command, and a
transfer needs the right auth code.
"""

import hmac
import json

from dateutil.relativedelta import relativedelta

from hostpact.core import clock
from hostpact.domains.names import tlds
from hostpact.domains.registry import ContactData, Host, Info, Message, Registry, RegistryError
from hostpact.domains.registry.models import RegistryContact, RegistryDomain, RegistryMessage


def _prohibited(row: RegistryDomain, command: str) -> None:
    for prefix in ("client", "server"):
        status = f"{prefix}{command}Prohibited"
        if status in row.statuses:
            raise RegistryError(f"{row.name} has status {status}.", "prohibited")


class BuiltinRegistry(Registry):
    def _authoritative(self, name: str) -> None:
        if name.rsplit(".", 1)[-1] not in tlds():
            raise RegistryError(f"This registry is not authoritative for {name}.",
                                "not_authoritative")

    def _row(self, name: str, *, lock=False) -> RegistryDomain:
        self._authoritative(name)
        rows = RegistryDomain.objects.select_for_update() if lock else RegistryDomain.objects
        row = rows.filter(name=name).first()
        if row is None:
            raise RegistryError(f"{name} is not registered.", "not_found")
        return row

    def _sponsored(self, name: str) -> RegistryDomain:
        row = self._row(name, lock=True)
        if row.sponsor != self.registrar_id:
            raise RegistryError(f"{name} is sponsored by another registrar.", "not_sponsor")
        return row

    def _info(self, row: RegistryDomain) -> Info:
        return Info(name=row.name, roid=row.roid, sponsor=row.sponsor,
                    created_at=row.created_at, expires_at=row.expires_at,
                    statuses=tuple(row.statuses) or ("ok",),
                    nameservers=tuple(Host(n["host"], tuple(n.get("addresses", ())))
                                      for n in row.nameservers),
                    contacts=dict(row.contacts))

    def _store_contacts(self, contacts: dict[str, ContactData]) -> dict[str, str]:
        now = clock.now()
        for contact in {c.handle: c for c in contacts.values()}.values():
            row = RegistryContact.objects.filter(handle=contact.handle).first()
            data = json.dumps(contact.fields, sort_keys=True)
            if row is None:
                row = RegistryContact.objects.create(
                    handle=contact.handle, sponsor=self.registrar_id,
                    subject_id=contact.subject_id, data=data, created_at=now, updated_at=now)
                row.roid = f"{row.pk}_CONTACT-HP"
                row.save(update_fields=["roid"])
            else:
                row.data, row.updated_at = data, now
                row.save(update_fields=["data", "updated_at"])
        return {role: c.handle for role, c in contacts.items()}

    def __init__(self, registrar_id: str | None = None):
        # Another registrar (a gaining one, in a transfer) is this registry seen by it.
        if registrar_id:
            self.registrar_id = registrar_id

    def _message(self, name: str, text: str, sponsor: str | None = None) -> None:
        RegistryMessage.objects.create(sponsor=sponsor or self.registrar_id, domain=name,
                                       text=text, created_at=clock.now())

    # --- the commands ----------------------------------------------------------------------

    def check(self, names):
        for name in names:
            self._authoritative(name)
        taken = set(RegistryDomain.objects.filter(name__in=list(names))
                    .values_list("name", flat=True))
        return {name: name not in taken for name in names}

    def create(self, name, *, years, nameservers, contacts, auth_code_hash="", statuses=()):
        self._authoritative(name)
        if RegistryDomain.objects.filter(name=name).exists():
            raise RegistryError(f"{name} is already registered.", "taken")
        now = clock.now()
        row = RegistryDomain.objects.create(
            name=name, sponsor=self.registrar_id, created_at=now,
            expires_at=now + relativedelta(years=years), updated_at=now,
            statuses=list(statuses),
            nameservers=[{"host": h.host, "addresses": list(h.addresses)} for h in nameservers],
            contacts=self._store_contacts(contacts), auth_code_hash=auth_code_hash)
        row.roid = f"{row.pk}_DOMAIN-HP"
        row.save(update_fields=["roid"])
        return self._info(row)

    def renew(self, name, *, years, current_expiry):
        row = self._sponsored(name)
        _prohibited(row, "Renew")
        if row.expires_at != current_expiry:
            raise RegistryError("The current expiry date does not match the registry's.",
                                "expiry_mismatch")
        row.expires_at = row.expires_at + relativedelta(years=years)
        row.updated_at = clock.now()
        row.save(update_fields=["expires_at", "updated_at"])
        self._message(name, f"Renewed until {row.expires_at.date().isoformat()}.")
        return row.expires_at

    def update(self, name, *, add_statuses=(), remove_statuses=(), nameservers=None,
               contacts=None, auth_code_hash=None):
        row = self._sponsored(name)
        changes_status = set(remove_statuses) | set(add_statuses)
        if "clientUpdateProhibited" in row.statuses and (
                changes_status != {"clientUpdateProhibited"}):
            raise RegistryError(f"{name} has status clientUpdateProhibited.", "prohibited")
        if "serverUpdateProhibited" in row.statuses:
            raise RegistryError(f"{name} has status serverUpdateProhibited.", "prohibited")
        statuses = [s for s in row.statuses if s not in set(remove_statuses)]
        statuses += [s for s in add_statuses if s not in statuses]
        row.statuses = statuses
        if nameservers is not None:
            row.nameservers = [{"host": h.host, "addresses": list(h.addresses)}
                               for h in nameservers]
        if contacts:
            row.contacts = {**row.contacts, **self._store_contacts(contacts)}
        if auth_code_hash is not None:
            row.auth_code_hash = auth_code_hash
        row.updated_at = clock.now()
        row.save()
        return self._info(row)

    def transfer(self, name, *, auth_code_hash):
        """Move ``name`` to this registrar: the gaining registrar's command. The auth code's
        keyed hash must match the one the losing registrar set; the losing registrar finds
        the completed transfer in its poll queue. The registration gains a year (ICANN
        Transfer Policy) and loses the losing registrar's ``client*`` statuses: they were
        its to set."""
        row = self._row(name, lock=True)
        if row.sponsor == self.registrar_id:
            raise RegistryError(f"{name} is already sponsored by this registrar.", "prohibited")
        _prohibited(row, "Transfer")
        if not (row.auth_code_hash and auth_code_hash
                and hmac.compare_digest(row.auth_code_hash, auth_code_hash)):
            raise RegistryError("The auth code is not the domain's.", "auth_failed")
        self._message(name, f"Transferred away to {self.registrar_id}.", sponsor=row.sponsor)
        row.sponsor, row.auth_code_hash, row.updated_at = self.registrar_id, "", clock.now()
        row.expires_at = row.expires_at + relativedelta(years=1)
        row.statuses = [s for s in row.statuses if not s.startswith("client")]
        row.save(update_fields=["sponsor", "auth_code_hash", "updated_at", "expires_at",
                                "statuses"])
        return self._info(row)

    def delete(self, name):
        """Delete the registration; the name is free to register again at once."""
        row = self._sponsored(name)
        _prohibited(row, "Delete")
        row.delete()

    def info(self, name):
        return self._info(self._row(name))

    def poll(self, *, ack=None):
        mine = RegistryMessage.objects.filter(sponsor=self.registrar_id, acked_at__isnull=True)
        if ack is not None:
            mine.filter(pk=ack).update(acked_at=clock.now())
        return [Message(m.pk, m.domain, m.text, m.created_at) for m in mine.order_by("pk")]
