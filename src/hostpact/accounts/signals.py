"""Record browser sessions at login so the security page can list and end them."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from hostpact.accounts.models import LoginSession
from hostpact.core import clock


@receiver(user_logged_in)
def remember_session(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if not request.session.session_key:
        request.session.save()
    LoginSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={"user": user, "subject_id": user.subject_id, "created_at": clock.now(),
                  "user_agent": request.headers.get("User-Agent", "")[:200]},
    )
