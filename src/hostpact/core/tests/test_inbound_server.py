"""The inbound SMTP server with Python's smtplib as the client: refusals at RCPT time, size
limits, hostile MIME, clients that vanish mid-DATA, and mailboxes that fail."""

import smtplib
import socket

import pytest
from django.db import transaction

from hostpact.core import clock, inbound, inbound_server
from hostpact.core.models import Counter

PLAIN = (b"From: Ada <ada@example.test>\r\nTo: desk@hostpact.test\r\nSubject: Help\r\n"
         b"Message-ID: <m1@example.test>\r\n\r\nMy server is down.\r\n")


@pytest.fixture
def received(monkeypatch):
    """A registry holding only the test mailboxes `desk` (keeps what it gets), `broken`
    (raises), `refuses` (Rejected) and `stores` (writes a row, then fails if told to)."""
    got = []

    def stores(message):
        with transaction.atomic():
            Counter.objects.create(name=f"inbound:{message.message_id}", value=1,
                                   updated_at=clock.now())
            if "fail" in message.subject:
                raise RuntimeError("disk full")

    monkeypatch.setattr(inbound, "_mailboxes", {})
    inbound.register_mailbox("desk", lambda local: local == "desk", got.append)
    inbound.register_mailbox("broken", lambda local: local == "broken",
                             lambda m: 1 / 0)
    inbound.register_mailbox("refuses", lambda local: local == "refuses",
                             lambda m: (_ for _ in ()).throw(
                                 inbound.Rejected(550, "5.7.1 Not from you")))
    inbound.register_mailbox("stores", lambda local: local == "stores", stores)
    return got


@pytest.fixture
def server(received, settings):
    settings.INBOUND_MAX_BYTES = 50_000
    controller = inbound_server.start_in_thread()
    try:
        yield controller
    finally:
        controller.stop()


def _client(server) -> smtplib.SMTP:
    return smtplib.SMTP(server.hostname, server.port, timeout=10)


def test_ehlo_offers_8bitmime_smtputf8_and_the_size_limit(server):
    """The server says what it accepts before anything is sent."""
    with _client(server) as smtp:
        smtp.ehlo()
        assert smtp.has_extn("8bitmime") and smtp.has_extn("smtputf8")
        assert smtp.esmtp_features["size"] == "50000"


def test_a_registered_mailbox_receives_the_parsed_message(server, received):
    """Mail for a registered local part reaches its mailbox with its parsed fields."""
    with _client(server) as smtp:
        smtp.sendmail("ada@example.test", ["Desk@HOSTPACT.test"], PLAIN)
    [message] = received
    assert message.recipient == "desk@hostpact.test" and message.local_part == "desk"
    assert message.envelope_from == "ada@example.test" and message.raw == PLAIN
    assert message.message_id == "<m1@example.test>" and message.subject == "Help"
    assert message.from_addr == message.reply_address == "ada@example.test"
    assert message.text_body().strip() == "My server is down."
    assert not message.is_auto_submitted()


@pytest.mark.parametrize("rcpt, why", [("nobody@hostpact.test", "No such mailbox"),
                                       ("desk@elsewhere.example", "@hostpact.test only")])
def test_unknown_recipients_are_refused_at_rcpt_time(server, received, rcpt, why):
    """An unknown local part or another domain gets 550 5.1.1 with a clear reason, before DATA."""
    with _client(server) as smtp:
        smtp.ehlo()
        smtp.mail("ada@example.test")
        code, text = smtp.rcpt(rcpt)
    assert code == 550 and text.startswith(b"5.1.1") and why.encode() in text
    assert received == []


def test_a_message_over_the_limit_gets_552_and_the_server_keeps_serving(server, received):
    """Too large: 552 naming the limit, nothing delivered, and the next message goes through."""
    big = PLAIN + b"x" * 70 + b"\r\n"
    big += (b"y" * 998 + b"\r\n") * 60
    with _client(server) as smtp:
        smtp.ehlo()
        smtp.mail("ada@example.test")
        smtp.rcpt("desk@hostpact.test")
        code, text = smtp.data(big)
        assert code == 552 and b"50000" in text
        smtp.sendmail("ada@example.test", ["desk@hostpact.test"], PLAIN)
    assert len(received) == 1


