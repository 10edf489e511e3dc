"""Data-map declarations of the registration data directories.

A ``Record`` is the published form of registration data (contacts redacted unless they
consented to publication), kept while the domain is sponsored and rewritten on every change;
it is encrypted under its source's key, so shredding that key ends the copy too. The query log
keeps each client's address 30 days for abuse handling; the retention run purges it by age.
"""

from hostpact.privacy import controllers
from hostpact.privacy.registry import Erasure, declare, not_personal, personal
from hostpact.rds.models import QUERY_LOG, REGISTRATION, QueryLog, Record

_published = dict(subject="domain_contact", retention=REGISTRATION, erasure=Erasure.DELETE,
                  purposes=("essential.legal_obligation",))

declare(
    Record,
    id=not_personal(), kind=not_personal(), key=not_personal("a domain name or a handle"),
    source_id=not_personal(), key_subject=not_personal(), updated_at=not_personal(),
    rdap=personal("user.contact", label="Published registration data (RDAP)", **_published),
    whois=personal("user.contact", label="Published registration data (WHOIS)", **_published),
)
declare(
    QueryLog,
    id=not_personal(), at=not_personal(), protocol=not_personal(),
    outcome=not_personal(),
    client_ip=personal("user.device.ip_address", subject="visitor", retention=QUERY_LOG,
                       erasure=Erasure.DELETE, purposes=("essential.service.security",),
                       label="Address of a WHOIS or RDAP client"),
    query=personal("user.content", subject="visitor", retention=QUERY_LOG,
                   erasure=Erasure.DELETE, purposes=("essential.service.security",),
                   label="What a WHOIS or RDAP client asked for"),
)

# Published registration data is ours as registrar (policy 10.1).
controllers.registrar_data("rds")
