"""Inbound mail: the registry of mailboxes, the parsed message handed to them, and delivery.

Apps register their mailboxes (support@, bounces+<token>@ …) from their AppConfig.ready with
``register_mailbox``; core knows none of them. The SMTP server (``core.inbound_server``, run by
``hostpact inbound``) asks ``check_recipient`` at RCPT time and calls ``deliver`` after DATA.

Mail from outside is hostile input: a message that is malformed MIME, lacks a Message-ID or has
raw 8-bit bytes in its headers still reaches its mailbox as a best-effort ``InboundMessage``
(values that cannot be read are None or empty), and nothing here raises on it.
"""

import email.policy
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr
from html.parser import HTMLParser

from django.conf import settings

log = logging.getLogger(__name__)
ACCEPTED = "250 2.0.0 Message accepted"
TEMPORARY_FAILURE = "451 4.3.0 Temporary failure while storing the message; try again later"
_MSGID = re.compile(r"<[^<>\s]+>")


class Rejected(Exception):
    """Raised by a mailbox's ``deliver`` to refuse a message: the SMTP reply is ``code text``
    and the handler stores nothing."""

    def __init__(self, code: int, text: str):
        super().__init__(f"{code} {text}")
        self.code = int(code)
        self.text = text

    @property
    def reply(self) -> str:
        return f"{self.code} {self.text}"


def _clean(value) -> str:
    """Text safe to store: raw 8-bit header bytes (kept as surrogates by the parser) read as
    UTF-8, anything undecodable as U+FFFD, and NUL characters dropped."""
    text = str(value)
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text.replace("\x00", "")


def _header(message: EmailMessage, name: str) -> str | None:
    """The header's value as clean text, or None when absent or unreadable."""
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - the stdlib header parser raises on some garbage
        try:
            value = message.get_all(name, failobj=[None])[0]
        except Exception:  # noqa: BLE001
            return None
    return None if value is None else _clean(value).strip()


def _address(value: str | None) -> str | None:
    if not value:
        return None
    _, addr = parseaddr(value)
    return addr.strip() if addr and "@" in addr else None


