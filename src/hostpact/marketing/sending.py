"""Who may receive a list's mail now: read when a campaign is fed, and again when each batch
leaves the outbox (DESIGN "Mail": checked at send time, not at queue time).

``recipients`` is what campaigns ask before queueing; ``skip_unwanted`` is the send filter
registered with core's outbox, so an address unsubscribed or suppressed after its message was
queued is skipped, even in a campaign already sending. Account notices go to everyone whose
address does not hard-bounce.
"""

import uuid

from hostpact.accounts.models import User
from hostpact.core import crypto
from hostpact.marketing import lists
from hostpact.marketing.models import Subscription, Suppression
from hostpact.marketing.services.suppressions import suppressed_indexes
from hostpact.privacy import taxonomy
from hostpact.privacy.policy.models import UseOptOut
from hostpact.privacy.policy.services import allowed

CHUNK = 500
_NOBODY = uuid.UUID(int=0)


def _chunks(items: list):
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def _opted_out(subject_ids: list, purpose: str) -> set:
    """The subjects among ``subject_ids`` with a standing policy opt-out covering ``purpose``
    (C36): one query per chunk, the use keys decrypted only for the rows that exist."""
    out = set()
    for chunk in _chunks(subject_ids):
        for row in UseOptOut.objects.filter(subject_id__in=chunk, active=True):
            if row.use and taxonomy.within(purpose, row.use):
                out.add(row.subject_id)
    return out


def recipients(list_key: str, subject_ids) -> set:
    """Return those of ``subject_ids`` who may receive ``list_key``'s mail now: on the list,
    with an open account whose address is not suppressed, and not opted out of the list's
    purpose under the policy versions (nor is the purpose waiting for its effective date)."""
    mail_list = lists.get(list_key)
    ids = list(dict.fromkeys(subject_ids))
    # Rules of the policy engine that hold for everyone (a use not declared, or not in force
    # yet) answer for a subject with no opt-outs at all.
    if not ids or not allowed(_NOBODY, mail_list.purpose):
        return set()
    addresses: dict = {}
    for chunk in _chunks(ids):
        addresses.update(User.objects.filter(subject_id__in=chunk, is_active=True)
                         .values_list("subject_id", "email_index"))
    if mail_list.leavable:
        on = set()
        for chunk in _chunks(list(addresses)):
            on.update(Subscription.objects.filter(
                subject_id__in=chunk, list_key=list_key, subscribed=True)
                .values_list("subject_id", flat=True))
    else:
        on = set(addresses)
    blocked = suppressed_indexes(addresses[s] for s in on)
    if not mail_list.leavable:
        blocked = {i: r for i, r in blocked.items() if r == Suppression.Reason.HARD_BOUNCE}
    may = {s for s in on if addresses[s] not in blocked}
    return may - _opted_out(list(may), mail_list.purpose)


def skip_unwanted(messages) -> dict[int, str]:
    """The send filter: map each message that must not go now to the reason it is skipped.

    Marketing lists' messages are skipped when the recipient is no longer on the list, opted
    out of its purpose, or the address is suppressed; any message when the address
    hard-bounced.
    """
    messages = [m for m in messages if m.to_addr]
    if not messages:
        return {}
    index = {m.pk: crypto.blind_index("email", m.to_addr) for m in messages}
    blocked = suppressed_indexes(index.values())
    marketing = {m.key: m for m in lists.marketing_lists()}
    promo = [m for m in messages if m.category in marketing]
    on = set()
    if promo:
        on.update(Subscription.objects.filter(
            subject_id__in={m.subject_id for m in promo},
            list_key__in={m.category for m in promo}, subscribed=True)
            .values_list("subject_id", "list_key"))
    refused = {}  # purpose -> subjects who may not receive it, or None: nobody may
    for key in {m.category for m in promo}:
        purpose = marketing[key].purpose
        if purpose not in refused:
            refused[purpose] = (_opted_out(list({m.subject_id for m in promo}), purpose)
                                if allowed(_NOBODY, purpose) else None)
    skip = {}
    for m in messages:
        reason = blocked.get(index[m.pk])
        if m.category in marketing:
            out = refused[marketing[m.category].purpose]
            if (m.subject_id, m.category) not in on:
                skip[m.pk] = "unsubscribed from the list"
            elif reason:
                skip[m.pk] = f"address suppressed ({reason})"
            elif out is None:
                skip[m.pk] = "this use is not in force under the privacy policy"
            elif m.subject_id in out:
                skip[m.pk] = "opted out of this use under the privacy policy"
        elif reason == Suppression.Reason.HARD_BOUNCE:
            skip[m.pk] = "address suppressed (hard bounce)"
    return skip
