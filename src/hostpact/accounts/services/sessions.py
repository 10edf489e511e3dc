"""Signed-in sessions: listed at login so the security page can show and end each one."""

from importlib import import_module

from django.conf import settings
from django.db import transaction

from hostpact.accounts.models import LoginSession, User
from hostpact.core import audit, clock
from hostpact.privacy.rights.guard import SubjectErased, lock_subject_for_write


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def record_login_session(request, user: User) -> None:
    """Remember a new signed-in session so the security page can list and end it.

    A login that reaches here after the user's erasure began raises ``SubjectErased``, and its
    session goes too. (Ending sessions is not guarded: erasure ends them all anyway.)
    """
    if not request.session.session_key:
        request.session.save()
    try:
        with transaction.atomic():
            lock_subject_for_write(user.subject_id)
            LoginSession.objects.update_or_create(
                session_key=request.session.session_key,
                defaults={"user": user, "subject_id": user.subject_id,
                          "created_at": clock.now(),
                          "user_agent": request.headers.get("User-Agent", "")[:200]},
            )
            audit.record(audit.actor_of(user), "accounts.session.start", user.subject_id,
                         ["session_key", "user_agent"], user.customer_id)
    except SubjectErased:
        request.session.flush()
        raise


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
    if session_key:
        LoginSession.objects.filter(session_key=session_key).delete()


def prune_login_sessions(user: User) -> None:
    """Drop listings of sessions that expired or were flushed elsewhere."""
    # The engine is database-backed (``settings.SESSION_ENGINE``); its own model class is the
    # table to prune against, whatever module the engine lives in.
    Session = _session_store().get_model_class()
    live = Session.objects.filter(expire_date__gt=clock.now()).values("session_key")
    LoginSession.objects.filter(user_id=user.pk).exclude(session_key__in=live).delete()
