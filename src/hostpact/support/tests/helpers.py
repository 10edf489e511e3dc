"""Shared steps of the support tests: build a mail as a client would, and deliver it."""

from email.message import EmailMessage
from email.utils import make_msgid

from django.conf import settings

from hostpact.core import inbound
from hostpact.core.models import OutboxMessage
from hostpact.support.models import Ticket


def address(local: str) -> str:
    return f"{local}@{settings.MAIL_DOMAIN}"


def mail(to="support", *, sender="inquirer@example.test", subject="Help with my site",
         body="My site shows an error since this morning.", msgid=True, headers=None,
         attachments=(), reply_to=None) -> EmailMessage:
    """A message as a mail client writes it (a fresh Message-ID unless ``msgid`` is False)."""
    message = EmailMessage()
    message["From"] = f"Asha Inquirer <{sender}>"
    message["To"] = to if "@" in to else address(to)
    message["Subject"] = subject
    if reply_to:
        message["Reply-To"] = reply_to
    if msgid:
        message["Message-ID"] = msgid if isinstance(msgid, str) else make_msgid(
            domain="example.test")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    for filename, data in attachments:
        message.add_attachment(data, maintype="application", subtype="octet-stream",
                               filename=filename)
    return message


def deliver(message: EmailMessage, *, envelope_from="inquirer@example.test", to=None) -> str:
    """Deliver ``message`` through the inbound registry; return the SMTP reply."""
    rcpt = to or str(message["To"])
    rcpt = rcpt if "@" in rcpt else address(rcpt)
    [reply] = inbound.deliver(envelope_from, [rcpt], bytes(message))
    return reply


def outbox(to: str) -> list[OutboxMessage]:
    return [m for m in OutboxMessage.objects.order_by("pk") if m.to_addr == to]


def only_ticket() -> Ticket:
    [ticket] = Ticket.objects.all()
    return ticket
