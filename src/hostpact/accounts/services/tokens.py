"""API bearer tokens: issued by ``POST /api/v1/auth/token``, stored only as their SHA-256."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction

from hostpact.accounts.models import ApiToken, User
from hostpact.core import audit, clock
from hostpact.privacy.rights.guard import lock_subject_for_write


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_api_token(user: User):
    """Create a bearer token; return (the token, its row). Only its SHA-256 is stored."""
    lock_subject_for_write(user.subject_id)  # a token issued during an erasure would outlive it
    raw = secrets.token_urlsafe(32)
    now = clock.now()
    row = ApiToken.objects.create(user=user, key_hash=token_hash(raw), created_at=now,
                                  expires_at=now + timedelta(seconds=settings.API_TOKEN_LIFETIME))
    audit.record(audit.actor_of(user), "accounts.token.issue", user.subject_id, [],
                 f"token:{row.pk}")
    return raw, row
