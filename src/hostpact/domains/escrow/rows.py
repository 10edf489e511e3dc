"""What a deposit holds, read in chunks: its domains, privacy customers and contacts as CSV rows.

A full deposit holds every sponsored domain and every contact they use; an incremental one the
domains changed after ``since`` and the contacts changed after it or named by those domains
(every handle a domain row names is in the same deposit's handle file). Rows created after
the deposit's snapshot wait for the next deposit, so what the disclosure names (computed at
the start) is what the files hold, however long the run takes or when it resumes.

Each stream is read by id after the last id written (keyset), ``CHUNK`` rows a query, with the
contacts' data keys fetched once a chunk: memory stays flat in the number of domains.
"""

import uuid
from collections.abc import Iterator

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db.models import Exists, OuterRef, Q, TextField
from django.db.models.functions import Cast

from hostpact.core import crypto
from hostpact.core.models import DataKey
from hostpact.domains.escrow import layout
from hostpact.domains.models import (
    REGISTRATION,
    SPONSORED_STATES,
    Contact,
    Domain,
    DomainContact,
    Nameserver,
)

CHUNK = 2000
# The contact's columns in the handle file, as the model names them (street = line1 + line2).
CONTACT_FIELDS = ("name", "organization", "line1", "line2", "city", "region", "postal_code",
                  "country", "phone", "email")
PRIVACY_SERVICE_ID = 0  # the service's row comes first in the handle file, before any contact


def categories() -> list[str]:
    """The data categories a deposit discloses, read from the data map: the domain name and
    its expiration date, and the contact fields the handle file carries."""
    from hostpact.privacy import registry

    contact, domain = registry.for_model(Contact).fields, registry.for_model(Domain).fields
    return list(dict.fromkeys([domain["name"].category, domain["expires_at"].category,
                               *(contact[f].category for f in CONTACT_FIELDS)]))


def domains(deposit):
    """The domains of ``deposit`` (an ``EscrowDeposit``)."""
    rows = Domain.objects.filter(state__in=SPONSORED_STATES, created_at__lte=deposit.snapshot_at)
    if deposit.since is not None:
        rows = rows.filter(updated_at__gt=deposit.since)
    return rows


def contacts(deposit):
    """The contacts of ``deposit``: those of its domains, and for an incremental deposit also
    those changed since the last one that a sponsored domain uses."""
    # EXISTS, looked up by the role table's contact index row by row: an IN over the whole
    # role table would be read again by every chunk's query.
    roles = DomainContact.objects.filter(contact_id=OuterRef("pk"))
    used = Exists(roles.filter(domain__in=domains(deposit)))
    rows = Contact.objects.filter(created_at__lte=deposit.snapshot_at)
    if deposit.since is None:
        return rows.filter(used)
    sponsored = Exists(roles.filter(domain__state__in=SPONSORED_STATES))
    return rows.filter(used | (Q(updated_at__gt=deposit.since) & sponsored))


def subject_ids(deposit) -> list[str]:
    """Every subject the deposit carries data of: the domains' owners and the contacts
    (the privacy service is the company's, nobody's data). As text: the gate keeps the text of
    each id anyway, so a list of text is the smallest it can be given."""
    owners = domains(deposit).order_by().values_list("subject_id", flat=True).distinct()
    people = contacts(deposit).order_by().values_list("contact_subject_id", flat=True)
    return [str(s) for query in (owners, people) for s in query.iterator(chunk_size=CHUNK)]


def count(deposit, stream: str) -> int:
    if stream == layout.DOMAINS:
        return domains(deposit).count()
    if stream == layout.PRIVACY:
        return domains(deposit).filter(privacy=True).count()
    return contacts(deposit).count() + 1


def _roles(ids: list[int]) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    for domain_id, role, handle in DomainContact.objects.filter(domain_id__in=ids).values_list(
            "domain_id", "role", "contact__handle"):
        out.setdefault(domain_id, {})[role] = handle or ""
    return out


