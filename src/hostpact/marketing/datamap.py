"""What the privacy spine knows of the marketing app: its fields, pages and registrations.

Subscriptions are a subscriber's choices (deleted at erasure); the ledger of their changes is
the proof of those choices (C31), so erasure keeps its entries and removes only what names the
person (the link and the actor), as the cookie consent ledger does. Suppressions and bounces
hold an address only as its blind index, the accounts' email index; an erasure deletes those
of the subscriber's address, so the address can sign up again from a clean slate.

The app's mail categories (one per list, the list's purpose) and its objection handlers (a
verified objection to a list's purpose, through support, leaves that list) are registered
here too.
"""

from hostpact.accounts.models import User
from hostpact.marketing import lists
from hostpact.marketing.models import Bounce, Subscription, SubscriptionChange, Suppression
from hostpact.privacy import objections, registry, subject_data
from hostpact.privacy.purposes import register_mail_category
from hostpact.privacy.registry import Erasure, declare, not_personal, personal

_mail = ("essential.service.notifications.email", "marketing.communications.email")
_proof = "part of the record of a subscription change; personal only through its link"
_index = "essential.service.notifications.email"

declare(
    Subscription,
    id=not_personal(), subject=not_personal("the subscriber the choice belongs to"),
    list_key=not_personal("one of the platform's lists"),
    subscribed=personal("user.privacy_preferences", purposes=_mail, erasure=Erasure.DELETE,
                        label="Subscribed"),
    changed_at=not_personal(),
)
declare(
    SubscriptionChange,
    id=not_personal(),
    # Proof that a choice was made (C31) stays after erasure, without the person: the step
    # "marketing.ledger" removes the link, the data map's anonymisation the actor naming them.
    subject=not_personal("the link to the subscriber, removed at erasure (marketing.ledger)"),
    actor=personal("user.privacy_preferences", purposes=("essential.legal_obligation",),
                   erasure=Erasure.ANONYMISE, label="Subscription change"),
    list_key=not_personal(_proof), subscribed=not_personal(_proof),
    method=not_personal(_proof), policy_version=not_personal(_proof), at=not_personal(_proof),
)
declare(
    Suppression,
    id=not_personal(),
    address_index=personal("user.contact.email", purposes=(_index,), erasure=Erasure.DELETE,
                           label="Suppressed address look-up key"),
    reason=not_personal(), detail=not_personal("a DSN status or feedback type"),
    created_at=not_personal(),
)
declare(
    Bounce,
    id=not_personal(),
    address_index=personal("user.contact.email", purposes=(_index,), erasure=Erasure.DELETE,
                           label="Bounced address look-up key"),
    kind=not_personal(), status=not_personal("RFC 3463 status code"),
    message=not_personal("the outbox message that bounced"), at=not_personal(),
)
registry.section(Subscription, "Mail subscriptions", order=800)
registry.section(SubscriptionChange, "Subscription changes", order=810)
registry.corrector(Subscription, url_name="marketing:preferences", text="Change subscriptions")
registry.back_office("marketing", roles=("marketing", "compliance"))


@subject_data.presenter(Subscription, "subscribed", exported=True)
def _show_subscription(row, value) -> str:
    """The state in words, with the list's title."""
    try:
        title = lists.get(row.list_key).title
    except lists.UnknownList:
        title = row.list_key
    return f"{title}: {'subscribed' if value else 'not subscribed'}"


@subject_data.presenter(SubscriptionChange, "actor", exported=True)
def _show_change(row, value) -> str:
    """A change in words: when, which list, which way, how, by whom, under which version."""
    state = "subscribed" if row.subscribed else "unsubscribed"
    return (f"{row.at:%Y-%m-%d %H:%M} UTC: {row.list_key} {state} "
            f"{row.get_method_display()} by {value} (policy version {row.policy_version})")


@registry.erasure_step("marketing.ledger")
def _unlink_ledger(ctx) -> None:
    """Keep the subscriber's subscription changes as anonymous evidence: remove the link and
    the actor, which may name them (``subscriber:<customer id>``)."""
    changed = SubscriptionChange.objects.filter(subject_id=ctx.subject_id).update(
        subject=None, actor="")
    ctx.add("subscription_changes_anonymised", changed)
    ctx.fields.append("actor")


@registry.erasure_step("marketing.suppressions")
def _forget_suppressions(ctx) -> None:
    """Delete the suppression and bounces of the subscriber's address (before the accounts'
    email index is cleared with the data map's rows)."""
    index = (User.objects.filter(subject_id=ctx.subject_id).values_list("email_index", flat=True)
             .first())
    if not index:
        return
    deleted = Bounce.objects.filter(address_index=index).delete()[0]
    deleted += Suppression.objects.filter(address_index=index).delete()[0]
    ctx.add("suppressions_deleted", deleted)
    ctx.fields.append("address_index")


def _leave(list_key: str):
    def handler(subject_id, actor: str) -> bool:
        from hostpact.marketing.services.subscriptions import Method, set_subscription

        return set_subscription(subject_id, list_key, False, method=Method.SUPPORT, actor=actor)
    return handler


def _announce(mail_list) -> None:
    """Let the outbox know the list's purpose, and an objection to it leave the list."""
    register_mail_category(mail_list.key, mail_list.purpose)
    if mail_list.leavable:
        objections.objection_handler(mail_list.purpose, _leave(mail_list.key))


lists.on_register(_announce)
