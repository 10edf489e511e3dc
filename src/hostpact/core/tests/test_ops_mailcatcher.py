"""The local mail catcher: real SMTP in, one private .eml file per message out."""

import smtplib
import stat
from email.message import EmailMessage

import pytest

from hostpact.core import mail, mailcatcher
from hostpact.core.models import OutboxMessage
from hostpact.testing import factories


@pytest.mark.django_db
def test_outbox_delivery_reaches_the_catcher_as_eml(mail_catcher):
    """A queued verification mail, delivered by deliver_queued(), lands as a 0600 .eml file."""
    user = factories.make_subscriber(email="catcher@example.test")
    assert OutboxMessage.objects.filter(status="queued").count() == 1

    assert mail.deliver_queued() == 1

    [stored] = mail_catcher.messages()
    assert stored.path.parent == mail_catcher.mail_dir and stored.path.suffix == ".eml"
    assert stat.S_IMODE(stored.path.stat().st_mode) == 0o600
    headers = stored.headers()
    assert headers["to"] == "catcher@example.test"
    assert headers["subject"] == "Confirm your email address for hostpact"
    assert user.customer_id in stored.text() and "/verify-email/" in stored.text()
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_catcher_accepts_plain_smtp_and_lists_newest_first(mail_catcher):
    """Any SMTP client can send to it; the listing orders messages newest first."""
    with smtplib.SMTP(mail_catcher.host, mail_catcher.port, timeout=5) as smtp:
        for n in (1, 2):
            msg = EmailMessage()
            msg["From"], msg["To"], msg["Subject"] = "a@hostpact.test", "b@example.test", f"n{n}"
            msg.set_content(f"body {n} https://hostpact.test/x")
            smtp.send_message(msg)
    listed = mailcatcher.list_messages(mail_catcher.mail_dir)
    assert [m.headers()["subject"] for m in listed] == ["n2", "n1"]
    assert listed[0].text().strip() == "body 2 https://hostpact.test/x"


def test_get_message_rejects_names_outside_the_store(tmp_path):
    """A message id that is not a catcher file name (a path, a dot-dot) finds nothing."""
    (tmp_path / "secret.eml").write_text("x")
    for bad in ("../secret", "secret", "", "20250101T000000.000000Z-zzzzzzzzzzzz"):
        assert mailcatcher.get_message(tmp_path, bad) is None


def test_delete_messages_to_removes_only_that_recipient(tmp_path):
    """Erasure can remove a person's messages from the catcher and leaves others alone."""
    for to in ("gone@example.test", "kept@example.test"):
        mailcatcher.store_message(tmp_path, f"To: {to}\r\nSubject: s\r\n\r\nhi\r\n".encode())
    assert mailcatcher.delete_messages_to(tmp_path, "Gone@Example.test") == 1
    assert [m.headers()["to"] for m in mailcatcher.list_messages(tmp_path)] == [
        "kept@example.test"]
