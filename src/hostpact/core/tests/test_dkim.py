"""DKIM: a private key made on first use, every outgoing message signed (List-Unsubscribe
included), and dkimpy's own verifier accepting what arrives at the catcher."""

import stat

import dkim as dkimpy
import pytest
from django.core.mail import send_mail
from django.core.management import call_command

from hostpact.core import dkim, mail
from hostpact.core.models import OutboxMessage
from hostpact.testing import factories

UNSUBSCRIBE = {"List-Unsubscribe": "<https://hostpact.test/u/abc>, "
                                   "<mailto:unsubscribe+abc@hostpact.test>",
               "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
               "List-Id": "Promotions <promotions.hostpact.test>"}


@pytest.fixture
def key_file(tmp_path, settings):
    settings.DKIM_KEY_FILE = tmp_path / "keys" / "dkim.key"
    return settings.DKIM_KEY_FILE


def _tags(raw: bytes) -> dict:
    from email import message_from_bytes

    value = " ".join(message_from_bytes(raw)["DKIM-Signature"].split())
    return {k.strip(): v.strip() for k, v in (t.split("=", 1) for t in value.split(";") if t)}


def test_the_key_is_made_once_private_and_published_by_the_command(key_file, capsys):
    """The first use writes an RSA 2048 key readable by its owner only; `hostpact dkim record`
    prints the record name and a v=DKIM1 value of that key."""
    assert not key_file.exists()
    call_command("dkim", "record")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert dkim.private_key().key_size == 2048
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "hp1._domainkey.hostpact.test"
    assert lines[1].startswith("v=DKIM1; k=rsa; p=MII") and lines[1] == dkim.public_record()[1]
    before = key_file.read_bytes()
    dkim.ensure_key()
    assert key_file.read_bytes() == before


@pytest.mark.django_db
def test_promotional_mail_arrives_signed_over_both_unsubscribe_headers(key_file, mail_catcher,
                                                                       settings):
    """A message with List-Unsubscribe goes out signed (d= the mail domain, s= the selector,
    relaxed/relaxed) over From, Subject and both unsubscribe headers; the copy the catcher
    received verifies with dkimpy, and altering a signed header breaks it."""
    settings.DKIM_SELECTOR = "sel2"
    user = factories.make_subscriber()
    OutboxMessage.objects.all().delete()
    mail.queue_mail(user.subject_id, user.email, "Offers", "Text with trailing spaces   \n",
                    html="<p>Offers</p>", headers=UNSUBSCRIBE)
    assert mail.deliver_queued() == 1

    [stored] = mail_catcher.messages()
    raw = stored.path.read_bytes()
    assert dkimpy.verify(raw, dnsfunc=dkim.own_record)
    tags = _tags(raw)
    assert tags["d"] == "hostpact.test" and tags["s"] == "sel2" and tags["c"] == "relaxed/relaxed"
    signed = [h.strip() for h in tags["h"].split(":")]
    for name in ("from", "to", "subject", "date", "message-id", "mime-version", "content-type",
                 "list-id", "list-unsubscribe", "list-unsubscribe-post"):
        assert name in signed
    forged = raw.replace(b"List-Unsubscribe-Post: List-Unsubscribe=One-Click",
                         b"List-Unsubscribe-Post: List-Unsubscribe=Nope")
    assert forged != raw and not dkimpy.verify(forged, dnsfunc=dkim.own_record)


@pytest.mark.django_db
def test_django_send_mail_is_signed_too(key_file, mail_catcher):
    """Mail sent with Django's API through the platform's SMTP backend is signed as well."""
    send_mail("Hello", "Body", "hostpact <no-reply@hostpact.test>", ["x@example.test"],
              connection=mail.SMTPURLBackend())
    [stored] = mail_catcher.messages()
    assert dkimpy.verify(stored.path.read_bytes(), dnsfunc=dkim.own_record)


def test_a_message_without_from_cannot_be_signed(key_file):
    """RFC 6376 requires From to be signed: its absence is a clear error, not a bad signature."""
    with pytest.raises(ValueError, match="From"):
        dkim.sign(b"To: a@example.test\r\nSubject: x\r\n\r\nbody\r\n")


def test_signing_is_fast_enough_for_campaigns(key_file):
    """Signing uses OpenSSL, not dkimpy's pure-Python RSA: a signature takes a few ms at most
    even on a loaded machine (dkimpy's own takes about 8)."""
    import time

    message = b"From: a@hostpact.test\r\nTo: b@example.test\r\nSubject: s\r\n\r\n" + b"x" * 4000
    dkim.sign(message)
    start = time.process_time()
    for _ in range(50):
        dkim.sign(message)
    assert (time.process_time() - start) / 50 < 0.005
