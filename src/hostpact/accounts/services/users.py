"""Subscribers and staff, their profiles and their email addresses.

A subscriber's account is created here (the panel's sign-up adds the card around it); every
write of personal data happens in a transaction with its audit event.
"""

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from hostpact.accounts.models import Profile, User
from hostpact.accounts.validation import is_under_min_age
from hostpact.core import audit, clock, crypto, ratelimit, realms
from hostpact.core.branding import brand_for_realm, site_url_for
from hostpact.core.mail import queue_mail
from hostpact.core.models import POSTAL_ADDRESS_FIELDS, Subject
from hostpact.core.subjects import create_subject
from hostpact.privacy.rights.guard import SubjectErased, lock_subject_for_write

PROFILE_FIELDS = ["name", "phone", *POSTAL_ADDRESS_FIELDS, "date_of_birth"]
UNDER_13_COUNTER = "signup.refused_under_13"
VERIFY_SALT = "hostpact.accounts.verify-email"


class UnderMinimumAge(Exception):
    """The person is under 13: nothing about them may be stored."""


class EmailTaken(Exception):
    """An account with this email exists already."""


def refuse_child() -> None:
    """Count a refused under-13 sign-up; the count is all that is kept (no IP, no data)."""
    ratelimit.increment(UNDER_13_COUNTER)


def email_in_use(email: str, realm_id=realms.CURRENT) -> bool:
    """Return True if an account of the realm (default: the one in force) has ``email``."""
    return User.objects.in_realm(realm_id).filter(
        email_index=crypto.blind_index("email", email)).exists()


def create_subscriber(data: dict, realm_id=realms.CURRENT) -> User:
    """Create a subscriber's subject, user and profile from cleaned sign-up data, in the
    realm in force unless ``realm_id`` names one (None: the platform's own).

    The account part of a sign-up: callers add what else the sign-up brings (a card) in the
    same transaction, and check the age themselves before anything leaves (C34); the check
    here is the account's own guard.
    """
    if is_under_min_age(data["date_of_birth"]):
        refuse_child()
        raise UnderMinimumAge()
    realm_id = realms.current() if realm_id is realms.CURRENT else realm_id
    if email_in_use(data["email"], realm_id):
        raise EmailTaken()
    with transaction.atomic():
        now = clock.now()
        subject = create_subject(Subject.Kind.SUBSCRIBER, realm_id)
        user = User(subject=subject, email_index=crypto.blind_index("email", data["email"]),
                    email=data["email"], date_joined=now, realm_id=realm_id)
        user.set_password(data["password"])
        user.password_changed_at = now
        user.save()
        Profile.objects.create(
            user=user, subject=subject, phone_index=crypto.blind_index("phone", data["phone"]),
            updated_at=now, **{k: data.get(k) or "" for k in PROFILE_FIELDS},
        )
        audit.record(f"subscriber:{user.customer_id}", "accounts.signup", subject.id,
                     ["email", "password", *PROFILE_FIELDS], user.customer_id)
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


# --- the profile (control panel, PATCH /api/v1/me, staff corrections) ----------------------

def _blank(value):
    return "" if value is None else value


def update_profile(user: User, changes: dict, actor: str) -> list[str]:
    """Write the changed profile fields (cleaned values), audit their names; return them.

    A birth date that makes the subscriber younger than 13 is refused (C34): nothing changes.
    """
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    birth = changes.get("date_of_birth")
    if birth is not None and is_under_min_age(birth):
        raise UnderMinimumAge()
    with transaction.atomic():
        lock_subject_for_write(user.subject_id)
        profile = Profile.objects.select_for_update().get(user_id=user.pk)
        changed = [k for k, v in changes.items() if _blank(getattr(profile, k)) != _blank(v)]
        if not changed:
            return []
        for name in changed:
            setattr(profile, name, changes[name] if changes[name] not in ("",) else None)
        if "phone" in changed:
            profile.phone_index = crypto.blind_index("phone", profile.phone or "")
        profile.updated_at = clock.now()
        profile.save()
        audit.record(actor, "accounts.profile.update", user.subject_id, changed,
                     user.customer_id)
    return changed


