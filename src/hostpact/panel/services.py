"""Writes that span the account and billing: sign-up with a card, and ``PATCH /api/v1/me``.

Each runs in one transaction; the account and billing services it calls write their own audit
events, so the ledger names the same actions whichever page or API did them.
"""

from dataclasses import dataclass

from django.db import transaction

from hostpact.accounts import services as accounts
from hostpact.accounts.models import User
from hostpact.accounts.validation import is_under_min_age
from hostpact.billing.gateway import CardError, CardToken
from hostpact.billing.services import add_payment_method, tokenize_card
from hostpact.marketing.services import subscribe_new_subscriber
from hostpact.privacy.rights.guard import lock_subject_for_write


class SignupRefused(Exception):
    """Sign-up failed on a field; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("sign-up refused")
        self.errors = errors


@dataclass
class SignupResult:
    user: User


def signup(data: dict) -> SignupResult:
    """Create a subscriber with a card from cleaned ``SignupForm`` data.

    The date of birth is checked before anything else and before the card leaves for the
    gateway (C34); the gateway sees the card only once every other field is valid. Raises
    ``accounts.UnderMinimumAge``, ``accounts.EmailTaken`` or ``SignupRefused`` (the card).
    """
    if is_under_min_age(data["date_of_birth"]):
        accounts.refuse_child()
        raise accounts.UnderMinimumAge()
    if accounts.email_in_use(data["email"]):
        raise accounts.EmailTaken()
    try:
        card = tokenize_card(data["card_number"], data["card_exp_month"],
                             data["card_exp_year"], data["card_cvc"])
    except CardError as exc:
        raise SignupRefused({f"card_{exc.field}": [str(exc)]})
    with transaction.atomic():
        user = accounts.create_subscriber(data)
        add_payment_method(user, card, f"subscriber:{user.customer_id}")
        # C31: on every list; the marketing ones per the box and the country's rule.
        marketing = data.get("marketing")
        subscribe_new_subscriber(user, country=data.get("country") or "",
                                 declined=None if marketing is None else not marketing)
        accounts.send_verification(user)
    return SignupResult(user)


@transaction.atomic
def update_account(user: User, actor: str, *, profile: dict | None = None,
                   email: str | None = None, card: CardToken | None = None,
                   password: str | None = None, keep_session: str | None = None) -> dict:
    """Apply profile, email, card (a gateway token) and password changes in one transaction."""
    lock_subject_for_write(user.subject_id)  # first, before any of the writes below
    done: dict = {}
    if profile:
        done["profile"] = accounts.update_profile(user, profile, actor)
    if email is not None:
        done["email_pending"] = accounts.request_email_change(user, email, actor)
    if card is not None:
        done["card"] = add_payment_method(user, card, actor)
    if password is not None:
        accounts.set_password(user, password, actor, keep_session=keep_session)
    return done
