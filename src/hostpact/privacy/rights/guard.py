"""The lock that keeps a write from landing after a subject's erasure began.

A request that authenticated before the erasure revoked its token may still reach a write
service afterwards. So every write service of a subscriber's data calls
``lock_subject_for_write`` first, inside its transaction, and the erasure opens its job under
the same row lock (``lock_subject``): a write that takes the lock after the job opened sees it
and raises ``SubjectErased``, with nothing written; a write that took the lock first commits
before the job opens, so the erasure finds its rows and erases them or lists them as kept.
The lock is the subject's user row, or the subject row for a subject without a user. SQLite
serialises writing transactions already (they begin IMMEDIATE); on PostgreSQL the lock does.

The spine imports no app, so the user model is looked up with ``get_user_model()``.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from hostpact.core.models import Subject
from hostpact.core.problems import Problem
from hostpact.privacy.rights.models import ErasureJob

DETAIL = ("This account is being erased or has been erased, so it can no longer be changed; "
          "nothing was changed.")


class SubjectErased(PermissionDenied):
    """The subject is erased or being erased: the write is refused and nothing was written.

    A ``PermissionDenied``, so a page that does not catch it answers 403 rather than 500.
    """


def erasure_started() -> Problem:
    """The API's answer to a write refused by ``SubjectErased``."""
    return Problem(410, "Account erased", DETAIL, code="erasure_started")


def lock_subject(subject_id):
    """Lock the row that writes and the erasure of ``subject_id`` take; return the user or
    None. Call it inside a transaction."""
    user = (get_user_model()._default_manager.select_for_update()
            .filter(subject_id=subject_id).only("pk", "is_active", "subject_id").first())
    if user is None:
        list(Subject.objects.select_for_update().filter(pk=subject_id).values_list("pk"))
    return user


def lock_subject_for_write(subject_id):
    """Lock ``subject_id`` for a write; raise ``SubjectErased`` when its account is closed or
    its erasure has begun. Returns the (locked) user, or None for a subject without one."""
    user = lock_subject(subject_id)
    if user is not None and not user.is_active:
        raise SubjectErased(DETAIL)
    if ErasureJob.objects.filter(subject_id=subject_id).exists():
        raise SubjectErased(DETAIL)
    return user
