"""What the privacy spine knows of the accounts app: its fields, pages and erasure steps.

Every field of its models is declared here, and so is what erasure does beyond the fields
(sessions end, tokens go, the account closes), where "My information" and the export show each
model, where a subscriber corrects it, and what a subscriber's back-office page shows.
"""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from hostpact.accounts import remember
from hostpact.accounts.forms import ProfileForm
from hostpact.accounts.models import (
    ApiToken,
    BackupCode,
    BackupCodeDevice,
    LoginSession,
    Profile,
    User,
)
from hostpact.accounts.services import correct_profile
from hostpact.privacy import registry
from hostpact.privacy.cookies import FUNCTIONAL, declare_cookie
from hostpact.privacy.registry import Erasure, declare, not_personal, personal

_account = ("essential.service.account_management",)
_contact = ("essential.service.account_management", "essential.service.notifications.email",
            "marketing.communications.email", "marketing.communications.email.promotions")
_auth = ("essential.service.authentication",)

declare(
    User,
    id=not_personal("the customer id's number"), subject=not_personal(),
    realm=not_personal("whose customer the account is: ours or a reseller's"),
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
    line1=personal("user.contact.address.street", purposes=_account, label="Address line 1"),
    line2=personal("user.contact.address.street", purposes=_account, label="Address line 2"),
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

declare_cookie(remember.COOKIE, category=FUNCTIONAL, max_age=remember.MAX_AGE,
               purpose='"Remember me" on the login page: the email or customer ID you typed, '
                       "to fill in the form next time (never the password).")


# --- where the subject's pages show these models, and where they are corrected ---------------

registry.section(User, "Account", order=10)
registry.section(Profile, "Contact, address and date of birth", order=20)
registry.section(LoginSession, "Signed-in session")
registry.section(TOTPDevice, "Authenticator app")
registry.section(BackupCode, "Backup codes", collapsed=True)


registry.corrector(User, fields=("email", "pending_email"), url_name="accounts:email",
                   text="Change email")
registry.corrector(User, fields=("password",), url_name="accounts:security",
                   text="Change password")
registry.corrector(Profile, url_name="accounts:contact", text="Correct", form=ProfileForm,
                   service=correct_profile)
registry.corrector(LoginSession, url_name="accounts:security", text="Sign out")
registry.corrector(TOTPDevice, url_name="accounts:security", text="Manage two-factor")
registry.corrector(BackupCode, url_name="accounts:security", text="Manage backup codes")
registry.subscriber_inline(Profile)


# --- what erasing a subscriber does to the account, beyond its fields -------------------------

@registry.erasure_step("sessions")
def _end_sessions(ctx) -> None:
    """End every signed-in session (its Django session row and its listing)."""
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    rows = list(LoginSession.objects.filter(subject_id=ctx.subject_id))
    for row in rows:
        store().delete(row.session_key)
    LoginSession.objects.filter(pk__in=[r.pk for r in rows]).delete()
    # A session not listed dies too: the unusable password changes the session hash Django
    # checks on every request, and the user is inactive.
    ctx.add("sessions_ended", len(rows))
    ctx.fields.extend(["session_key", "user_agent"])


@registry.erasure_step("tokens")
def _revoke_tokens(ctx) -> None:
    deleted, _ = ApiToken.objects.filter(user__subject_id=ctx.subject_id).delete()
    ctx.add("tokens_revoked", deleted)


@registry.erasure_step("account")
def _close_account(ctx) -> None:
    user = User.objects.filter(subject_id=ctx.subject_id).first()
    if user is None:
        return
    user.is_active = False
    user.password = make_password(None)
    user.save(update_fields=["is_active", "password"])
    ctx.add("accounts_closed", 1)
    ctx.fields.append("password")
registry.back_office(
    "accounts", roles=("support", "billing", "compliance", "marketing", "abuse"))
