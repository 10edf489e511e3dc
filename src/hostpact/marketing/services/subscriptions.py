"""Writes of subscriptions (C31): the state per list and the ledger entry of every change.

A change is written with the method it came by (sign-up, panel, link, one-click, mailto,
support, complaint), the policy version in force and the time, under the subject's write lock,
with an audit event. Setting a list to the state it already has writes nothing and answers
False, so a replayed unsubscribe link or a second press of a button is harmless.
"""

from functools import cache, partial

from django.conf import settings
from django.db import connection, transaction

from hostpact.consent import versions
from hostpact.core import audit, clock
from hostpact.marketing import lists
from hostpact.marketing.models import Subscription, SubscriptionChange
from hostpact.privacy.rights.guard import lock_subject_for_write

Method = SubscriptionChange.Method

# Told of every change that leaves a list, with its method: the resellers app records a mail's
# one-click unsubscribe as its customer's opt-out of the reseller's contact (C40), and
# marketing names no app above it.
_leave_listeners: list = []


def on_leave(listener) -> None:
    """Call ``listener(subject_id, list_key, method)`` after each change that leaves a list."""
    if listener not in _leave_listeners:
        _leave_listeners.append(listener)


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


def _column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


@cache
def _statements(vendor: str) -> tuple[str, str]:
    """Return the conditional UPDATE of a subscription and the INSERT of its ledger entry,
    written once per database vendor: the ORM's compiling of each cost more than running it
    (the one-click unsubscribe is a hot write)."""
    sub = connection.ops.quote_name(Subscription._meta.db_table)
    led = connection.ops.quote_name(SubscriptionChange._meta.db_table)
    s, c = partial(_column, Subscription), partial(_column, SubscriptionChange)
    update = (f"UPDATE {sub} SET {s('subscribed')} = %s, {s('changed_at')} = %s "  # noqa: S608 - the models' own names
              f"WHERE {s('subject')} = %s AND {s('list_key')} = %s "
              f"AND NOT ({s('subscribed')} = %s)")
    names = ("subject", "list_key", "subscribed", "method", "policy_version", "actor", "at")
    insert = (f"INSERT INTO {led} ({', '.join(c(n) for n in names)}) "  # noqa: S608
              f"VALUES ({', '.join(['%s'] * len(names))})")
    return update, insert


def _switch(subject_id, list_key: str, subscribed: bool, now) -> bool:
    """Set the row to ``subscribed`` if it is not so already; True if a row changed."""
    update, _insert = _statements(connection.vendor)
    subject = Subscription._meta.get_field("subject").get_db_prep_value(subject_id, connection)
    at = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(update, [subscribed, at, subject, list_key, subscribed])
        return cursor.rowcount > 0


def _write_change(subject_id, list_key: str, subscribed: bool, method: str, version: int,
                  actor: str, now) -> None:
    """Append the ledger entry of one change (no signal listens to these rows' saves)."""
    _update, insert = _statements(connection.vendor)
    subject = SubscriptionChange._meta.get_field("subject").get_db_prep_value(subject_id,
                                                                              connection)
    with connection.cursor() as cursor:
        cursor.execute(insert, [subject, list_key, subscribed, method, version, actor[:64],
                                connection.ops.adapt_datetimefield_value(now)])


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
    with transaction.atomic():
        lock_subject_for_write(subject_id)
        now = clock.now()
        # One conditional UPDATE under the subject's lock both checks and changes the row, so
        # a replay costs the lock and this statement only.
        if not _switch(subject_id, list_key, subscribed, now):
            if not subscribed or Subscription.objects.filter(
                    subject_id=subject_id, list_key=list_key).exists():
                return False  # already so, or leaving a list one was never on
            Subscription.objects.create(subject_id=subject_id, list_key=list_key,
                                        subscribed=subscribed, changed_at=now)
        _write_change(subject_id, list_key, subscribed, method, versions.policy_version(),
                      actor, now)
        audit.record(actor, "marketing.subscribe" if subscribed else "marketing.unsubscribe",
                     subject_id, ["subscribed"], f"list:{list_key}:{method}")
    if not subscribed:
        for listener in _leave_listeners:
            listener(subject_id, list_key, method)
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
