"""The WHOIS server over real TCP: one line in, one answer, close, whatever the client does."""

import asyncio
import concurrent.futures
import socket
import subprocess
import sys
import threading

import pytest

from hostpact.rds import querylog
from hostpact.rds.models import QueryLog
from hostpact.rds.tests.whois_fixtures import make_idn, make_open, make_redacted
from hostpact.rds.whois import server as whois_server
from hostpact.rds.whois.lookup import reply
from hostpact.testing.processes import hostpact_env

pytestmark = pytest.mark.django_db(transaction=True)
HOST = "127.0.0.1"


class Running:
    """A WHOIS server on a free port, in its own thread and event loop."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.port = None
        self.listening = threading.Event()
        self.stop = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _ready(self, port):
        self.port = port
        self.listening.set()

    def _run(self):
        asyncio.set_event_loop(self.loop)
        self.stop = asyncio.Event()
        self.loop.run_until_complete(whois_server.serve(HOST, 0, self._ready, self.stop))
        self.loop.close()

    def start(self) -> "Running":
        self.thread.start()
        assert self.listening.wait(10), "the WHOIS server did not start"
        return self

    def close(self):
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(10)


@pytest.fixture
def start_whois(monkeypatch):
    """Start a server (after the test set its settings); stop it at the end. The server
    reads the database from its loop, as the ``whois`` command allows it to."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    started = []

    def start() -> int:
        started.append(Running().start())
        return started[-1].port

    yield start
    for running in started:
        running.close()


def talk(port: int, data: bytes, end: bool = False, timeout: float = 10) -> bytes:
    """Send ``data`` (then EOF if ``end``) and read until the server closes."""
    with socket.create_connection((HOST, port), timeout=timeout) as sock:
        sock.sendall(data)
        if end:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.fixture
def domains(subscriber):
    return make_open(subscriber), make_redacted(subscriber), make_idn(subscriber)


@pytest.mark.commitment("C27")
def test_a_query_line_is_answered_with_the_record_and_closed(domains, start_whois):
    """``NAME`` CRLF answers the domain's record, the same text as the look-up, in UTF-8."""
    port = start_whois()
    answer = talk(port, b"open-book.test\r\n").decode()
    assert answer.startswith("Domain Name: open-book.test\r\n")
    record = answer.split(">>> Last update")[0]
    assert record == reply("open-book.test").text.split(">>> Last update")[0]
    assert talk(port, "domain BÜCHER.test\r\n".encode()).startswith(
        b"Domain Name: xn--bcher-kva.test\r\n")


def test_a_bare_lf_and_a_line_without_newline_before_eof_are_answered(domains, start_whois):
    """A line ending in LF alone, or in EOF with no newline, is still a query."""
    port = start_whois()
    assert talk(port, b"quiet-shop.test\n").startswith(b"Domain Name: quiet-shop.test\r\n")
    assert talk(port, b"quiet-shop.test", end=True).startswith(b"Domain Name: quiet-shop")


@pytest.mark.parametrize(("data", "expected"), [
    (b"\r\n", b"Query refused: the query is empty."),
    (b"\xff\xfe\x00\x01binary\x80\r\n", b"Query refused: the query is not UTF-8 text."),
    (b"open\x00book.test\r\n", b"Query refused: the query contains control characters."),
    (b"x" * 10_000 + b"\r\n", b"Query refused: the query is longer than 512 bytes."),
    (b"y" * 10_000, b"Query refused: the query is longer than 512 bytes."),
])
def test_bad_input_gets_a_clear_answer_and_the_server_keeps_serving(domains, start_whois,
                                                                      data, expected):
    """Empty lines, binary bytes and 10 kB lines are refused saying why; the next query
    is answered."""
    port = start_whois()
    assert talk(port, data).startswith(expected)
    assert talk(port, b"open-book.test\r\n").startswith(b"Domain Name: open-book.test")


