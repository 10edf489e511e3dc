"""The files of a deposit as ICANN's Registrar Data Escrow Specifications lay them out.

One deposit is one directory of files, each a CSV encrypted to the escrow agent and signed by
the registrar (``<name>.gpg``), named ``<IANA id>_RDE_<YYYY-MM-DD>_<type>_<n>.csv``:

* ``<full|inc>_<n>`` — the domain file: ``domain,expiration_date,nameservers,holder_contact,
  admin_contact,tech_contact,billing_contact``; name servers space-separated, the expiration
  date ``YYYY-MM-DD HH:MM:SS`` in UTC, the contact columns handles of the handle file. A
  privacy-protected domain names the privacy service's handle in every role, as the registry
  and the directories have it;
* ``pp_<n>`` — the underlying customers of privacy-protected domains (the RAA requires the
  registrar to escrow them): ``domain,holder_contact,admin_contact,tech_contact,
  billing_contact`` with the customer's own contact handles;
* ``hdl_<n>`` — the handle file: ``contact,name,organization,street,city,state,zip,country,
  phone,fax,email``, every handle the domain and ``pp`` files name (the privacy service's too);
* ``<full|inc>_hash.txt`` — written last: one ``<SHA-256 of the CSV>  <file name>`` line per
  file (``sha256sum`` format, so ``sha256sum -c`` works on the decrypted files).

``n`` counts from 1 within each type; a file holds at most ``rows_per_file`` rows.
"""

import datetime
import re

DOMAIN_HEADER = ("domain", "expiration_date", "nameservers", "holder_contact", "admin_contact",
                 "tech_contact", "billing_contact")
PRIVACY_HEADER = ("domain", "holder_contact", "admin_contact", "tech_contact",
                  "billing_contact")
HANDLE_HEADER = ("contact", "name", "organization", "street", "city", "state", "zip",
                 "country", "phone", "fax", "email")
# The domain model's roles in the order of the CSV's contact columns.
ROLES = ("registrant", "admin", "tech", "billing")

DOMAINS, PRIVACY, HANDLES = "domains", "pp", "hdl"
HEADERS = {DOMAINS: DOMAIN_HEADER, PRIVACY: PRIVACY_HEADER, HANDLES: HANDLE_HEADER}
STREAMS = (DOMAINS, PRIVACY, HANDLES)  # written in this order, the hash file after them
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
ENCRYPTED, PARTIAL = ".gpg", ".part"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NAME = re.compile(r"^(?P<iana>\d+)_RDE_(?P<day>\d{4}-\d{2}-\d{2})_"
                  r"(?P<type>full|inc|pp|hdl)_(?P<n>\d+)\.csv$")
HASH_NAME = re.compile(r"^(?P<iana>\d+)_RDE_(?P<day>\d{4}-\d{2}-\d{2})_(?P<kind>full|inc)"
                       r"_hash\.txt$")


def prefix(iana_id: str, day: datetime.date) -> str:
    return f"{iana_id}_RDE_{day.isoformat()}"


def file_name(iana_id: str, day: datetime.date, kind: str, stream: str, n: int) -> str:
    """The CSV name of file ``n`` of ``stream`` in a ``kind`` (full|inc) deposit."""
    token = kind if stream == DOMAINS else stream
    return f"{prefix(iana_id, day)}_{token}_{n}.csv"


def hash_name(iana_id: str, day: datetime.date, kind: str) -> str:
    return f"{prefix(iana_id, day)}_{kind}_hash.txt"


def stream_of(name: str) -> str | None:
    """The stream a CSV file name belongs to, or None for a name not of a deposit."""
    match = NAME.match(name)
    if not match:
        return None
    token = match["type"]
    return token if token in (PRIVACY, HANDLES) else DOMAINS


def clean(value) -> str:
    """A CSV value: text with control characters (line breaks too) made spaces."""
    return _CONTROL.sub(" ", str(value or "")).strip()


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime(DATE_FORMAT)


def street(*lines) -> str:
    return ", ".join(clean(line) for line in lines if clean(line))
