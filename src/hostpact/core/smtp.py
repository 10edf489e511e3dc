"""The SMTP backend of outgoing mail: configured by URL, and DKIM-signing what it sends.

Signing sits here, at the last step, so the bytes handed to the server are exactly the bytes
signed: Django's ``send_mail`` (``EmailMessage.send``) and the outbox (``send_raw``) both go
through it, and nothing re-serialises a message after its signature.
"""

import smtplib
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import sanitize_address

from hostpact.core import dkim


class SMTPURLBackend(EmailBackend):
    """Django's SMTP backend, configured from ``HOSTPACT_SMTP_URL`` (smtp:// or smtps://)."""

    def __init__(self, **kwargs):
        url = urlparse(settings.SMTP_URL)
        kwargs.setdefault("host", url.hostname or "127.0.0.1")
        kwargs.setdefault("port", url.port or 25)
        kwargs.setdefault("username", unquote(url.username or ""))
        kwargs.setdefault("password", unquote(url.password or ""))
        kwargs.setdefault("use_ssl", url.scheme == "smtps")
        kwargs.setdefault("use_tls", url.scheme == "smtp+starttls")
        kwargs.setdefault("timeout", 10)
        super().__init__(**kwargs)

    def send_raw(self, envelope_from: str, recipients: list[str], message: bytes, *,
                 signed: bool = False) -> None:
        """Sign ``message`` (CRLF line ends; ``signed`` when ``dkim.sign`` made it already) and
        send it over the open connection; raises ``smtplib.SMTPException`` when the server
        refuses it and ``OSError`` when it is gone."""
        self.connection.sendmail(envelope_from, recipients,
                                 message if signed else dkim.sign(message))

    def _send(self, email_message):
        if not email_message.recipients():
            return False
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        from_email = sanitize_address(email_message.from_email, encoding)
        recipients = [sanitize_address(addr, encoding) for addr in email_message.recipients()]
        try:
            self.send_raw(from_email, recipients,
                          email_message.message().as_bytes(linesep="\r\n"))
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