def correct_profile(subject_id, changes: dict, actor: str) -> list[str]:
    """Correct a subscriber's profile for staff (a data-subject request); return what changed.

    The corrector registered in ``accounts.datamap``: the privacy layer calls it without
    knowing the accounts app, and gets ``CorrectionRefused`` for a value it may not write.
    """
    from hostpact.privacy.registry import CorrectionRefused

    user = User.objects.filter(subject_id=subject_id).first()
    if user is None:
        raise CorrectionRefused("The subscriber's account no longer exists.")
    try:
        return update_profile(user, changes, actor)
    except UnderMinimumAge:
        raise CorrectionRefused("The date of birth cannot be set to an age under 13.",
                                "date_of_birth") from None
    except SubjectErased:
        raise CorrectionRefused("The subscriber's account is being erased.") from None
    except ValueError as exc:
        raise CorrectionRefused(str(exc)) from None


# --- the email address: verification and change ---------------------------------------------

def verification_token(user: User, email: str) -> str:
    return signing.dumps({"u": user.pk, "e": crypto.blind_index("email", email)}, salt=VERIFY_SALT)


def send_verification(user: User, email: str | None = None) -> None:
    """Mail a signed, expiring link confirming ``email`` (default: the current one)."""
    email = email or user.email
    link = site_url_for(user.realm_id) + reverse("accounts:verify-email",
                                                 args=[verification_token(user, email)])
    hours = settings.EMAIL_VERIFY_MAX_AGE // 3600
    brand = brand_for_realm(user.realm_id).name
    queue_mail(user.subject_id, email, f"Confirm your email address for {brand}",
               f"Hello,\n\nplease confirm this email address for your {brand} account "
               f"{user.customer_id} by opening this link within {hours} hours:\n\n{link}\n\n"
               "If you did not ask for this, ignore this message.\n")


def confirm_email(token: str) -> User:
    """Mark the email in ``token`` verified; for a pending change, make it the login email.

    Raises ``signing.BadSignature`` (or its subclass ``SignatureExpired``) for a bad link.
    """
    payload = signing.loads(token, salt=VERIFY_SALT, max_age=settings.EMAIL_VERIFY_MAX_AGE)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=payload["u"])
        lock_subject_for_write(user.subject_id)
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
        if email_in_use(pending, user.realm_id):
            raise EmailTaken()
        user.email, user.email_index = pending, payload["e"]
        user.pending_email = None
        user.email_verified_at = clock.now()
        user.save()
        audit.record(actor, "accounts.email.change", user.subject_id, ["email"],
                     user.customer_id)
        return user


def request_email_change(user: User, new_email: str, actor: str) -> bool:
    """Hold ``new_email`` as pending and mail a confirmation link to it.

    The login email changes only when that link is opened (``confirm_email``). The current
    address is told, so a hijacked session cannot move the account silently. Returns False
    when ``new_email`` is already the login email (any pending change is cancelled).
    """
    new_email = new_email.strip().lower()
    with transaction.atomic():
        lock_subject_for_write(user.subject_id)
        user = User.objects.select_for_update().get(pk=user.pk)
        if crypto.blind_index("email", new_email) == user.email_index:
            if user.pending_email:
                user.pending_email = None
                user.save(update_fields=["pending_email"])
                audit.record(actor, "accounts.email.change_cancel", user.subject_id,
                             ["pending_email"], user.customer_id)
            return False
        if email_in_use(new_email):
            raise EmailTaken()
        user.pending_email = new_email
        user.save(update_fields=["pending_email"])
        audit.record(actor, "accounts.email.change_request", user.subject_id,
                     ["pending_email"], user.customer_id)
        send_verification(user, new_email)
        brand = brand_for_realm(user.realm_id).name
        queue_mail(user.subject_id, user.email, f"Your {brand} email address is being changed",
                   f"Hello,\n\nsomeone signed in to your {brand} account {user.customer_id} "
                   "asked to change its email address. The change takes effect only when the "
                   "new address is confirmed.\n\nIf this was not you, change your password "
                   f"at {site_url_for(user.realm_id)}{reverse('accounts:security')} now.\n")
    return True
