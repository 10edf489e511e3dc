"""What the two report formats have in common: finding their parts and reading their fields.

Delivery status notifications (RFC 3464) and feedback reports (RFC 5965) are both
``multipart/report`` messages whose machine-readable part is a list of ``Name: value`` fields
in blocks separated by blank lines. Python's parser turns ``message/delivery-status`` into one
sub-message per block and other ``message/*`` types into one sub-message, but leaves an encoded
or ``message/global-*`` part as text; both shapes are read here into plain dictionaries, so a
report that arrives in either shape, or damaged, is read the same way (or not at all).
"""

import binascii
import quopri
import re
from email.message import Message
from email.parser import HeaderParser

_BLOCK_SPLIT = re.compile(r"\r?\n[ \t]*\r?\n")
_UNFOLD = re.compile(r"\r?\n[ \t]+")
_FIELD = re.compile(r"^([!-9;-~]+)[ \t]*:[ \t]*(.*)$")


def clean(value) -> str:
    """Return a field value as one line of printable text (8-bit bytes become U+FFFD)."""
    text = str(value) if value is not None else ""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return " ".join(text.split())


def parts(message: Message, content_types: set[str]) -> list[Message]:
    """Return the parts of ``message`` whose type is one of ``content_types``, in order.

    Only multipart containers are searched: a report's own parts are wanted, not those of the
    original message it quotes.
    """
    found, stack = [], [message]
    while stack:
        part = stack.pop(0)
        if part.get_content_type() in content_types:
            found.append(part)
        elif part.is_multipart() and part.get_content_maintype() == "multipart":
            stack.extend(p for p in part.get_payload() if isinstance(p, Message))
    return found


def report_type(message: Message) -> str:
    """Return the ``report-type`` of a ``multipart/report`` message, lower-cased, else ''."""
    if message.get_content_type() != "multipart/report":
        return ""
    return clean(message.get_param("report-type", "") or "").lower()


def _text_of(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if payload is None:
        payload = part.get_payload()
        return payload if isinstance(payload, str) else ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, "replace")
    except LookupError:
        return payload.decode("utf-8", "replace")


def _parse_block(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in _UNFOLD.sub(" ", text).splitlines():
        match = _FIELD.match(line.strip())
        if match:
            fields.setdefault(match.group(1).lower(), clean(match.group(2)))
    return fields


def _encoded_text(part: Message) -> str:
    """Return the decoded body of an encoded ``message/*`` part, which the parser split into
    sub-messages of base64 or quoted-printable lines."""
    body = re.split(rb"\r?\n\r?\n", part.as_bytes(), maxsplit=1)[-1]
    if part.get("Content-Transfer-Encoding", "").strip().lower() == "base64":
        decoded = binascii.a2b_base64(b"".join(re.findall(rb"[A-Za-z0-9+/=]+", body)))
    else:
        decoded = quopri.decodestring(body)
    return decoded.decode(part.get_content_charset() or "utf-8", "replace")


def field_blocks(part: Message) -> list[dict[str, str]]:
    """Return the blocks of fields of a report part, each as {lower-cased name: value}.

    A name that repeats within a block keeps its first value (RFC 5965 allows repeating some
    fields, such as Original-Rcpt-To; the first one is the one read).
    """
    payload = part.get_payload()
    encoding = part.get("Content-Transfer-Encoding", "").strip().lower()
    if not isinstance(payload, list):
        text = _text_of(part)
    elif encoding in ("base64", "quoted-printable"):
        text = _encoded_text(part)
    else:
        blocks = []
        for sub in payload:
            if isinstance(sub, Message):
                block: dict[str, str] = {}
                for name, value in sub.items():
                    block.setdefault(clean(name).lower(), clean(value))
                blocks.append(block)
        return [b for b in blocks if b]
    return [b for b in (_parse_block(t) for t in _BLOCK_SPLIT.split(text)) if b]


def original_headers(message: Message) -> Message | None:
    """Return the headers of the original message a report carries, or None.

    The original comes as ``message/rfc822`` (parsed into a sub-message), as
    ``text/rfc822-headers`` (text to parse), or their RFC 6532 ``global`` forms.
    """
    for part in parts(message, {"message/rfc822", "message/global"}):
        payload = part.get_payload()
        if isinstance(payload, list) and payload and isinstance(payload[0], Message):
            return payload[0]
        return HeaderParser().parsestr(_text_of(part), headersonly=True)
    for part in parts(message, {"text/rfc822-headers", "message/global-headers"}):
        return HeaderParser().parsestr(_text_of(part), headersonly=True)
    return None
