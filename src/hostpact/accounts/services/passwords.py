"""Passwords: a new one set (which ends the other sessions) and the reset by emailed link."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from hostpact.accounts.models import User
from hostpact.accounts.services.sessions import end_other_sessions
from hostpact.core import audit, clock, crypto
from hostpact.core.branding import brand_for_realm, site_url_for
from hostpact.core.mail import queue_mail
from hostpact.privacy.rights.guard import SubjectErased, lock_subject_for_write


@transaction.atomic
def set_password(user: User, raw_password: str, actor: str, keep_session: str | None = None):
    """Set a new password and end every other signed-in session of the user."""
    lock_subject_for_write(user.subject_id)
    user.set_password(raw_password)
    user.password_changed_at = clock.now()
    user.save(update_fields=["password", "password_changed_at"])
    audit.record(actor, "accounts.password.change", user.subject_id, ["password"],
                 user.customer_id)
    end_other_sessions(user, keep_session, actor)


def send_password_reset(email: str) -> None:
    """Mail a reset link if an active account has this email; do nothing otherwise.

    The caller answers the same either way, so the form does not reveal who has an account.
    """
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = User.objects.in_realm().filter(
        email_index=crypto.blind_index("email", email.strip().lower()), is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = site_url_for(user.realm_id) + reverse("accounts:password-reset-confirm",
                                                 args=[uid, token])
    brand = brand_for_realm(user.realm_id).name
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    with transaction.atomic():
        try:
            lock_subject_for_write(user.subject_id)
        except SubjectErased:
            return  # the account is going: no mail, and the same answer as for no account
        queue_mail(user.subject_id, user.email, f"Reset your {brand} password",
                   f"Hello,\n\nto choose a new password for your {brand} account "
                   f"{user.customer_id}, open this link within {minutes} minutes:\n\n{link}"
                   "\n\nIf you did not ask for this, ignore this message; your password stays "
                   "as it is.\n")


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
