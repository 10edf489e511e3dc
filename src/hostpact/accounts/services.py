"""Account actions: sign-up, staff users, profile changes, email verification.

Every write of personal data happens here, in a transaction, with its audit event.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction

from hostpact.accounts import backup_codes
from hostpact.accounts.models import BackupCode, BackupCodeDevice, Profile, User
from hostpact.accounts.validation import is_under_min_age
from hostpact.billing.gateway import CardError
from hostpact.billing.services import add_payment_method, tokenize_card
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
        card = tokenize_card(data["card_number"], data["card_exp_month"],
                             data["card_exp_year"], data["card_cvc"])
    except CardError as exc:
        raise SignupRefused({f"card_{exc.field}": [str(exc)]})
    with transaction.atomic():
        now = clock.now()
        subject = create_subject(Subject.Kind.SUBSCRIBER)
        user = User(subject=subject, email_index=crypto.blind_index("email", data["email"]),
                    email=data["email"], date_joined=now)
        user.set_password(data["password"])
        user.password_changed_at = now
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


# --- profile, email, card and password changes (control panel and PATCH /api/v1/me) ---------

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


def request_email_change(user: User, new_email: str, actor: str) -> bool:
    """Hold ``new_email`` as pending and mail a confirmation link to it.

    The login email changes only when that link is opened (``confirm_email``). The current
    address is told, so a hijacked session cannot move the account silently. Returns False
    when ``new_email`` is already the login email (any pending change is cancelled).
    """
    new_email = new_email.strip().lower()
    with transaction.atomic():
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
        queue_mail(user.subject_id, user.email, "Your hostpact email address is being changed",
                   f"Hello,\n\nsomeone signed in to your hostpact account {user.customer_id} "
                   "asked to change its email address. The change takes effect only when the "
                   "new address is confirmed.\n\nIf this was not you, change your password "
                   f"at {settings.SITE_URL}/panel/security/ now.\n")
    return True


def replace_card(user: User, number: str, exp_month: int, exp_year: int, cvc: str,
                 actor: str):
    """Send a new card to the gateway and keep its token as the default card.

    Raises ``CardError`` (naming the card field) before anything is written.
    """
    return add_payment_method(user, tokenize_card(number, exp_month, exp_year, cvc), actor)


@transaction.atomic
def set_password(user: User, raw_password: str, actor: str, keep_session: str | None = None):
    """Set a new password and end every other signed-in session of the user."""
    user.set_password(raw_password)
    user.password_changed_at = clock.now()
    user.save(update_fields=["password", "password_changed_at"])
    audit.record(actor, "accounts.password.change", user.subject_id, ["password"],
                 user.customer_id)
    end_other_sessions(user, keep_session, actor)


# --- password reset ----------------------------------------------------------------------

def send_password_reset(email: str) -> None:
    """Mail a reset link if an active account has this email; do nothing otherwise.

    The caller answers the same either way, so the form does not reveal who has an account.
    """
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = User.objects.filter(email_index=crypto.blind_index("email", email.strip().lower()),
                               is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = f"{settings.SITE_URL}/password-reset/{uid}/{token}/"
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    queue_mail(user.subject_id, user.email, "Reset your hostpact password",
               f"Hello,\n\nto choose a new password for your hostpact account "
               f"{user.customer_id}, open this link within {minutes} minutes:\n\n{link}\n\n"
               "If you did not ask for this, ignore this message; your password stays as "
               "it is.\n")


def user_for_reset(uidb64: str, token: str) -> User | None:
    """The user a reset link belongs to, or None for a bad, used or expired link."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.http import urlsafe_base64_decode

    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


# --- sessions ----------------------------------------------------------------------------

def _session_store():
    from importlib import import_module

    return import_module(settings.SESSION_ENGINE).SessionStore


def record_login_session(request, user: User) -> None:
    """Remember a new signed-in session so the security page can list and end it."""
    from hostpact.accounts.models import LoginSession

    if not request.session.session_key:
        request.session.save()
    with transaction.atomic():
        LoginSession.objects.update_or_create(
            session_key=request.session.session_key,
            defaults={"user": user, "subject_id": user.subject_id, "created_at": clock.now(),
                      "user_agent": request.headers.get("User-Agent", "")[:200]},
        )
        audit.record(audit.actor_of(user), "accounts.session.start", user.subject_id,
                     ["session_key", "user_agent"], user.customer_id)


@transaction.atomic
def end_session(user: User, login_session, actor: str) -> None:
    """Sign out one session: its Django session row goes with its listing."""
    if login_session.user_id != user.pk:
        raise PermissionError("not this user's session")
    _session_store()().delete(login_session.session_key)
    login_session.delete()
    audit.record(actor, "accounts.session.end", user.subject_id, ["session_key", "user_agent"],
                 user.customer_id)


