"""The WHOIS text of the registration data directory (policy 4.7, C27), in ICANN's format.

The lines and their order are those of the registrar output of the 2013 RAA Registration Data
Directory Services specification, as the 2017 RDDS clarifications advisory amends it (the EPP
status URL after each status, the Whois Inaccuracy Complaint Form line) and as the Temporary
Specification marks redaction (``REDACTED FOR PRIVACY``). Every line is ``Key: value`` ending in
CRLF; dates are ISO 8601 in UTC with ``Z``; a value never carries a control character, so no
field can forge another line.

What is shown is decided in ``rds.published``; this module only writes it down. A domain's
record lines (``domain_text``) are precomputed with its RDAP object (``rds.records``); the
server adds the last-update line and the notices when it answers (``answer``).
"""

import datetime
import textwrap
from functools import lru_cache

import phonenumbers
from django.conf import settings
from django.urls import reverse

from hostpact.rds.published import PublishedContact, PublishedDomain, registrar

CRLF = "\r\n"
REDACTED = "REDACTED FOR PRIVACY"
WICF_URL = "https://www.icann.org/wicf/"
EPP_URL = "https://icann.org/epp"
# role, the ID line's key, the prefix of the contact's other keys
CONTACT_BLOCKS = (("registrant", "Registry Registrant ID", "Registrant"),
                  ("admin", "Registry Admin ID", "Admin"),
                  ("tech", "Registry Tech ID", "Tech"))
# C0 and C1 controls, DEL and the Unicode line and paragraph separators: each becomes a space.
_CONTROLS = {c: " " for c in (*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029)}


def clean(value) -> str:
    """Return ``value`` as one line: every control character replaced by a space."""
    return str(value or "").translate(_CONTROLS).strip()


def iso(moment: datetime.datetime) -> str:
    """Return ``moment`` as ISO 8601 in UTC to the second, e.g. 2026-12-02T10:00:00Z."""
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def epp_phone(number: str) -> str:
    """Return a stored (E.164) telephone number in EPP's form, +CC.NUMBER."""
    number = clean(number)
    if not number.startswith("+") or "." in number:
        return number
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number
    return f"+{parsed.country_code}.{phonenumbers.national_significant_number(parsed)}"


def _line(key: str, value="") -> str:
    return f"{key}: {clean(value)}{CRLF}"


def _contact_lines(id_key: str, prefix: str, pc: PublishedContact | None) -> list[str]:
    """The 14 (or more, one per street line) lines of one role's contact."""
    if pc is None:  # a role with no contact: the keys stay, the values are empty
        keys = ("Name", "Organization", "Street", "City", "State/Province", "Postal Code",
                "Country", "Phone", "Phone Ext", "Fax", "Fax Ext", "Email")
        return [_line(id_key)] + [_line(f"{prefix} {key}") for key in keys]

    def shown(field: str, value) -> str:
        return REDACTED if field in pc.withheld else value

    street = [REDACTED] if "street" in pc.withheld else list(pc.street) or [""]
    email = pc.form_url if pc.redacted or pc.privacy_service else pc.email
    return [
        _line(id_key, shown("handle", pc.handle)),
        _line(f"{prefix} Name", shown("name", pc.name)),
        _line(f"{prefix} Organization", pc.organization),
        *(_line(f"{prefix} Street", line) for line in street),
        _line(f"{prefix} City", shown("city", pc.city)),
        _line(f"{prefix} State/Province", pc.region),
        _line(f"{prefix} Postal Code", shown("postal_code", pc.postal_code)),
        _line(f"{prefix} Country", pc.country),
        _line(f"{prefix} Phone", shown("phone", epp_phone(pc.phone))),
        _line(f"{prefix} Phone Ext", shown("phone", "")),
        _line(f"{prefix} Fax", shown("fax", "")),
        _line(f"{prefix} Fax Ext", shown("fax", "")),
        _line(f"{prefix} Email", email),
    ]


def _registrar_lines(reg: dict) -> list[str]:
    return [_line("Registrar WHOIS Server", reg["whois_server"]),
            _line("Registrar URL", reg["url"])]


