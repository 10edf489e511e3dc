"""The inbound SMTP server (aiosmtpd): support, abuse, compliance, bounces, mailto unsubscribe.

Recipients are checked against ``core.inbound``'s registry at RCPT time, so mail for nobody is
refused before its data is sent. After DATA the mailboxes run in worker threads (they use the
ORM, which must stay off the event loop); whatever they do, the server answers and keeps
serving: a mailbox's ``Rejected`` gives its reply, any other fault a temporary 451, and a client
that disconnects mid-DATA reaches no mailbox at all.
"""

import asyncio
import logging
import signal
import socket

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP
from django.conf import settings
from django.db import close_old_connections

from hostpact.core import inbound

log = logging.getLogger(__name__)
MAX_RECIPIENTS = 50
_TOO_MUCH = "552 Error: Too much mail data"


def _in_thread(func, *args):
    """Run ``func`` with a usable database connection (the thread's own, not a stale one)."""
    close_old_connections()
    try:
        return func(*args)
    finally:
        close_old_connections()


class InboundHandler:
    """aiosmtpd handler: the registry decides who receives, the mailboxes what is kept."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return f"452 4.5.3 Too many recipients (at most {MAX_RECIPIENTS} a message)"
        refusal = await asyncio.to_thread(_in_thread, inbound.check_recipient, address)
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Recipient OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        raw = envelope.original_content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        try:
            replies = await asyncio.to_thread(_in_thread, inbound.deliver,
                                              envelope.mail_from or "", envelope.rcpt_tos, raw)
        except Exception as exc:  # noqa: BLE001 - never let one message stop the server
            log.error("inbound delivery failed (%s)", type(exc).__name__)
            return inbound.TEMPORARY_FAILURE
        return inbound.combined_reply(replies)


class InboundSMTP(SMTP):
    """aiosmtpd's SMTP with a too-large reply that says what the limit is."""

    async def push(self, status: str):
        if status == _TOO_MUCH:
            status = (f"552 5.3.4 Message too big: at most {self.data_size_limit} bytes "
                      "are accepted")
        return await super().push(status)


def smtp_factory(handler=None) -> InboundSMTP:
    """Return one SMTP protocol instance (8BITMIME and SMTPUTF8 on, size-limited)."""
    return InboundSMTP(handler or InboundHandler(), data_size_limit=settings.INBOUND_MAX_BYTES,
                       enable_SMTPUTF8=True, hostname=settings.MAIL_DOMAIN,
                       ident="hostpact inbound")


def quiet_aiosmtpd() -> None:
    """aiosmtpd logs every command line, addresses included: keep only its warnings."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)


class InboundController(Controller):
    """The inbound server in a background thread (tests, benchmarks)."""

    def factory(self):
        return smtp_factory(self.handler)


def start_in_thread(host: str = "127.0.0.1", port: int = 0) -> InboundController:
    """Start the server in a thread; with ``port=0`` the caller reads ``controller.port``."""
    quiet_aiosmtpd()
    if port == 0:
        with socket.socket() as s:
            s.bind((host, 0))
            port = s.getsockname()[1]
    controller = InboundController(InboundHandler(), hostname=host, port=port,
                                   ready_timeout=10)
    controller.start()
    return controller


async def _serve(host: str, port: int, ready=None) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    handler = InboundHandler()
    server = await loop.create_server(lambda: smtp_factory(handler), host, port)
    if ready:
        ready()
    async with server:
        await stop.wait()


def serve_forever(host: str, port: int, ready=None) -> None:
    """Serve in the foreground until SIGTERM or SIGINT."""
    quiet_aiosmtpd()
    asyncio.run(_serve(host, port, ready))
