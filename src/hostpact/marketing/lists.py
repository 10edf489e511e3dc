"""The mail lists: which kinds of mail a subscriber receives, and which of them they may leave.

Every subscriber is on each list (policy 5.2, C31): transactional notices about the account,
which cannot be left, and newsletters, our promotions and partners' promotions, which can. A
list's key is also the outbox category its messages are queued under, so the purpose check of
the outbox and the send filter both know what a message is. Another app adds a list with
``register_list`` from its ``AppConfig.ready``.
"""

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class MailList:
    key: str
    title: str
    description: str
    purpose: str  # the fideslang data use the list's mail serves
    leavable: bool
    promotional: bool  # carries List-Unsubscribe, the footer, and may be measured

    @property
    def code(self) -> int:
        """One byte naming the list inside an unsubscribe token (tokens must stay short)."""
        return hashlib.sha256(self.key.encode()).digest()[0]


class UnknownList(KeyError):
    """No list has this key."""


_lists: dict[str, MailList] = {}
_listeners: list = []


def register_list(mail_list: MailList) -> MailList:
    """Add ``mail_list``; refuse a second list whose token code collides with another's."""
    for other in _lists.values():
        if other.key != mail_list.key and other.code == mail_list.code:
            raise ValueError(f"list {mail_list.key!r} collides with {other.key!r} in tokens; "
                             "choose another key")
    _lists[mail_list.key] = mail_list
    for listener in _listeners:
        listener(mail_list)
    return mail_list


def on_register(listener) -> None:
    """Call ``listener(mail_list)`` for every list, those registered already and those other
    apps register later (marketing's datamap gives each its mail purpose and objection
    handler so)."""
    _listeners.append(listener)
    for mail_list in list(_lists.values()):
        listener(mail_list)


def get(key: str) -> MailList:
    """Return the list named ``key``; raise ``UnknownList`` otherwise."""
    try:
        return _lists[key]
    except KeyError:
        raise UnknownList(key) from None


def all_lists() -> list[MailList]:
    """Every list, in registration order (transactional first)."""
    return list(_lists.values())


def marketing_lists() -> list[MailList]:
    """The lists a subscriber may leave: every list but the transactional notices."""
    return [m for m in _lists.values() if m.leavable]


def by_code(code: int) -> MailList | None:
    """The list a token's code names, or None."""
    return next((m for m in _lists.values() if m.code == code), None)


TRANSACTIONAL = register_list(MailList(
    "transactional", "Account notices",
    "Messages about your account: sign-up, security, invoices, payments, domains, policy "
    "changes and answers from support.",
    "essential.service.notifications.email", leavable=False, promotional=False))
NEWSLETTERS = register_list(MailList(
    "newsletters", "Newsletters",
    "Our newsletter: news about hostpact and its products, about once a month.",
    "marketing.communications.email", leavable=True, promotional=True))
PROMOTIONS = register_list(MailList(
    "promotions", "Promotions",
    "Special offers on our own plans, domains and certificates.",
    "marketing.communications.email.promotions", leavable=True, promotional=True))
PARTNER_PROMOTIONS = register_list(MailList(
    "partner-promotions", "Partners' promotions",
    "Offers made with our partners, sent by us: the partners never get your address.",
    "marketing.communications.email.promotions.partners", leavable=True, promotional=True))

NOT_LEAVABLE_WHY = ("Account notices cannot be switched off: they tell you about your account, "
                    "its security, your bills and changes to our privacy policy.")