def domain_text(pd: PublishedDomain) -> str:
    """Return the record lines of ``pd``, from ``Domain Name`` to the Whois Inaccuracy
    Complaint Form's URL, each ending in CRLF."""
    reg = registrar()
    lines = [_line("Domain Name", pd.name), _line("Registry Domain ID", pd.roid),
             *_registrar_lines(reg),
             _line("Updated Date", iso(pd.updated_at)),
             _line("Creation Date", iso(pd.created_at)),
             _line("Registrar Registration Expiration Date", iso(pd.expires_at)),
             _line("Registrar", reg["name"]),
             _line("Registrar IANA ID", reg["iana_id"]),
             _line("Registrar Abuse Contact Email", reg["abuse_email"]),
             _line("Registrar Abuse Contact Phone", reg["abuse_phone"]),
             _line("Reseller")]
    lines += [_line("Domain Status", f"{clean(code)} {EPP_URL}#{clean(code)}")
              for code in pd.statuses]
    for role, id_key, prefix in CONTACT_BLOCKS:
        lines += _contact_lines(id_key, prefix, pd.contacts.get(role))
    lines += [_line("Name Server", ns.host) for ns in pd.nameservers]
    lines += [_line("DNSSEC", "signedDelegation" if pd.signed else "unsigned"),
              _line("URL of the ICANN Whois Inaccuracy Complaint Form", WICF_URL)]
    return "".join(lines)


def nameserver_text(host: str, addresses) -> str:
    """Return the record lines of the name server ``host`` (A-label) with its glue
    ``addresses``, and the registrar that sponsors the domains using it."""
    reg = registrar()
    return "".join([_line("Server Name", host), *(_line("IP Address", a) for a in addresses),
                    _line("Registrar", reg["name"]), *_registrar_lines(reg)])


def registrar_text() -> str:
    """Return the record lines of the registrar itself (``settings.REGISTRAR``)."""
    reg = registrar()
    return "".join([
        _line("Registrar", reg["name"]), _line("Street", reg["line1"]),
        _line("City", reg["city"]), _line("State/Province", reg["region"]),
        _line("Postal Code", reg["postal_code"]), _line("Country", reg["country"]),
        _line("Phone Number", reg["phone"]), _line("Email", reg["email"]),
        *_registrar_lines(reg),
        # Beyond the registry's registrar object; the specification allows additions at the end.
        _line("Registrar IANA ID", reg["iana_id"]),
        _line("Registrar Abuse Contact Email", reg["abuse_email"]),
        _line("Registrar Abuse Contact Phone", reg["abuse_phone"])])


def no_match_text(name: str) -> str:
    """Return the line that says nothing is registered under ``name``."""
    return f'No match for "{clean(name)[:253]}".{CRLF}'


def notices() -> str:
    """Return what follows every answer after a blank line: the status-code notice and the
    terms of use."""
    return _notices(registrar()["name"], settings.SITE_URL)


@lru_cache(maxsize=8)
def _notices(registrar_name: str, site_url: str) -> str:
    # Cached: wrapping the terms costs more than the rest of an answer.
    terms = (
        f"TERMS OF USE: The data in {registrar_name}'s WHOIS database is provided for "
        "information purposes only: to help in obtaining information about or related to a "
        "domain name registration record. It is provided as is, without any guarantee of its "
        "accuracy. Personal data of contacts who did not consent to publication is redacted; "
        "to reach a contact, use the web form given as the contact's email. By submitting a "
        "WHOIS query you agree to use this data only for lawful purposes and that you will not "
        "use it to allow, enable or otherwise support the transmission of unsolicited "
        "commercial advertising or solicitations, or high-volume automated processes. Queries "
        f"are limited per address and logged for abuse handling. Web look-up: {site_url}"
        f"{reverse('rds:whois')}")
    return (f"{CRLF}For more information on Whois status codes, please visit {EPP_URL}{CRLF}"
            f"{CRLF}{CRLF.join(textwrap.wrap(terms, 78))}{CRLF}")


def last_update(moment: datetime.datetime) -> str:
    """Return the ``>>> Last update of WHOIS database`` line of ``moment``."""
    return f">>> Last update of WHOIS database: {iso(moment)} <<<{CRLF}"


def answer(record: str, updated_at: datetime.datetime) -> str:
    """Return the complete answer: ``record`` lines, the last-update line and the notices."""
    return record + last_update(updated_at) + notices()