def test_malformed_mime_eight_bit_headers_and_no_message_id_are_accepted(server, received):
    """Broken MIME (no closing boundary, bad base64), raw 8-bit header bytes and a missing
    Message-ID reach the mailbox as a best-effort message; nothing crashes."""
    ugly = (b"From: J\xc3\xbcrgen <j@example.test>\r\nSubject: Gr\xfc\xdfe \xc3\xa9t\xc3\xa9\r\n"
            b"Content-Type: multipart/mixed; boundary=\"zz\"\r\n\r\n--zz\r\n"
            b"Content-Type: text/plain; charset=x-unknown\r\n\r\nHallo\r\n--zz\r\n"
            b"Content-Type: application/pdf; name=\"a.pdf\"\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n!!!not base64\r\n")
    with _client(server) as smtp:
        smtp.ehlo()
        smtp.sendmail("j@example.test", ["desk@hostpact.test"], ugly)
    [message] = received
    assert message.message_id is None and message.from_addr == "j@example.test"
    assert "ét" in message.subject and "\udcfc" not in message.subject
    assert "Hallo" in message.text_body()
    [(name, ctype, _)] = message.attachments()
    assert (name, ctype) == ("a.pdf", "application/pdf")


def test_a_client_vanishing_mid_data_stores_nothing_and_others_still_get_served(server, received):
    """A raw client that stops in the middle of DATA delivers nothing; the next session works."""
    with socket.create_connection((server.hostname, server.port), timeout=10) as raw:
        reader = raw.makefile("rb")
        assert reader.readline().startswith(b"220")
        for command in (b"EHLO x.test", b"MAIL FROM:<a@example.test>",
                        b"RCPT TO:<desk@hostpact.test>", b"DATA"):
            raw.sendall(command + b"\r\n")
            line = reader.readline()
            while line[3:4] == b"-":
                line = reader.readline()
        assert line.startswith(b"354")
        raw.sendall(b"Subject: half\r\n\r\nhalf a mess")
    with _client(server) as smtp:
        smtp.sendmail("ada@example.test", ["desk@hostpact.test"], PLAIN)
    assert [m.subject for m in received] == ["Help"]


def test_a_rejecting_mailbox_gives_its_reply_and_a_failing_one_a_temporary_451(server):
    """Rejected(code, text) is the reply to DATA; any other fault is 451 4.3.0."""
    with _client(server) as smtp:
        with pytest.raises(smtplib.SMTPDataError) as refused:
            smtp.sendmail("a@example.test", ["refuses@hostpact.test"], PLAIN)
        assert refused.value.smtp_code == 550 and b"Not from you" in refused.value.smtp_error
    with _client(server) as smtp:
        with pytest.raises(smtplib.SMTPDataError) as failed:
            smtp.sendmail("a@example.test", ["broken@hostpact.test"], PLAIN)
        assert failed.value.smtp_code == 451 and failed.value.smtp_error.startswith(b"4.3.0")


@pytest.mark.django_db(transaction=True)
def test_a_mailbox_that_fails_mid_write_leaves_nothing_half_stored(server):
    """The mailbox's transaction rolls back on its fault: the client hears 451 and no row stays;
    a good message through the same mailbox is stored."""
    fail = PLAIN.replace(b"Subject: Help", b"Subject: please fail").replace(b"<m1@", b"<m2@")
    with _client(server) as smtp:
        with pytest.raises(smtplib.SMTPDataError):
            smtp.sendmail("a@example.test", ["stores@hostpact.test"], fail)
        smtp.sendmail("a@example.test", ["stores@hostpact.test"], PLAIN)
    assert list(Counter.objects.filter(name__startswith="inbound:").values_list("name",
                                                                                flat=True)) == [
        "inbound:<m1@example.test>"]


def test_the_inbound_command_serves_until_sigterm(tmp_path):
    """`hostpact inbound --port P` answers SMTP on P and exits cleanly on SIGTERM."""
    import signal
    import subprocess
    import sys

    from hostpact.testing.processes import hostpact_env

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "hostpact", "inbound", "--port", str(port)],
                            env=hostpact_env(), stdout=subprocess.PIPE, text=True)
    try:
        assert f"smtp://127.0.0.1:{port}" in proc.stdout.readline()
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            code, _ = smtp.ehlo()
            assert code == 250
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    assert proc.returncode == 0
