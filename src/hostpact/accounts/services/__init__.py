"""Account actions, one module per noun, re-exported here so callers write ``services.X``.

``users`` (accounts, profiles, email addresses), ``passwords``, ``sessions``, ``tokens`` (API
bearer tokens) and ``two_factor``. Every write of personal data happens in one of them, in a
transaction, with its audit event.
"""

from hostpact.accounts.services.passwords import send_password_reset, set_password, user_for_reset
from hostpact.accounts.services.sessions import (
    end_other_sessions,
    end_session,
    forget_login_session,
    prune_login_sessions,
    record_login_session,
)
from hostpact.accounts.services.tokens import issue_api_token, token_hash
from hostpact.accounts.services.two_factor import (
    BACKUP_CODES,
    confirm_totp,
    disable_two_factor,
    has_two_factor,
    regenerate_backup_codes,
    start_totp,
)
from hostpact.accounts.services.users import (
    PROFILE_FIELDS,
    UNDER_13_COUNTER,
    VERIFY_SALT,
    EmailTaken,
    UnderMinimumAge,
    confirm_email,
    correct_profile,
    create_staff_user,
    create_subscriber,
    email_in_use,
    refuse_child,
    request_email_change,
    send_verification,
    update_profile,
    verification_token,
)

__all__ = [
    "BACKUP_CODES", "PROFILE_FIELDS", "UNDER_13_COUNTER", "VERIFY_SALT", "EmailTaken",
    "UnderMinimumAge", "confirm_email", "confirm_totp", "correct_profile", "create_staff_user",
    "create_subscriber", "disable_two_factor", "email_in_use", "end_other_sessions",
    "end_session", "forget_login_session", "has_two_factor", "issue_api_token",
    "prune_login_sessions", "record_login_session", "refuse_child", "regenerate_backup_codes",
    "request_email_change", "send_password_reset", "send_verification", "set_password",
    "start_totp", "token_hash", "update_profile", "user_for_reset", "verification_token",
]
