"""Bulk subscriptions for seeded subscribers: the rows sign-up would write, without its cost.

The bulk seeder (``panel.seeding``) calls ``seed_subscriptions`` inside each batch's
transaction, so every seeded subscriber is on the lists as a new subscriber of their country
would be, with the ledger entries of a sign-up. The seeder's one audit event covers the load.
"""

from hostpact.consent import versions
from hostpact.core.bulk import insert_rows
from hostpact.marketing import lists
from hostpact.marketing.models import Subscription, SubscriptionChange
from hostpact.marketing.services.subscriptions import Method, marketing_default


def seed_subscriptions(subject_ids, *, country: str, at) -> int:
    """Insert the sign-up subscriptions of ``subject_ids`` (all of ``country``); return the
    number of subscription rows."""
    on = marketing_default(country, None)
    states = [(m.key, on if m.leavable else True) for m in lists.all_lists()]
    version = versions.policy_version()
    subs, changes = [], []
    for sid in subject_ids:
        for key, state in states:
            subs.append({"subject_id": sid, "list_key": key, "subscribed": state,
                         "changed_at": at})
            changes.append({"subject_id": sid, "list_key": key, "subscribed": state,
                            "method": Method.SIGNUP, "policy_version": version,
                            "actor": "system", "at": at})
    insert_rows(Subscription, subs)
    insert_rows(SubscriptionChange, changes)
    return len(subs)
