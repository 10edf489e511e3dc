"""Who is asking: password and second-factor checks with lockout, and the API's auth object.

The login page and ``POST /api/v1/auth/token`` share these checks, so both count failures in
the same per-account and per-address buckets and both honour the same lockout. ``api_auth``
(session cookie or ``Authorization: Bearer``) is the API's default authentication, set once on
the project's NinjaAPI, so operations need no ``auth=`` unless they are public (``auth=None``).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from hostpact.accounts.models import ApiToken, User
from hostpact.core import clock, ratelimit, realms
from hostpact.core.prepared import Prepared
from hostpact.core.problems import Problem

BACKEND = "hostpact.accounts.backends.EmailBackend"


class LockedOut(Exception):
    """Too many failures for this account or this address; ``retry_at`` says until when."""

    def __init__(self, retry_at: datetime):
        super().__init__("locked out")
        self.retry_at = retry_at

    @property
    def retry_after(self) -> int:
        return max(1, int((self.retry_at - clock.now()).total_seconds()))

    def message(self) -> str:
        from django.utils import timezone

        local = timezone.localtime(self.retry_at).strftime("%H:%M")
        minutes = (self.retry_after + 59) // 60
        return (f"Too many failed sign-in attempts. For your security, signing in is paused: "
                f"try again after {local} (in about {minutes} minute"
                f"{'s' if minutes != 1 else ''}), or reset your password.")


class BadCredentials(Exception):
    """The email, customer ID, password or one-time code is wrong."""


@dataclass(frozen=True)
class Attempt:
    ip: str
    account: str  # a bucket key: the user's pk when known, else the typed name


def attempt_for(ip: str, identifier: str) -> Attempt:
    """Failures count per account whichever name (email or customer ID) was typed."""
    try:
        user = User.objects.get_by_natural_key(identifier)
        account = f"user:{user.pk}"
    except User.DoesNotExist:
        account = "name:" + (identifier or "").strip().lower()
    return Attempt(ip or "unknown", account)


def _window_end() -> datetime:
    window = settings.LOCKOUT_WINDOW
    start = int(clock.now().timestamp()) // window * window
    return datetime.fromtimestamp(start + window, tz=UTC)


def check_lockout(attempt: Attempt) -> None:
    """Raise ``LockedOut`` while this account or this address has too many recent failures."""
    window = settings.LOCKOUT_WINDOW
    if (ratelimit.count("login-account", attempt.account, window) >= settings.LOCKOUT_THRESHOLD
            or ratelimit.count("login-ip", attempt.ip, window) >= settings.LOCKOUT_IP_THRESHOLD):
        raise LockedOut(_window_end())


def record_failure(attempt: Attempt) -> None:
    """Count a failed password or code.

    These counters are written on purpose although the request is refused: they are what the
    lockout reads (each ``hit`` commits on its own, outside any rolled-back work).
    """
    window = settings.LOCKOUT_WINDOW
    ratelimit.hit("login-account", attempt.account, window)
    ratelimit.hit("login-ip", attempt.ip, window)


def clear_account_failures(attempt: Attempt) -> None:
    ratelimit.reset("login-account", attempt.account, settings.LOCKOUT_WINDOW)


def check_password(request, attempt: Attempt, identifier: str, password: str) -> User:
    """The active user with these credentials; raises ``LockedOut`` or ``BadCredentials``."""
    check_lockout(attempt)
    user = authenticate(request, username=identifier, password=password)
    if user is None or not user.is_active:
        record_failure(attempt)
        check_lockout(attempt)  # the failure that reaches the threshold says so at once
        raise BadCredentials()
    return user


def check_second_factor(user: User, attempt: Attempt, code: str):
    """The device (authenticator or backup code) that accepts ``code``; a backup code is
    consumed by django-otp on use. Raises ``LockedOut`` or ``BadCredentials``."""
    from django_otp import match_token

    check_lockout(attempt)
    code = (code or "").replace(" ", "").strip()
    device = match_token(user, code) if code and len(code) <= 16 else None
    if device is None:
        record_failure(attempt)
        check_lockout(attempt)
        raise BadCredentials()
    clear_account_failures(attempt)
    return device


TOKEN_BY_HASH = Prepared(lambda p: ApiToken.objects.select_related("user", "user__profile").filter(
    key_hash=p("hash", ApiToken._meta.get_field("key_hash")),
    expires_at__gt=p("now", ApiToken._meta.get_field("expires_at"))))


def user_for_token(raw: str) -> User | None:
    """The active user of an unexpired token, with its profile (every /me needs it) joined in."""
    from hostpact.accounts.services import token_hash

    row = TOKEN_BY_HASH.first(hash=token_hash(raw), now=clock.now(), using=ApiToken.objects.db)
    if row is None or not row.user.is_active or row.user.realm_id != realms.current():
        return None  # a token works only on its own realm's hosts, like the session
    return row.user


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <token>`` from ``POST /api/v1/auth/token``."""

    def authenticate(self, request, token):
        user = user_for_token(token) if token and len(token) <= 200 else None
        if user is not None:
            request.user = user
        return user


CSRF_REFUSED = Problem(403, "CSRF check failed",
                       "A write with the session cookie must send the CSRF token (the "
                       "X-CSRFToken header, from the csrftoken cookie); nothing was changed.",
                       code="csrf_failed")


class SubscriberSession(SessionAuth):
    """The browser's session cookie; a write by session must carry the CSRF token.

    Ninja's own check runs before it looks for a session, so a write with no credentials at
    all was refused as a CSRF failure (403) instead of 401. Here the CSRF token is checked only
    once there is a signed-in session to protect.
    """

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CSRF_REFUSED
        return user


#: The API's default authentication (``hostpact.api``): bearer token first, then the session.
api_auth = [BearerAuth(), SubscriberSession()]

PENDING_TTL = timedelta(minutes=5)
