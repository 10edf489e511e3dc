"""Leaving a list from an email (RFC 2369, RFC 8058): the headers and link every promotional
message carries, and what the link and the mailto address do.

``unsubscribe_headers`` gives a message its ``List-Unsubscribe`` (the HTTPS URL and a mailto
address, both ending in the recipient's signed token), ``List-Unsubscribe-Post`` and
``List-Id``. The URL's page (``views.unsubscribe``; its POSTs are answered before Django by
``lean``), and the mailbox ``unsubscribe+<token>`` registered here, all end in
``unsubscribe_by_token``: forged or expired tokens change nothing.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from hostpact.marketing import lists, tokens
from hostpact.marketing.services.subscriptions import Method, is_subscribed, set_subscription
from hostpact.privacy.rights.guard import SubjectErased

MAILBOX = "unsubscribe"
ACTOR = "recipient:unsubscribe-token"


def unsubscribe_url(subject_id, list_key: str) -> str:
    """The absolute URL of ``subject_id``'s unsubscribe page for ``list_key``."""
    token = tokens.make_token(subject_id, list_key)
    return settings.SITE_URL.rstrip("/") + reverse("marketing:unsubscribe", args=[token])


def unsubscribe_address(subject_id, list_key: str) -> str:
    """The mailto address that takes ``subject_id`` off ``list_key``."""
    return f"{MAILBOX}+{tokens.make_token(subject_id, list_key)}@{settings.MAIL_DOMAIN}"


def list_id(list_key: str) -> str:
    """The ``List-Id`` of a list (RFC 2919): its title and ``<key>.<mail domain>``."""
    mail_list = lists.get(list_key)
    return f"{mail_list.title} <{mail_list.key}.{settings.MAIL_DOMAIN}>"


def unsubscribe_headers(subject_id, list_key: str) -> dict[str, str]:
    """The headers of a promotional message of ``list_key`` to ``subject_id``."""
    token = tokens.make_token(subject_id, list_key)
    url = settings.SITE_URL.rstrip("/") + reverse("marketing:unsubscribe", args=[token])
    mailto = f"mailto:{MAILBOX}+{token}@{settings.MAIL_DOMAIN}"
    return {"List-Unsubscribe": f"<{url}>, <{mailto}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": list_id(list_key)}


def footer_text(subject_id, list_key: str) -> str:
    """The visible lines every promotional message ends with: why it came, and how to stop."""
    mail_list = lists.get(list_key)
    return (f"You receive this because you are subscribed to \"{mail_list.title}\" at "
            f"hostpact ({mail_list.description}). You were subscribed when you signed up, as "
            "our privacy policy says, or chose it later.\n"
            f"Unsubscribe with one click: {unsubscribe_url(subject_id, list_key)}\n"
            "Or change all your subscriptions in your control panel.")


@dataclass(frozen=True)
class Outcome:
    list: lists.MailList
    subject_id: object
    changed: bool  # False: was not subscribed any more (a replay), or the account is erased


def unsubscribe_by_token(token: str, *, method: str) -> Outcome:
    """Take the token's recipient off its list; raise ``tokens.BadToken`` (or
    ``ExpiredToken``) and change nothing when the token is not valid."""
    found = tokens.read_token(token)
    mail_list = lists.get(found.list_key)
    try:
        changed = set_subscription(found.subject_id, mail_list.key, False, method=method,
                                   actor=ACTOR)
    except SubjectErased:
        changed = False  # the erasure removes the subscriptions anyway
    return Outcome(mail_list, found.subject_id, changed)


def state_of(token: str) -> tuple[tokens.Unsubscribe, lists.MailList, bool]:
    """Read ``token`` for the page: what it names and whether the recipient is on the list."""
    found = tokens.read_token(token)
    return found, lists.get(found.list_key), is_subscribed(found.subject_id, found.list_key)


# --- the mailto address -----------------------------------------------------------------------

def _matches(local_part: str) -> bool:
    return local_part.lower().startswith(MAILBOX + "+")


def _deliver(message) -> None:
    """Unsubscribe the recipient named by the address's token; refuse a bad one with 550."""
    from hostpact.core.inbound import Rejected

    token = message.local_part.split("+", 1)[1]
    try:
        with transaction.atomic():
            unsubscribe_by_token(token, method=Method.MAILTO)
    except tokens.ExpiredToken:
        raise Rejected(550, "5.7.1 This unsubscribe address has expired; nothing was changed. "
                            "Use the link in a recent message or your control panel.") from None
    except tokens.BadToken:
        raise Rejected(550, "5.7.1 This unsubscribe address is not valid (damaged or "
                            "forged); nothing was changed.") from None


def register_mailbox() -> None:
    """Register ``unsubscribe+<token>`` with the inbound mail server (from ``ready``)."""
    from hostpact.core import inbound

    inbound.register_mailbox(MAILBOX, _matches, _deliver)