def domain_rows(deposit, after: int, privacy_only: bool = False) -> Iterator[tuple[int, list]]:
    """(id, row) of the domain file (or of the privacy customers' file), by id after
    ``after``."""
    service = str(settings.DOMAIN_PRIVACY_SERVICE["handle"])
    rows = domains(deposit).filter(privacy=True) if privacy_only else domains(deposit)
    while True:
        chunk = list(rows.filter(id__gt=after).order_by("id").values_list(
            "id", "name", "expires_at", "privacy")[:CHUNK])
        if not chunk:
            return
        ids = [c[0] for c in chunk]
        roles = _roles(ids)
        hosts: dict[int, list[str]] = {}
        if not privacy_only:
            for domain_id, host in Nameserver.objects.filter(domain_id__in=ids).order_by(
                    "domain_id", "position", "id").values_list("domain_id", "host"):
                hosts.setdefault(domain_id, []).append(host)
        for domain_id, name, expires_at, private in chunk:
            handles = roles.get(domain_id, {})
            if privacy_only:
                yield domain_id, [name, *(handles.get(r, "") for r in layout.ROLES)]
                continue
            shown = [service] * 4 if private else [handles.get(r, "") for r in layout.ROLES]
            yield domain_id, [name, layout.utc(expires_at), " ".join(hosts.get(domain_id, ())),
                              *shown]
        after = ids[-1]


def _keys(subject_ids) -> dict[uuid.UUID, AESGCM]:
    """The chunk's data keys (registration class), fetched with one query, ready to decrypt;
    an erased contact's key is absent."""
    return {subject_id: AESGCM(crypto.unwrap(key_id, bytes(wrapped)))
            for subject_id, key_id, wrapped in DataKey.objects.filter(
                subject_id__in=subject_ids, retention_class=REGISTRATION,
                shredded_at__isnull=True).values_list("subject_id", "master_key_id", "wrapped")}


def _plain(token, aead: AESGCM | None) -> str:
    """The text of a contact column: decrypted with the contact's key (a value of another
    class, such as a legal hold's, through ``crypto.decrypt``); empty once erased."""
    if not token:
        return ""
    if not token.startswith(crypto.PREFIX):
        return token
    _subject, klass, header, rest = crypto.parse(token)
    try:
        if klass != REGISTRATION or aead is None:
            return crypto.decrypt(token)
        return aead.decrypt(rest[:12], rest[12:], header).decode()
    except crypto.ShreddedKeyError:  # an erased contact (held keys too): nothing to escrow
        return ""


def _service_row() -> list[str]:
    config = settings.DOMAIN_PRIVACY_SERVICE
    return [str(config["handle"]), config.get("name", ""), config.get("organization", ""),
            layout.street(config.get("line1", ""), config.get("line2", "")),
            config.get("city", ""), config.get("region", ""), config.get("postal_code", ""),
            config.get("country", ""), config.get("phone", ""), "", config.get("email", "")]


def handle_rows(deposit, after: int) -> Iterator[tuple[int, list]]:
    """(id, row) of the handle file by id after ``after``; the privacy service's row first."""
    if after < PRIVACY_SERVICE_ID + 1:
        yield PRIVACY_SERVICE_ID, [layout.clean(v) for v in _service_row()]
        after = PRIVACY_SERVICE_ID
    # The ciphertext as stored (Cast skips the field's decryption), decrypted here with the
    # chunk's keys fetched in one query rather than one query a contact.
    raw = {f: Cast(f, output_field=TextField()) for f in CONTACT_FIELDS}
    rows = contacts(deposit).annotate(**{f"raw_{f}": v for f, v in raw.items()})
    names = ["id", "handle", "contact_subject_id", *(f"raw_{f}" for f in CONTACT_FIELDS)]
    while True:
        chunk = list(rows.filter(id__gt=after).order_by("id").values_list(*names)[:CHUNK])
        if not chunk:
            return
        keys = _keys({c[2] for c in chunk})
        for pk, handle, subject, *tokens in chunk:
            aead = keys.get(subject)
            v = dict(zip(CONTACT_FIELDS, (_plain(t, aead) for t in tokens), strict=True))
            yield pk, [layout.clean(x) for x in (
                handle or f"C{pk}-HP", v["name"], v["organization"],
                layout.street(v["line1"], v["line2"]), v["city"], v["region"],
                v["postal_code"], v["country"], v["phone"], "", v["email"])]
        after = chunk[-1][0]


def rows_of(deposit, stream: str, after: int) -> Iterator[tuple[int, list]]:
    if stream == layout.HANDLES:
        return handle_rows(deposit, after)
    return domain_rows(deposit, after, privacy_only=stream == layout.PRIVACY)
