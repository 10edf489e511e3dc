"""Test fixture: the real mail catcher on a free port, with the platform's mail pointed at it.

Use ``mail_catcher`` in a test to send through SMTP for real and read what arrived::

    def test_x(mail_catcher):
        ...deliver_queued()...
        [message] = mail_catcher.messages()
"""

from dataclasses import dataclass
from pathlib import Path

import pytest

from hostpact.core import mailcatcher


@dataclass
class RunningCatcher:
    host: str
    port: int
    mail_dir: Path

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def messages(self) -> list[mailcatcher.StoredMessage]:
        """Stored messages, oldest first."""
        return list(reversed(mailcatcher.list_messages(self.mail_dir)))


@pytest.fixture
def mail_catcher(tmp_path, settings):
    """A running catcher storing into a temporary directory; SMTP_URL and MAIL_DIR point at it."""
    mail_dir = tmp_path / "mail"
    controller = mailcatcher.start_in_thread(mail_dir)
    settings.SMTP_URL = f"smtp://127.0.0.1:{controller.port}"
    settings.MAIL_DIR = mail_dir
    try:
        yield RunningCatcher("127.0.0.1", controller.port, mail_dir)
    finally:
        controller.stop()
