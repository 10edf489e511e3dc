"""Text messages for one-time codes: an interface, and a fake that sends nothing.

hostpact has no SMS provider yet. ``FakeSmsGateway`` stands in for one in development and
tests: it files each message as an ``.eml`` in the mail catcher's folder (``settings.MAIL_DIR``,
readable at ``/dev/mail/``), marked ``X-Hostpact-Fake: sms``, so a code sent "by phone" can be
followed by hand. A real gateway (``settings.SMS_GATEWAY``, a dotted path) would be a processor
receiving the phone number, so its adapter must go through ``privacy.disclose()``. In
production the fake is refused (``fake = True``), and codes go by email.
"""

from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string


class SmsGateway:
    """Send one short text to a phone number on behalf of a subject."""

    fake = False

    def send(self, subject_id, to: str, text: str) -> None:
        raise NotImplementedError


class FakeSmsGateway(SmsGateway):
    """FAKE: no message leaves the machine; each is filed in the mail catcher's folder."""

    fake = True

    def send(self, subject_id, to: str, text: str) -> None:
        from hostpact.core.mailcatcher import store_message

        message = EmailMessage()
        message["From"] = "Fake SMS gateway <sms@fake-sms.hostpact.test>"
        message["To"] = f"SMS {to} <sms@fake-sms.hostpact.test>"
        message["Subject"] = "SMS (fake gateway, not sent)"
        message["Date"] = formatdate(localtime=False)
        message["X-Hostpact-Fake"] = "sms"
        message["X-Hostpact-Subject"] = str(subject_id)
        message.set_content(text)
        store_message(Path(settings.MAIL_DIR), message.as_bytes())


def sms_gateway() -> SmsGateway:
    return import_string(settings.SMS_GATEWAY)()