class _TextOfHTML(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")
        if tag in ("br", "p", "div", "li", "tr"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def _html_to_text(html: str) -> str:
    parser = _TextOfHTML()
    parser.feed(html)
    parser.close()
    return re.sub(r"\n{3,}", "\n\n", "".join(parser.parts)).strip()


def _part_text(part) -> str:
    try:
        return _clean(part.get_content())
    except Exception:  # noqa: BLE001 - unknown charset, broken transfer encoding
        data = part.get_payload(decode=True) or b""
        if not isinstance(data, bytes):
            return _clean(data)
        try:
            return data.decode(part.get_content_charset() or "utf-8", "replace")
        except LookupError:  # a charset Python does not know
            return data.decode("utf-8", "replace")


@dataclass
class InboundMessage:
    """One delivery of one message to one recipient, parsed as far as it can be."""

    envelope_from: str  # "" for the null sender <> (bounces)
    recipient: str  # the one recipient this delivery is for, lower-cased
    local_part: str
    raw: bytes
    message: EmailMessage
    message_id: str | None
    in_reply_to: str | None
    references: list[str] = field(default_factory=list)
    from_addr: str | None = None
    reply_address: str | None = None  # where an answer goes: Reply-To, From, envelope sender
    subject: str = ""

    def header(self, name: str) -> str | None:
        """Return the header ``name`` as clean text, or None."""
        return _header(self.message, name)

    def is_auto_submitted(self) -> bool:
        """Whether this is machine-sent mail that must get no automatic answer (RFC 3834):
        auto-replies, bulk and list mail, bounces, and our own mail looping back."""
        auto = (self.header("Auto-Submitted") or "no").split(";")[0].strip().lower()
        precedence = (self.header("Precedence") or "").strip().lower()
        loops = [_clean(v).lower() for v in self._all("X-Loop")]
        return (auto != "no" or precedence in ("bulk", "junk", "list")
                or any(settings.MAIL_DOMAIN.lower() in v for v in loops)
                or any(self.header(h) is not None for h in (
                    "List-Id", "List-Unsubscribe", "X-Autoreply", "X-Autorespond"))
                or self.envelope_from.strip() in ("", "<>"))

    def _all(self, name: str) -> list:
        try:
            return self.message.get_all(name) or []
        except Exception:  # noqa: BLE001
            return []

    def text_body(self) -> str:
        """Return the best plain-text body: text/plain, else the HTML part stripped of tags."""
        try:
            part = self.message.get_body(preferencelist=("plain", "html"))
        except Exception:  # noqa: BLE001 - malformed MIME structure
            part = None
        if part is None:
            if self.message.is_multipart():
                return ""
            part = self.message
        text = _part_text(part)
        return _html_to_text(text) if part.get_content_type() == "text/html" else text

    def attachments(self) -> list[tuple[str, str, bytes]]:
        """Return the attached files as (filename, content type, data)."""
        found = []
        try:
            body = self.message.get_body(preferencelist=("plain", "html"))
        except Exception:  # noqa: BLE001
            body = None
        for part in self.message.walk():
            if part.is_multipart() or part is body or part is self.message and body is None:
                continue
            try:
                disposition = part.get_content_disposition()
                filename = part.get_filename()
            except Exception:  # noqa: BLE001
                disposition, filename = None, None
            if disposition != "attachment" and not filename and part.get_content_maintype() in (
                    "text", "multipart"):
                continue
            data = part.get_payload(decode=True)
            if not isinstance(data, bytes):
                data = b""
            found.append((_clean(filename or "attachment").replace("/", "_").strip() or
                          "attachment", part.get_content_type(), data))
        return found


def parse(envelope_from: str, recipient: str, raw: bytes) -> InboundMessage:
    """Return the InboundMessage of ``raw`` for ``recipient``; never raises on bad mail."""
    try:
        message = BytesParser(policy=email.policy.default).parsebytes(raw)
    except Exception:  # noqa: BLE001 - fall back to a message holding the bytes as its body
        message = EmailMessage()
        message.set_payload(raw.decode("utf-8", "replace"))
    recipient = recipient.strip().lower()
    message_id = _MSGID.search(_header(message, "Message-ID") or "")
    in_reply_to = _MSGID.search(_header(message, "In-Reply-To") or "")
    from_addr = _address(_header(message, "From"))
    reply_to = _address(_header(message, "Reply-To"))
    envelope_from = _clean(envelope_from or "").strip()
    envelope_from = "" if envelope_from == "<>" else envelope_from  # the null sender: a bounce
    return InboundMessage(
        envelope_from=envelope_from, recipient=recipient,
        local_part=recipient.rsplit("@", 1)[0], raw=raw, message=message,
        message_id=message_id.group(0) if message_id else None,
        in_reply_to=in_reply_to.group(0) if in_reply_to else None,
        references=_MSGID.findall(_header(message, "References") or ""),
        from_addr=from_addr,
        reply_address=reply_to or from_addr or _address(envelope_from),
        subject=_header(message, "Subject") or "",
    )


# --- the registry ------------------------------------------------------------------------


@dataclass(frozen=True)
class Mailbox:
    name: str
    match: Callable[[str], bool]
    deliver: Callable[[InboundMessage], None]


_mailboxes: dict[str, Mailbox] = {}


def register_mailbox(name: str, match: Callable[[str], bool],
                     deliver: Callable[[InboundMessage], None]) -> None:
    """Receive mail for the local parts ``match(local_part)`` accepts at ``deliver``, which runs
    in a worker thread and wraps its writes in ``transaction.atomic``. Registering a name again
    replaces it; the first registered mailbox that matches wins."""
    _mailboxes[name] = Mailbox(name, match, deliver)


def mailbox_for(address: str) -> Mailbox | None:
    """Return the mailbox that receives ``address``, or None (other domain, unknown name)."""
    local, _, domain = (address or "").strip().lower().rpartition("@")
    if not local or domain != settings.MAIL_DOMAIN.lower():
        return None
    for mailbox in _mailboxes.values():
        try:
            if mailbox.match(local):
                return mailbox
        except Exception:  # noqa: BLE001 - a broken matcher must not take the server down
            log.exception("inbound mailbox %s: matcher failed", mailbox.name)
    return None


def check_recipient(address: str) -> str | None:
    """Return the SMTP refusal for ``address`` at RCPT time, or None when it is accepted."""
    if mailbox_for(address) is not None:
        return None
    domain = (address or "").rpartition("@")[2].lower()
    if domain != settings.MAIL_DOMAIN.lower():
        return f"550 5.1.1 We accept mail for @{settings.MAIL_DOMAIN} only (relaying denied)"
    return "550 5.1.1 No such mailbox here"


def _deliver_one(envelope_from: str, recipient: str, raw: bytes) -> str:
    mailbox = mailbox_for(recipient)
    if mailbox is None:
        return "550 5.1.1 No such mailbox here"
    try:
        mailbox.deliver(parse(envelope_from, recipient, raw))
    except Rejected as exc:
        return exc.reply
    except Exception as exc:  # noqa: BLE001 - any fault: the sender retries, nothing stored
        # The type only: an exception's text may quote the message or an address.
        log.error("inbound mailbox %s failed (%s)", mailbox.name, type(exc).__name__)
        return TEMPORARY_FAILURE
    return ACCEPTED


def deliver(envelope_from: str, recipients: list[str], raw: bytes) -> list[str]:
    """Hand ``raw`` to the mailbox of each recipient; return one SMTP reply line each."""
    return [_deliver_one(envelope_from, r, raw) for r in recipients]


def combined_reply(replies: list[str]) -> str:
    """The one reply to DATA for a message with several recipients: a temporary failure wins
    (the sender retries), then acceptance if any mailbox took it, else the first refusal."""
    for reply in replies:
        if reply.startswith("4"):
            return reply
    if any(reply.startswith("2") for reply in replies):
        return ACCEPTED
    return replies[0] if replies else "554 5.5.1 No valid recipients"
