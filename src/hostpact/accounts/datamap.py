"""Data-map declarations of the accounts app's models."""

from hostpact.accounts.models import (
    ApiToken,
    BackupCode,
    BackupCodeDevice,
    LoginSession,
    Profile,
    User,
)
from hostpact.privacy.registry import Erasure, declare, not_personal, personal

_account = ("essential.service.account_management",)
_contact = ("essential.service.account_management", "essential.service.notifications.email",
            "marketing.communications.email.promotions")
_auth = ("essential.service.authentication",)

declare(
    User,
    id=not_personal("the customer id's number"), subject=not_personal(),
    email_index=personal("user.contact.email", purposes=_auth, erasure=Erasure.DELETE,
                         label="Email look-up key"),
    email=personal("user.contact.email", purposes=_contact, label="Email address"),
    email_verified_at=not_personal(),
    pending_email=personal("user.contact.email", purposes=_auth,
                           label="New email awaiting confirmation"),
    password=personal("user.authorization.password", purposes=_auth, erasure=Erasure.DELETE,
                      label="Password (argon2 hash)"),
    last_login=not_personal(), is_superuser=not_personal(), is_staff=not_personal(),
    is_active=not_personal(), date_joined=not_personal(),
    password_changed_at=not_personal("when, not what: shown beside the password as 'set'"),
    groups=not_personal("staff roles"),
    user_permissions=not_personal(),
)
declare(User.groups.through, id=not_personal(), user=not_personal(), group=not_personal())
declare(User.user_permissions.through, id=not_personal(), user=not_personal(),
        permission=not_personal())
declare(
    Profile,
    id=not_personal(), user=not_personal(), subject=not_personal(),
    name=personal("user.name", purposes=_contact, label="Name"),
    phone=personal("user.contact.phone_number", purposes=_account, label="Phone number"),
    phone_index=personal("user.contact.phone_number", purposes=("essential.service.security",),
                         erasure=Erasure.DELETE, label="Phone look-up key"),
    address_line1=personal("user.contact.address.street", purposes=_account,
                           label="Address line 1"),
    address_line2=personal("user.contact.address.street", purposes=_account,
                           label="Address line 2"),
    city=personal("user.contact.address.city", purposes=_account, label="City"),
    region=personal("user.contact.address.state", purposes=_account, label="State or region"),
    postal_code=personal("user.contact.address.postal_code", purposes=_account,
                         label="Postal code"),
    country=personal("user.contact.address.country", purposes=_account, label="Country"),
    date_of_birth=personal("user.demographic.date_of_birth",
                           purposes=("essential.legal_obligation",), label="Date of birth"),
    updated_at=not_personal(),
)
declare(ApiToken, id=not_personal(), user=not_personal(),
        key_hash=not_personal("SHA-256 of a random token"), created_at=not_personal(),
        expires_at=not_personal())
declare(
    LoginSession, id=not_personal(), user=not_personal(), subject=not_personal(),
    session_key=personal("user.authorization", purposes=_auth, retention="security",
                         erasure=Erasure.DELETE, label="Session"),
    created_at=not_personal(),
    user_agent=personal("user.device", purposes=("essential.service.security",),
                        retention="security", label="Browser"),
)
declare(
    BackupCodeDevice, id=not_personal(), user=not_personal(), name=not_personal(),
    confirmed=not_personal(), throttling_failure_timestamp=not_personal(),
    throttling_failure_count=not_personal(), created_at=not_personal(),
    last_used_at=not_personal(),
)
declare(
    BackupCode, id=not_personal(), device=not_personal(),
    code_hash=personal("user.authorization.credentials.totp", purposes=_auth,
                       erasure=Erasure.DELETE, label="Backup code (keyed hash)"),
)
