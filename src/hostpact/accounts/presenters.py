"""How account data is shown in "My information": credentials as facts, never their values."""

from django.utils import timezone
from django.utils.formats import date_format

from hostpact.accounts.models import LoginSession, User
from hostpact.core.models import OutboxMessage
from hostpact.privacy.subject_data import presenter


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j M Y, H:i") if moment else ""


@presenter(User, "password")
def _password(user, value):
    if not value or not user.has_usable_password():
        return "Not set"
    changed = _when(user.password_changed_at)
    return f"Set, last changed {changed}" if changed else "Set"


@presenter(LoginSession, "session_key")
def _session(row, value):
    return f"Signed in since {_when(row.created_at)}"


@presenter(OutboxMessage, "body")
def _mail_body(row, value):
    size = len(value or "")
    return f"Text of the message of {_when(row.created_at)} ({size} characters; in your export)"
