"""Account actions: sign-up, staff users, profile changes, email verification.

Every write of personal data happens here, in a transaction, with its audit event.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction

from hostpact.accounts.models import Profile, User
from hostpact.accounts.validation import is_under_min_age
from hostpact.billing.gateway import CardError, gateway
from hostpact.billing.services import add_payment_method
from hostpact.core import audit, clock, crypto, ratelimit
from hostpact.core.mail import queue_mail
from hostpact.core.models import Subject
from hostpact.core.subjects import create_subject

PROFILE_FIELDS = ["name", "phone", "address_line1", "address_line2", "city", "region",
                  "postal_code", "country", "date_of_birth"]
UNDER_13_COUNTER = "signup.refused_under_13"
VERIFY_SALT = "hostpact.accounts.verify-email"


class UnderMinimumAge(Exception):
    """The person is under 13: nothing about them may be stored."""


class EmailTaken(Exception):
    """An account with this email exists already."""


class SignupRefused(Exception):
    """Sign-up failed on a field; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("sign-up refused")
        self.errors = errors


@dataclass
class SignupResult:
    user: User


def refuse_child() -> None:
    """Count a refused under-13 sign-up; the count is all that is kept (no IP, no data)."""
    ratelimit.increment(UNDER_13_COUNTER)


def email_in_use(email: str) -> bool:
    return User.objects.filter(email_index=crypto.blind_index("email", email)).exists()


def signup(data: dict) -> SignupResult:
    """Create a subscriber from cleaned ``SignupForm`` data.

    The date of birth is checked before anything else and before the card leaves for the
    gateway; the gateway sees the card only once every other field is valid.
    """
    if is_under_min_age(data["date_of_birth"]):
        refuse_child()
        raise UnderMinimumAge()
    if email_in_use(data["email"]):
        raise EmailTaken()
    try:
        card = gateway().tokenize(data["card_number"], data["card_exp_month"],
                                  data["card_exp_year"], data["card_cvc"])
    except CardError as exc:
        raise SignupRefused({f"card_{exc.field}": [str(exc)]})
    with transaction.atomic():
        now = clock.now()
        subject = create_subject(Subject.Kind.SUBSCRIBER)
        user = User(subject=subject, email_index=crypto.blind_index("email", data["email"]),
                    email=data["email"], date_joined=now)
        user.set_password(data["password"])
        user.save()
        Profile.objects.create(
            user=user, subject=subject, phone_index=crypto.blind_index("phone", data["phone"]),
            updated_at=now, **{k: data.get(k) or "" for k in PROFILE_FIELDS},
        )
        actor = f"subscriber:{user.customer_id}"
        audit.record(actor, "accounts.signup", subject.id,
                     ["email", "password", *PROFILE_FIELDS], user.customer_id)
        add_payment_method(user, card, actor)
        send_verification(user)
    return SignupResult(user)


def verification_token(user: User, email: str) -> str:
    return signing.dumps({"u": user.pk, "e": crypto.blind_index("email", email)}, salt=VERIFY_SALT)


def send_verification(user: User, email: str | None = None) -> None:
    """Mail a signed, expiring link confirming ``email`` (default: the current one)."""
    email = email or user.email
    link = f"{settings.SITE_URL}/verify-email/{verification_token(user, email)}/"
    hours = settings.EMAIL_VERIFY_MAX_AGE // 3600
    queue_mail(user.subject_id, email, "Confirm your email address for hostpact",
               f"Hello,\n\nplease confirm this email address for your hostpact account "
               f"{user.customer_id} by opening this link within {hours} hours:\n\n{link}\n\n"
               "If you did not ask for this, ignore this message.\n")


def confirm_email(token: str) -> User:
    """Mark the email in ``token`` verified; for a pending change, make it the login email.

    Raises ``signing.BadSignature`` (or its subclass ``SignatureExpired``) for a bad link.
    """
    payload = signing.loads(token, salt=VERIFY_SALT, max_age=settings.EMAIL_VERIFY_MAX_AGE)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=payload["u"])
        actor = f"subscriber:{user.customer_id}"
        if user.email_index == payload["e"]:
            if not user.email_verified_at:
                user.email_verified_at = clock.now()
                user.save(update_fields=["email_verified_at"])
                audit.record(actor, "accounts.email.verify", user.subject_id, [], user.customer_id)
            return user
        pending = user.pending_email
        if not pending or crypto.blind_index("email", pending) != payload["e"]:
            raise signing.BadSignature("this link is for an email that is no longer pending")
        if email_in_use(pending):
            raise EmailTaken()
        user.email, user.email_index = pending, payload["e"]
        user.pending_email = None
        user.email_verified_at = clock.now()
        user.save()
        audit.record(actor, "accounts.email.change", user.subject_id, ["email"],
                     user.customer_id)
        return user


@transaction.atomic
def create_staff_user(email: str, password: str | None, *, superuser: bool = False,
                      groups=(), **extra) -> User:
    """Create a staff member (a subject of kind staff) with the given role groups."""
    from django.contrib.auth.models import Group

    subject = create_subject(Subject.Kind.STAFF)
    user = User(subject=subject, email_index=crypto.blind_index("email", email), email=email,
                date_joined=clock.now(), is_staff=True, is_superuser=superuser,
                email_verified_at=clock.now(), **extra)
    user.set_password(password) if password else user.set_unusable_password()
    user.save()
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    audit.record("system", "accounts.staff.create", subject.id, ["email", "password"],
                 user.customer_id)
    return user
