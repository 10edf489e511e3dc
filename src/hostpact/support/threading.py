"""How a reply finds its ticket: the signed token in our Reply-To, and Message-IDs.

Every message we send about a ticket carries ``Reply-To: support+<token>@MAIL_DOMAIN``. The
token names the ticket and proves it with an HMAC over the ticket's random thread secret, in
lower-case letters and digits only, because mail systems (and the inbound registry) fold the
case of local parts. A reply without the token threads by its ``In-Reply-To`` / ``References``
matching a Message-ID we sent or received for a ticket (kept as a keyed hash). The subject line
is never used: two inquiries titled "Help" are two tickets.
"""

import re
import secrets

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from hostpact.core import crypto

TOKEN_SALT = "hostpact.support.thread"
TOKEN_RE = re.compile(r"^t([0-9a-z]{1,12})-([0-9a-f]{20})$")
MSGID_RE = re.compile(r"<[^<>\s]{1,250}>")
TAG_RE = re.compile(r"\s*\[T-\d{6,}\]\s*")
REPLY_PREFIX_RE = re.compile(r"^\s*((re|aw|sv|fwd?)\s*:\s*)+", re.IGNORECASE)
MAX_REFERENCES = 10


def new_secret() -> str:
    return secrets.token_hex(16)


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def _mac(pk: int, secret: str) -> str:
    return salted_hmac(TOKEN_SALT, f"{pk}:{secret}", algorithm="sha256").hexdigest()[:20]


def token_for(ticket) -> str:
    """Return the ticket's signed token (``t<base36 id>-<mac>``)."""
    return f"t{_base36(ticket.pk)}-{_mac(ticket.pk, ticket.thread_secret)}"


def reply_to(ticket) -> str:
    """Return the Reply-To address that threads replies into ``ticket``."""
    return f"support+{token_for(ticket)}@{settings.MAIL_DOMAIN}"


def ticket_for_token(token: str, tickets):
    """Return the ticket of ``token`` from the queryset ``tickets``, or None when the token is
    malformed, forged or names no ticket."""
    match = TOKEN_RE.match((token or "").strip().lower())
    if not match:
        return None
    pk = int(match.group(1), 36)
    ticket = tickets.filter(pk=pk).first()
    if ticket is None or not constant_time_compare(_mac(pk, ticket.thread_secret),
                                                   match.group(2)):
        return None
    return ticket


def token_of_local_part(local_part: str) -> str | None:
    """The token of a ``support+<token>`` local part, else None."""
    name, plus, token = (local_part or "").partition("+")
    return token if plus and name == "support" else None


def new_message_id(ticket_pk: int) -> str:
    """A Message-ID for a message we send about ticket ``ticket_pk``."""
    return f"<support.{ticket_pk}.{secrets.token_hex(8)}@{settings.MAIL_DOMAIN}>"


def record_message_id() -> str:
    """A Message-ID for our records, for a message that came without one."""
    return f"<missing.{secrets.token_hex(12)}@{settings.MAIL_DOMAIN}>"


def clean_message_id(value) -> str | None:
    """The first well-formed ``<id>`` in ``value``, or None."""
    found = MSGID_RE.search(str(value or ""))
    return found.group(0) if found else None


def clean_references(values) -> list[str]:
    """The well-formed Message-IDs in ``values`` (a list of header values), in order, once."""
    out: list[str] = []
    for value in values or ():
        for found in MSGID_RE.findall(str(value or "")):
            if found not in out:
                out.append(found)
    return out


def index(message_id: str) -> str:
    """The keyed hash a Message-ID is looked up by."""
    return crypto.blind_index("message_id", message_id)


def answer_subject(subject_line: str, reference: str) -> str:
    """``Re: <subject> [T-000123]``, without piling up prefixes or tags."""
    bare = REPLY_PREFIX_RE.sub("", TAG_RE.sub(" ", subject_line or "").strip()).strip()
    return f"Re: {bare or 'Your message'} [{reference}]"


def references_after(parent_refs: list[str], parent_id: str | None) -> list[str]:
    """A reply's References: the parent's, then the parent's Message-ID (RFC 5322 3.6.4),
    trimmed to the first and the last few."""
    refs = [r for r in parent_refs if r != parent_id]
    if parent_id:
        refs.append(parent_id)
    if len(refs) > MAX_REFERENCES:
        refs = [refs[0], *refs[-(MAX_REFERENCES - 1):]]
    return refs