@transaction.atomic
def end_other_sessions(user: User, keep_session_key: str | None, actor: str) -> int:
    """Sign out every session of ``user`` except ``keep_session_key``; return how many."""
    from hostpact.accounts.models import LoginSession

    others = list(LoginSession.objects.filter(user_id=user.pk)
                  .exclude(session_key=keep_session_key or ""))
    store = _session_store()
    for row in others:
        store().delete(row.session_key)
        row.delete()
    if others:
        audit.record(actor, "accounts.session.end", user.subject_id,
                     ["session_key", "user_agent"], user.customer_id)
    return len(others)


def forget_login_session(session_key: str | None) -> None:
    """Drop the listing of a session that was logged out."""
    from hostpact.accounts.models import LoginSession

    if session_key:
        LoginSession.objects.filter(session_key=session_key).delete()


def prune_login_sessions(user: User) -> None:
    """Drop listings of sessions that expired or were flushed elsewhere."""
    from django.contrib.sessions.models import Session

    from hostpact.accounts.models import LoginSession

    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return
    live = Session.objects.filter(expire_date__gt=clock.now()).values("session_key")
    LoginSession.objects.filter(user_id=user.pk).exclude(session_key__in=live).delete()


# --- API tokens --------------------------------------------------------------------------

def token_hash(raw: str) -> str:
    import hashlib

    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_api_token(user: User):
    """Create a bearer token; return (the token, its row). Only its SHA-256 is stored."""
    import secrets
    from datetime import timedelta

    from hostpact.accounts.models import ApiToken

    raw = secrets.token_urlsafe(32)
    now = clock.now()
    row = ApiToken.objects.create(user=user, key_hash=token_hash(raw), created_at=now,
                                  expires_at=now + timedelta(seconds=settings.API_TOKEN_LIFETIME))
    audit.record(audit.actor_of(user), "accounts.token.issue", user.subject_id, [],
                 f"token:{row.pk}")
    return raw, row


# --- two-factor authentication -----------------------------------------------------------

BACKUP_CODES = 10


def has_two_factor(user: User) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


@transaction.atomic
def start_totp(user: User):
    """An unconfirmed TOTP device for the set-up page (the pending one if there is one)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
        audit.record(audit.actor_of(user), "accounts.2fa.start", user.subject_id, ["key"],
                     user.customer_id)
    return device


def confirm_totp(user: User, code: str) -> list[str] | None:
    """Confirm the pending device with a code from the app; return new backup codes.

    Returns None (and changes nothing but django-otp's throttle) when the code is wrong.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
    if device is None or not device.verify_token(code.replace(" ", "")):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(audit.actor_of(user), "accounts.2fa.enable", user.subject_id, ["key"],
                     user.customer_id)
        return regenerate_backup_codes(user)


@transaction.atomic
def regenerate_backup_codes(user: User) -> list[str]:
    """Replace the backup codes with ten new ones; they are shown once, then only checked.

    Only each code's keyed hash is stored, so the list returned here is the one copy in clear.
    """
    BackupCodeDevice.objects.filter(user_id=user.pk).delete()
    device = BackupCodeDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = backup_codes.generate(BACKUP_CODES)
    BackupCode.objects.bulk_create(BackupCode(device=device, code_hash=backup_codes.digest(c))
                                   for c in codes)
    audit.record(audit.actor_of(user), "accounts.2fa.backup_codes", user.subject_id,
                 ["code_hash"], user.customer_id)
    return codes


@transaction.atomic
def disable_two_factor(user: User, actor: str) -> None:
    """Remove the authenticator and the backup codes."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user_id=user.pk).delete()
    BackupCodeDevice.objects.filter(user_id=user.pk).delete()
    audit.record(actor, "accounts.2fa.disable", user.subject_id, ["key", "code_hash"],
                 user.customer_id)


# --- PATCH /api/v1/me: several changes, all or nothing -------------------------------------

@transaction.atomic
def update_account(user: User, actor: str, *, profile: dict | None = None,
                   email: str | None = None, card=None, password: str | None = None,
                   keep_session: str | None = None) -> dict:
    """Apply profile, email, card (a gateway token) and password changes in one transaction."""
    done: dict = {}
    if profile:
        done["profile"] = update_profile(user, profile, actor)
    if email is not None:
        done["email_pending"] = request_email_change(user, email, actor)
    if card is not None:
        done["card"] = add_payment_method(user, card, actor)
    if password is not None:
        set_password(user, password, actor, keep_session=keep_session)
    return done
