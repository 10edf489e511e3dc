"""Writes of subscriptions (C31): the state per list and the ledger entry of every change.

A change is written with the method it came by (sign-up, panel, link, one-click, mailto,
support, complaint), the policy version in force and the time, under the subject's write lock,
with an audit event. Setting a list to the state it already has writes nothing and answers
False, so a replayed unsubscribe link or a second press of a button is harmless.
"""

from django.conf import settings
from django.db import transaction

from hostpact.consent import versions
from hostpact.core import audit, clock
from hostpact.marketing import lists
from hostpact.marketing.models import Subscription, SubscriptionChange
from hostpact.privacy.rights.guard import lock_subject_for_write

Method = SubscriptionChange.Method


class NotLeavable(ValueError):
    """The list cannot be left (account notices); nothing was changed."""


def opt_in_country(country: str) -> bool:
    """True if the law of ``country`` (ISO code) wants marketing mail asked for first."""
    return (country or "").strip().upper() in settings.MARKETING_OPT_IN_COUNTRIES


def marketing_default(country: str, declined: bool | None) -> bool:
    """Whether a new subscriber from ``country`` starts on the marketing lists.

    ``declined`` is the sign-up box: True (declined), False (asked for them) or None (box
    left alone: subscribed, except where the country's law asks for opt-in).
    """
    if declined is None:
        return not opt_in_country(country)
    return not declined


def _check_method(method: str) -> None:
    if method not in Method.values:
        raise ValueError(f"unknown subscription method {method!r}")


def subscribe_new_subscriber(user, *, country: str, declined: bool | None = None,
                             method: str = Method.SIGNUP) -> None:
    """Put a new subscriber on every list: the marketing lists per ``marketing_default``.

    One ledger entry per list records the starting state; call it inside the sign-up's
    transaction so an account never exists without its subscriptions.
    """
    _check_method(method)
    on = marketing_default(country, declined)
    subject_id = user.subject_id
    with transaction.atomic():
        lock_subject_for_write(subject_id)
        now, version = clock.now(), versions.policy_version()
        states = {m.key: (on if m.leavable else True) for m in lists.all_lists()}
        Subscription.objects.bulk_create(
            [Subscription(subject_id=subject_id, list_key=k, subscribed=s, changed_at=now)
             for k, s in states.items()])
        actor = audit.actor_of(user) if user.is_authenticated else "system"
        SubscriptionChange.objects.bulk_create(
            [SubscriptionChange(subject_id=subject_id, list_key=k, subscribed=s, method=method,
                                policy_version=version, actor=actor, at=now)
             for k, s in states.items()])
        audit.record(actor, "marketing.subscriptions.start", subject_id, ["subscribed"],
                     "lists:" + ",".join(k for k, s in states.items() if s))


def set_subscription(subject_id, list_key: str, subscribed: bool, *, method: str,
                     actor: str) -> bool:
    """Set ``subject_id``'s state on ``list_key``; return True if it changed.

    Raises ``lists.UnknownList``, ``NotLeavable`` (leaving account notices), ``ValueError``
    (unknown method) and ``SubjectErased``. Leaving a list one is not on writes nothing.
    """
    mail_list = lists.get(list_key)
    _check_method(method)
    if not subscribed and not mail_list.leavable:
        raise NotLeavable(lists.NOT_LEAVABLE_WHY)
    current = Subscription.objects.filter(subject_id=subject_id, list_key=list_key)
    if current.filter(subscribed=subscribed).exists():
        return False  # a replay: read without the lock, the common case of a second click
    with transaction.atomic():
        lock_subject_for_write(subject_id)
        now = clock.now()
        # One conditional UPDATE both checks and changes the row under the subject's lock.
        if not current.exclude(subscribed=subscribed).update(subscribed=subscribed,
                                                             changed_at=now):
            if not subscribed or current.exists():
                return False  # already so, or leaving a list one was never on
            Subscription.objects.create(subject_id=subject_id, list_key=list_key,
                                        subscribed=subscribed, changed_at=now)
        SubscriptionChange.objects.create(
            subject_id=subject_id, list_key=list_key, subscribed=subscribed, method=method,
            policy_version=versions.policy_version(), actor=actor[:64], at=now)
        audit.record(actor, "marketing.subscribe" if subscribed else "marketing.unsubscribe",
                     subject_id, ["subscribed"], f"list:{list_key}:{method}")
    return True


def unsubscribe_all_marketing(subject_id, method: str, actor: str) -> list[str]:
    """Take ``subject_id`` off every marketing list at once; return the keys that changed."""
    with transaction.atomic():
        return [m.key for m in lists.marketing_lists()
                if set_subscription(subject_id, m.key, False, method=method, actor=actor)]


def _entry(change: SubscriptionChange) -> dict:
    return {"subscribed": change.subscribed, "method": change.method,
            "method_text": change.get_method_display(), "at": change.at,
            "policy_version": change.policy_version}


def subscriptions_of(subject_id) -> list[dict]:
    """Every list with ``subject_id``'s state on it and the history of its changes (oldest
    first). A list without a row (an account older than the lists) counts as not subscribed,
    except account notices, which everyone receives."""
    rows = {r.list_key: r for r in Subscription.objects.filter(subject_id=subject_id)}
    history: dict[str, list[dict]] = {}
    for change in SubscriptionChange.objects.filter(subject_id=subject_id).order_by("at", "pk"):
        history.setdefault(change.list_key, []).append(_entry(change))
    out = []
    for m in lists.all_lists():
        row = rows.get(m.key)
        out.append({"key": m.key, "title": m.title, "description": m.description,
                    "leavable": m.leavable, "promotional": m.promotional,
                    "subscribed": row.subscribed if row else not m.leavable,
                    "changed_at": row.changed_at if row else None,
                    "history": history.get(m.key, [])})
    return out


def history_of(subject_id) -> list[dict]:
    """Every change of ``subject_id``'s subscriptions, newest first, with the list's title."""
    titles = {m.key: m.title for m in lists.all_lists()}
    return [{**_entry(c), "list_key": c.list_key, "title": titles.get(c.list_key, c.list_key)}
            for c in SubscriptionChange.objects.filter(subject_id=subject_id)
            .order_by("-at", "-pk")]


def is_subscribed(subject_id, list_key: str) -> bool:
    """``subject_id``'s current state on ``list_key`` (no row: on account notices only)."""
    mail_list = lists.get(list_key)
    row = (Subscription.objects.filter(subject_id=subject_id, list_key=list_key)
           .values_list("subscribed", flat=True).first())
    return (not mail_list.leavable) if row is None else row
