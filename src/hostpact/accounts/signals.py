"""Record browser sessions at login and forget them at logout (the security page lists them)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver


@receiver(user_logged_in)
def remember_session(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    from hostpact.accounts.services import record_login_session

    record_login_session(request, user)


@receiver(user_logged_out)
def forget_session(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    from hostpact.accounts.services import forget_login_session

    forget_login_session(request.session.session_key)

