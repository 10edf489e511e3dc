"""The bytes of an outgoing message, built directly rather than through ``email.generator``.

Django's ``EmailMessage`` (and the stdlib generator under it) cost more per message than the
SMTP conversation itself, which a campaign pays a hundred thousand times. What the outbox sends
is simple (a text part, perhaps an HTML alternative, a handful of headers), so it is written
here: UTF-8 quoted-printable parts, RFC 2047 encoded words for non-ASCII header text, headers
folded at 78 columns, CRLF line ends throughout. ``core.tests.test_mail_mime`` parses the
result back with the stdlib's strict policy.
"""

import binascii
import secrets
from email.header import Header
from email.utils import format_datetime, formataddr, getaddresses

from hostpact.core import clock

ADDRESS_HEADERS = {"from", "to", "cc", "reply-to", "sender"}
FOLD_AT = 78


def _fold(name: str, value: str) -> str:
    """``Name: value`` folded at whitespace so no line passes 78 columns where avoidable."""
    line = f"{name}: {value}"
    if len(line) <= FOLD_AT:
        return line
    lines, current = [], f"{name}:"
    for word in value.split(" "):
        # Never right after the name: the value would then unfold with a leading space.
        if current not in ("", f"{name}:") and len(current) + 1 + len(word) > FOLD_AT:
            lines.append(current)
            current = ""
        current += f" {word}"
    lines.append(current)
    return "\r\n".join(lines)


def _addresses(value: str) -> str:
    """Address-list text with each non-ASCII display name as an encoded word."""
    parts = []
    for display, addr in getaddresses([value]):
        if not addr:
            continue
        parts.append(formataddr((display, addr), charset="utf-8") if display else addr)
    return ", ".join(parts)


def header_line(name: str, value: str) -> str:
    """Return one header, encoded and folded, without its line end."""
    value = " ".join(str(value).split())  # no line breaks or tabs inside a value
    if name.lower() in ADDRESS_HEADERS and not value.isascii():
        # Encoded words for display names; an address that is itself UTF-8 stays so (RFC 6532).
        return _fold(name, _addresses(value))
    if value.isascii():
        return _fold(name, value)
    encoded = Header(value, "utf-8", header_name=name).encode(linesep="\r\n", maxlinelen=FOLD_AT)
    return f"{name}: {encoded}"


def _qp(text: str) -> bytes:
    data = "\n".join(text.splitlines()).encode("utf-8") + b"\n"
    return binascii.b2a_qp(data).replace(b"\n", b"\r\n")


def _part_headers(subtype: str) -> bytes:
    return (f"Content-Type: text/{subtype}; charset=\"utf-8\"\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n").encode()


def build(headers: dict[str, str], text: str, html: str | None = None) -> bytes:
    """Return the message: ``headers`` (From, To, Subject, Message-ID and any others) over a
    text/plain body, or multipart/alternative with ``html``. Adds Date and MIME-Version."""
    lines = [header_line(name, value) for name, value in headers.items()
             if name.lower() not in ("date", "mime-version", "content-type",
                                     "content-transfer-encoding")]
    lines.append(f"Date: {format_datetime(clock.now())}")
    lines.append("MIME-Version: 1.0")
    head = ("\r\n".join(lines) + "\r\n").encode()
    if not html:
        return head + _part_headers("plain") + b"\r\n" + _qp(text)
    boundary = f"=_hp_{secrets.token_hex(12)}".encode()
    return b"".join([
        head, b'Content-Type: multipart/alternative; boundary="', boundary, b'"\r\n\r\n',
        # The CRLF before a boundary belongs to the boundary: each part's last line end is
        # written once more so the part keeps it.
        b"--", boundary, b"\r\n", _part_headers("plain"), b"\r\n", _qp(text), b"\r\n",
        b"--", boundary, b"\r\n", _part_headers("html"), b"\r\n", _qp(html), b"\r\n",
        b"--", boundary, b"--\r\n",
    ])
