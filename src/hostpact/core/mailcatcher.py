"""The local mail catcher: a real SMTP server that files every message it receives as a .eml.

In development the platform's outgoing mail goes to this server (``HOSTPACT_SMTP_URL`` defaults
to it), so sign-up confirmations and password resets can be read at ``/dev/mail/`` without a
mail provider. Messages are written one per file, ``<timestamp>-<id>.eml`` with mode 0600, under
``settings.MAIL_DIR``; the file name sorts by arrival, which is all the listing needs.
"""

import asyncio
import logging
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from email.utils import getaddresses
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

log = logging.getLogger(__name__)
NAME_RE = re.compile(r"^\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{12}$")
MAX_MESSAGE_BYTES = 10 * 1024 * 1024


def _stamp() -> str:
    # The wall clock, not core.clock: the file name orders arrivals, it is not a business date.
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def store_message(mail_dir: Path, content: bytes) -> Path:
    """Write one message to ``mail_dir`` atomically, readable by its owner only."""
    mail_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{_stamp()}-{secrets.token_hex(6)}"
    tmp = mail_dir / f".{name}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)
    final = mail_dir / f"{name}.eml"
    os.replace(tmp, final)
    return final


class StoreHandler:
    """aiosmtpd handler: accept any recipient, file the message, answer 250."""

    def __init__(self, mail_dir: Path):
        self.mail_dir = Path(mail_dir)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        path = store_message(self.mail_dir, content)
        log.info("mail catcher stored %s", path.name)  # the file name only: no address, no subject
        return "250 Message accepted for delivery"


def _smtp_factory(handler):
    return SMTP(handler, data_size_limit=MAX_MESSAGE_BYTES, enable_SMTPUTF8=True,
                hostname="mailcatcher.hostpact.test")


class CatcherController(Controller):
    """A catcher running in a background thread (used by tests)."""

    def factory(self):
        return _smtp_factory(self.handler)


def start_in_thread(mail_dir: Path, host: str = "127.0.0.1", port: int = 0) -> CatcherController:
    """Start a catcher in a thread; with ``port=0`` the caller reads ``controller.port``."""
    if port == 0:
        import socket

        with socket.socket() as s:
            s.bind((host, 0))
            port = s.getsockname()[1]
    controller = CatcherController(StoreHandler(mail_dir), hostname=host, port=port,
                                   ready_timeout=10)
    controller.start()
    return controller


async def _serve(mail_dir: Path, host: str, port: int, ready=None) -> None:
    loop = asyncio.get_running_loop()
    handler = StoreHandler(mail_dir)
    server = await loop.create_server(lambda: _smtp_factory(handler), host, port)
    if ready:
        ready()
    async with server:
        await server.serve_forever()


def serve_forever(mail_dir: Path, host: str, port: int, ready=None) -> None:
    """Run the catcher in the foreground until the process is told to stop."""
    asyncio.run(_serve(Path(mail_dir), host, port, ready))


# --- reading the store (the /dev/mail/ pages) ---------------------------------------------


@dataclass
class StoredMessage:
    id: str
    path: Path
    received: datetime

    def parse(self) -> EmailMessage:
        with open(self.path, "rb") as fh:
            return BytesParser(policy=policy.default).parse(fh)

    def headers(self) -> dict:
        with open(self.path, "rb") as fh:
            msg = BytesParser(policy=policy.default).parse(fh, headersonly=True)
        return {"to": str(msg.get("To", "")), "from": str(msg.get("From", "")),
                "subject": str(msg.get("Subject", "")), "date": str(msg.get("Date", ""))}

    def text(self) -> str:
        """The plain-text body (the first text/plain part), or the raw source if none."""
        msg = self.parse()
        part = msg.get_body(preferencelist=("plain",))
        if part is not None:
            return part.get_content()
        return self.path.read_text(errors="replace")


def _from_name(path: Path) -> StoredMessage:
    stamp = path.stem.split("-", 1)[0]
    received = datetime.strptime(stamp, "%Y%m%dT%H%M%S.%fZ").replace(tzinfo=UTC)
    return StoredMessage(path.stem, path, received)


def list_messages(mail_dir: Path) -> list[StoredMessage]:
    """Every stored message, newest first (no file is opened: the name carries the date)."""
    if not Path(mail_dir).is_dir():
        return []
    paths = [p for p in Path(mail_dir).glob("*.eml") if NAME_RE.match(p.stem)]
    return [_from_name(p) for p in sorted(paths, reverse=True)]


def get_message(mail_dir: Path, message_id: str) -> StoredMessage | None:
    """The message named ``message_id``, or None; the name is checked, so no path escapes."""
    if not NAME_RE.match(message_id or ""):
        return None
    path = Path(mail_dir) / f"{message_id}.eml"
    return _from_name(path) if path.is_file() else None


def delete_messages_to(mail_dir: Path, addresses) -> int:
    """Delete every stored message addressed to one of ``addresses`` (erasure reaches the
    catcher too); return how many."""
    wanted = {addresses.strip().lower()} if isinstance(addresses, str) else {
        a.strip().lower() for a in addresses}
    removed = 0
    for message in list_messages(mail_dir):
        with open(message.path, "rb") as fh:
            headers = BytesHeaderParser().parse(fh)
        values = [str(v) for h in ("To", "Cc", "Bcc", "Delivered-To", "X-Original-To")
                  for v in headers.get_all(h, [])]
        if {addr.strip().lower() for _, addr in getaddresses(values)} & wanted:
            message.path.unlink(missing_ok=True)
            removed += 1
    return removed
