"""The WHOIS server on port 43's protocol (RFC 3912): one query line in, one answer, close.

It is a bare asyncio protocol rather than streams, because the cost that matters is the
connection's: a new TCP connection per query is how WHOIS is used. The look-up runs in the
loop itself: it is one indexed read of a precomputed record (about 0.1 ms), and handing it to
a thread cost more than the read (profiled: the loop sat idle waiting for the GIL to come back
from the look-up thread). Django refuses database calls from a thread running an event loop
unless ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set, so whoever runs the server sets it: the
``whois`` command for its own process (nothing else there talks to the database but the query
log's flusher thread), the tests for their own duration.

Nothing a client sends can stop the server: a line over 512 bytes, bytes that are not UTF-8,
control characters or an empty line get a one-line answer saying why; a client that sends
nothing is closed after ``settings.RDS_WHOIS_READ_TIMEOUT`` seconds; beyond
``settings.RDS_WHOIS_MAX_CONNECTIONS`` open connections a newcomer is told the server is busy;
an address over its share (``rds.limits``) reads ``rate limit exceeded``. A line that ends at
EOF without a newline is still answered. Every query is logged (``rds.querylog``).
"""

import asyncio
import logging
import socket

from django.conf import settings
from django.db import connection

from hostpact.rds import limits, querylog
from hostpact.rds.whois import lookup, render

log = logging.getLogger(__name__)
MAX_LINE = lookup.MAX_QUERY_BYTES
BACKLOG = 2048
LINGER_SECONDS = 1.0
BUSY = b"Server busy: too many connections; try again in a moment.\r\n"
LIMITED = b"rate limit exceeded\r\n"
TOO_LONG = f"Query refused: the query is longer than {MAX_LINE} bytes.\r\n".encode()
NOT_UTF8 = b"Query refused: the query is not UTF-8 text.\r\n"
FAILED = b"Temporary failure: the directory cannot answer now; try again later.\r\n"


def _timeout_line(seconds: float) -> bytes:
    return f"Timeout: no query line within {seconds:g} seconds.\r\n".encode()


def _answer(text: str) -> tuple[str, str]:
    """(outcome, answer) of one query; a database failure answers a temporary failure rather
    than ending the server."""
    try:
        reply = lookup.reply(text)
    except Exception:  # noqa: BLE001 - one failed read must not take the server down
        log.exception("WHOIS look-up failed")
        connection.close()
        return "failed", FAILED.decode()
    return reply.outcome, reply.text


class WhoisProtocol(asyncio.Protocol):
    """One client connection: read one line, answer it, close."""

    def __init__(self, server: "WhoisServer"):
        self.server = server
        self.buffer = bytearray()
        self.transport = None
        self.timer = None
        self.done = False
        self.draining = False
        self.ip = ""

    def connection_made(self, transport):
        self.transport = transport
        peer = transport.get_extra_info("peername")
        self.ip = peer[0] if peer else ""
        self.server.active += 1
        if self.server.active > self.server.max_connections:
            self._finish(BUSY, "", "busy")
            return
        self.timer = self.server.loop.call_later(self.server.read_timeout, self._timed_out)

    def data_received(self, data):
        if self.done:
            return
        self.buffer += data
        end = self.buffer.find(b"\n")
        if end == -1:
            if len(self.buffer) > MAX_LINE + 1:  # room for the CR of a line just at the limit
                self._refuse_and_drain(TOO_LONG, self.buffer[:MAX_LINE])
            return
        self._query(bytes(self.buffer[:end]))

    def eof_received(self):
        if self.draining:
            self.transport.close()
        elif not self.done:
            if self.buffer.strip():
                self._query(bytes(self.buffer))
            else:
                self._finish(b"", "", "closed")
        return True  # keep the transport open to write the answer

    def connection_lost(self, exc):
        self.server.active -= 1
        self.done = True
        if self.timer:
            self.timer.cancel()

    def _timed_out(self):
        if not self.done:
            self._finish(_timeout_line(self.server.read_timeout), self.buffer, "timeout")

    def _refuse_and_drain(self, answer: bytes, query) -> None:
        """Refuse while the client may still be sending: half-close so that it reads the
        answer, and discard its input until it closes (at most ``LINGER_SECONDS``), because
        closing with unread input resets the connection and loses the answer."""
        self._finish(answer, query, "bad", close=False)
        self.draining = True
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.timer = self.server.loop.call_later(LINGER_SECONDS, self.transport.close)

    def _finish(self, answer: bytes, query, outcome: str, close: bool = True) -> None:
        """Write ``answer``, close, and log the query (``closed``: the client sent nothing)."""
        self.done = True
        if self.timer:
            self.timer.cancel()
        if outcome != "closed":
            text = query if isinstance(query, str) else bytes(query).decode("utf-8", "replace")
            querylog.log_query("whois", self.ip, text, outcome)
        if answer and not self.transport.is_closing():
            self.transport.write(answer)
        if close:
            self.transport.close()

    def _query(self, line: bytes) -> None:
        self.done = True
        if self.timer:
            self.timer.cancel()
        if line.endswith(b"\r"):
            line = line[:-1]
        if len(line) > MAX_LINE:
            self._refuse_and_drain(TOO_LONG, line[:MAX_LINE])
            return
        if not limits.allowed(self.ip):
            self._finish(LIMITED, line, "limited")
            return
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            self._finish(NOT_UTF8, line, "bad")
            return
        outcome, answer = _answer(text)
        self._finish(answer.encode("utf-8"), text, outcome)


class WhoisServer:
    """The listening socket and the count of open connections."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.active = 0
        # Read once at start: a running server's limits do not change under it.
        self.max_connections = settings.RDS_WHOIS_MAX_CONNECTIONS
        self.read_timeout = settings.RDS_WHOIS_READ_TIMEOUT
        self.loop: asyncio.AbstractEventLoop | None = None
        self.server: asyncio.Server | None = None

    async def start(self) -> int:
        """Listen; return the port (useful when ``port`` was 0)."""
        self.loop = asyncio.get_running_loop()
        # Django keeps its connections in context-local storage, and every protocol callback
        # runs in a copy of the context the server was started in: opening the connection
        # here, before listening, makes every look-up share it (rather than connect anew).
        connection.ensure_connection()
        render.notices()  # the first call loads the URL configuration: not on a client's time
        self.server = await self.loop.create_server(
            lambda: WhoisProtocol(self), self.host, self.port, backlog=BACKLOG,
            reuse_address=True, family=socket.AF_INET if ":" not in self.host else 0)
        return self.server.sockets[0].getsockname()[1]

    async def close(self) -> None:
        """Stop listening and close the database connection."""
        if self.server:
            self.server.close()
            await self.server.wait_closed()
        connection.close()


async def serve(host: str, port: int, ready=None, stop: asyncio.Event | None = None) -> None:
    """Serve until ``stop`` is set (forever without one); call ``ready(port)`` once listening."""
    server = WhoisServer(host, port)
    bound = await server.start()
    if ready:
        ready(bound)
    try:
        await (stop.wait() if stop else asyncio.Future())
    finally:
        await server.close()
