"""Inbound messages as mailboxes see them: RFC 3834 auto-submitted detection, where an answer
goes, threading ids, attachments, and the registry's dispatch."""

import pytest

from hostpact.core import inbound

HEAD = b"From: Ada <ada@example.test>\r\nTo: support@hostpact.test\r\nSubject: Hi\r\n"


def _message(extra: bytes = b"", envelope_from="ada@example.test", body=b"Hello\r\n"):
    return inbound.parse(envelope_from, "Support@Hostpact.test", HEAD + extra + b"\r\n" + body)


@pytest.mark.parametrize("extra, envelope_from", [
    (b"Auto-Submitted: auto-replied\r\n", "ada@example.test"),
    (b"Auto-Submitted: auto-generated; owner-email=x@example.test\r\n", "ada@example.test"),
    (b"Precedence: bulk\r\n", "ada@example.test"),
    (b"Precedence: junk\r\n", "ada@example.test"),
    (b"Precedence: list\r\n", "ada@example.test"),
    (b"X-Loop: support@HOSTPACT.test\r\n", "ada@example.test"),
    (b"List-Id: <news.example.test>\r\n", "ada@example.test"),
    (b"List-Unsubscribe: <https://example.test/u>\r\n", "ada@example.test"),
    (b"", ""),
    (b"", "<>"),
])
def test_machine_sent_mail_is_auto_submitted(extra, envelope_from):
    """Auto-replies, bulk and list mail, our own loop and bounces (null sender) are
    auto-submitted: they must get no automatic answer (RFC 3834)."""
    assert _message(extra, envelope_from).is_auto_submitted()


def test_a_person_writing_is_not_auto_submitted():
    """Auto-Submitted: no, an ordinary Precedence and someone else's X-Loop are a person."""
    message = _message(b"Auto-Submitted: no\r\nPrecedence: normal\r\nX-Loop: other.example\r\n")
    assert not message.is_auto_submitted()


def test_the_answer_goes_to_reply_to_then_from_then_the_envelope():
    """reply_address prefers Reply-To, then From, then the envelope sender."""
    assert _message(b"Reply-To: Desk <desk@example.test>\r\n").reply_address == "desk@example.test"
    assert _message().reply_address == "ada@example.test"
    bare = inbound.parse("env@example.test", "support@hostpact.test", b"Subject: x\r\n\r\nb")
    assert bare.from_addr is None and bare.reply_address == "env@example.test"


def test_threading_ids_are_parsed_from_in_reply_to_and_references():
    """In-Reply-To and every id of References are read, whatever the whitespace."""
    message = _message(b"Message-ID: <me@example.test>\r\nIn-Reply-To: <a@hostpact.test>\r\n"
                       b"References: <r1@x.test>\r\n\t<r2@y.test>  <a@hostpact.test>\r\n")
    assert message.message_id == "<me@example.test>"
    assert message.in_reply_to == "<a@hostpact.test>"
    assert message.references == ["<r1@x.test>", "<r2@y.test>", "<a@hostpact.test>"]


def test_html_only_mail_reads_as_text_and_attachments_are_listed():
    """An HTML-only message's text is its HTML without tags or scripts; attached files come
    with name, type and decoded bytes."""
    raw = (b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
           b"Content-Type: text/html\r\n\r\n<p>Hello <b>you</b></p><script>x()</script>\r\n"
           b"--b\r\nContent-Type: image/png\r\n"
           b"Content-Disposition: attachment; filename=\"../p.png\"\r\n"
           b"Content-Transfer-Encoding: base64\r\n\r\naGk=\r\n--b--\r\n")
    message = _message(raw.split(b"\r\n\r\n", 1)[0] + b"\r\n",
                       body=raw.split(b"\r\n\r\n", 1)[1])
    assert message.text_body() == "Hello you"
    assert message.attachments() == [(".._p.png", "image/png", b"hi")]


def test_deliver_answers_per_recipient_and_the_first_matching_mailbox_wins(monkeypatch):
    """deliver() gives one reply per recipient; a mailbox whose matcher raises is passed over."""
    got = []
    monkeypatch.setattr(inbound, "_mailboxes", {})
    inbound.register_mailbox("bad-matcher", lambda local: 1 / 0, got.append)
    inbound.register_mailbox("first", lambda local: local.startswith("support"),
                             lambda m: got.append(("first", m.local_part)))
    inbound.register_mailbox("second", lambda local: True, lambda m: got.append("second"))
    replies = inbound.deliver("a@example.test", ["support+x@hostpact.test",
                                                 "other@example.test"], HEAD + b"\r\nb")
    assert replies[0].startswith("250") and replies[1].startswith("550 5.1.1")
    assert got == [("first", "support+x")]


def test_the_reply_to_data_prefers_a_retry_then_acceptance():
    """For several recipients: any 4xx asks for a retry, else any 250 accepts, else a refusal."""
    assert inbound.combined_reply(["250 ok", "451 4.3.0 x"]).startswith("451")
    assert inbound.combined_reply(["550 5.1.1 x", "250 ok"]) == inbound.ACCEPTED
    assert inbound.combined_reply(["550 5.7.1 no"]) == "550 5.7.1 no"
