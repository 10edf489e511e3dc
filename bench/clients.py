"""Logged-in benchmark clients: a browser session and an API token for a sample of subscribers.

Logging in through ``/login/`` would cost one argon2 hash per client and trip the per-IP
lockout, and neither is what the benchmark measures. So the sessions are written straight into
Django's session store with the same keys ``django.contrib.auth.login`` writes, and the tokens
come from the accounts token service (or, before it exists, rows hashed the way
``hostpact.accounts`` hashes them). Run by ``bench/run.py`` in a subprocess whose environment
points at the benchmark's data directory:

    python bench/clients.py --count 500 --out var/bench/clients.json
"""

import argparse
import hashlib
import json
import os
import secrets
import sys
from datetime import timedelta


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hostpact.settings")
    import django

    django.setup()


def sample_users(count: int):
    """``count`` subscribers spread evenly over the whole table (not just the first rows)."""
    from hostpact.accounts.models import User

    ids = list(User.objects.filter(is_staff=False, is_active=True, profile__isnull=False)
               .order_by("id").values_list("id", flat=True))
    if not ids:
        return []
    step = max(1, len(ids) // count)
    chosen = ids[::step][:count]
    return list(User.objects.filter(id__in=chosen).order_by("id"))


def ensure_subscribers(count: int) -> int:
    """Sign up subscribers through the real service until ``count`` exist (no seed_demo yet)."""
    from hostpact.accounts.models import User
    from hostpact.testing.factories import make_subscriber

    have = User.objects.filter(is_staff=False).count()
    for n in range(have, count):
        make_subscriber(email=f"bench{n}@example.test", phone=f"+91987{n:07d}")
    return max(0, count - have)


def make_session(user) -> str:
    """A saved session that ``AuthenticationMiddleware`` accepts as ``user`` logged in."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store_class = import_string(settings.SESSION_ENGINE + ".SessionStore")
    session = store_class()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    _record_login_session(user, session)
    return session.session_key


def _record_login_session(user, session) -> None:
    """List the session on the security page, as a real login would, if accounts tracks them."""
    try:
        from hostpact.accounts import services
    except ImportError:
        return
    record = getattr(services, "record_login_session", None)
    if record is None:
        return
    from django.test import RequestFactory

    request = RequestFactory().get("/login/", HTTP_USER_AGENT="hostpact-bench/1")
    request.session = session
    record(request, user)


def make_token(user) -> str:
    """An API bearer token for ``user``: the accounts service if present, else a hashed row."""
    from hostpact.accounts import services

    issue = getattr(services, "issue_api_token", None)
    if issue is not None:
        token = issue(user)
        return token[0] if isinstance(token, tuple) else getattr(token, "token", token)
    from django.conf import settings

    from hostpact.accounts.models import ApiToken
    from hostpact.core import clock

    key = secrets.token_urlsafe(32)
    now = clock.now()
    ApiToken.objects.create(user=user, key_hash=hashlib.sha256(key.encode()).hexdigest(),
                            created_at=now,
                            expires_at=now + timedelta(seconds=settings.API_TOKEN_LIFETIME))
    return key


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--out", required=True)
    parser.add_argument("--ensure", type=int, default=0,
                        help="sign up subscribers first until this many exist (no seed_demo)")
    args = parser.parse_args(argv)
    _setup_django()
    from django.conf import settings

    created = ensure_subscribers(args.ensure) if args.ensure else 0
    clients = []
    for user in sample_users(args.count):
        clients.append({
            "user_id": user.pk,
            "customer_id": user.customer_id,
            "cookie": f"{settings.SESSION_COOKIE_NAME}={make_session(user)}",
            "token": make_token(user),
        })
    with open(args.out, "w") as fh:
        json.dump({"created_subscribers": created, "clients": clients}, fh)
    print(f"prepared {len(clients)} logged-in clients", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