def test_a_client_that_never_sends_is_closed_after_the_read_timeout(settings, start_whois):
    """A connection with no query line is told so and closed after the read timeout."""
    settings.RDS_WHOIS_READ_TIMEOUT = 0.3
    port = start_whois()
    assert talk(port, b"") == b"Timeout: no query line within 0.3 seconds.\r\n"
    assert talk(port, b"half a li").startswith(b"Timeout:")


@pytest.mark.commitment("C27")
def test_a_thousand_connections_at_once_get_an_answer_or_busy_and_none_is_lost(
        domains, settings, start_whois):
    """With 1,000 connections open at once and 50 allowed, each newcomer beyond 50 reads a
    one-line busy answer; the 50 held are answered; the server then serves as before."""
    settings.RDS_WHOIS_MAX_CONNECTIONS = 50
    port = start_whois()

    async def crowd():
        opened = [await asyncio.open_connection(HOST, port) for _ in range(1000)]
        busy = held = 0
        for reader, writer in opened:
            try:
                first = await asyncio.wait_for(reader.read(200), 0.05)
            except TimeoutError:  # still open: one of the held connections
                writer.write(b"open-book.test\r\n")
                answer = await reader.read()
                assert answer.startswith(b"Domain Name: open-book.test"), answer[:80]
                held += 1
            else:
                assert first == whois_server.BUSY
                busy += 1
            writer.close()
        return busy, held

    # In a thread of its own: a browser test earlier in this worker may leave Playwright's
    # event loop running in the main thread, where asyncio.run() is refused.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        busy, held = pool.submit(asyncio.run, crowd()).result()
    assert (busy, held) == (950, 50)
    assert talk(port, b"open-book.test\r\n").startswith(b"Domain Name: open-book.test")


@pytest.mark.commitment("C27")
def test_an_address_over_its_share_reads_rate_limit_exceeded_unless_allowed(
        domains, settings, start_whois):
    """Past the token bucket the answer is ``rate limit exceeded`` and a close; an address
    in HOSTPACT_RDS_ALLOW is never limited."""
    settings.RDS_RATE, settings.RDS_RATE_WINDOW_SECONDS = 3, 3600
    port = start_whois()
    answers = [talk(port, b"open-book.test\r\n") for _ in range(4)]
    assert all(a.startswith(b"Domain Name:") for a in answers[:3])
    assert answers[3] == b"rate limit exceeded\r\n"
    settings.RDS_ALLOW = ["127.0.0.0/8"]
    assert talk(port, b"open-book.test\r\n").startswith(b"Domain Name:")


@pytest.mark.commitment("C27")
def test_every_query_is_logged_with_the_client_address_and_outcome(domains, start_whois):
    """Found, not found and refused queries each leave a log row with the address."""
    port = start_whois()
    talk(port, b"open-book.test\r\n")
    talk(port, b"nobody.test\r\n")
    talk(port, b"\r\n")
    querylog.flush()
    rows = sorted(QueryLog.objects.values_list("protocol", "client_ip", "query", "outcome"))
    assert rows == [("whois", HOST, "", "bad"), ("whois", HOST, "nobody.test", "not_found"),
                    ("whois", HOST, "open-book.test", "found")]


@pytest.mark.commitment("C27")
def test_debian_whois_client_reads_the_answer_of_hostpact_whois(domains, start_whois):
    """The ``hostpact whois`` command serves Debian's ``whois`` client, which prints the
    record and the notices."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port = probe.getsockname()[1]
    env = hostpact_env(HOSTPACT_RDS_ALLOW="127.0.0.1")
    proc = subprocess.Popen([sys.executable, "-m", "hostpact", "whois", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().startswith(f"WHOIS on {HOST}:{port}")
        done = subprocess.run(["/usr/bin/whois", "-h", HOST, "-p", str(port), "quiet-shop.test"],
                              capture_output=True, text=True, timeout=30)
    finally:
        proc.terminate()
        proc.wait(10)
    assert done.returncode == 0, done.stderr
    assert "Domain Name: quiet-shop.test" in done.stdout
    assert "Registrant Name: REDACTED FOR PRIVACY" in done.stdout
    assert "For more information on Whois status codes" in done.stdout
    assert proc.returncode == 0
