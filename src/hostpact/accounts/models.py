"""Users (subscribers and staff), subscriber profiles, API tokens, login sessions and backup
codes.

The login field is the email's blind index, so the database never holds an email in clear;
``__str__`` shows the customer ID, never a name, wherever Django prints a user.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from hostpact.accounts import backup_codes
from hostpact.core import crypto, realms
from hostpact.core.customer_ids import customer_id_for, pk_from_customer_id
from hostpact.core.fields import EncryptedDateField, EncryptedTextField
from hostpact.core.models import PostalAddress, Realm, Subject


class UserManager(BaseUserManager):
    def in_realm(self, realm_id=realms.CURRENT):
        """Return the users of ``realm_id`` (default: the realm in force; None: ours)."""
        realm_id = realms.current() if realm_id is realms.CURRENT else realm_id
        return self.filter(realm_id=realm_id) if realm_id is not None else self.filter(
            realm__isnull=True)

    def get_by_natural_key(self, username):
        """Find a user of the realm in force by email (through its blind index) or by
        customer ID."""
        pk = pk_from_customer_id(username or "")
        if pk is not None:
            return self.in_realm().get(pk=pk)
        return self.in_realm().get(email_index=crypto.blind_index("email", username or ""))

    def create_user(self, email, password=None, **extra):
        from hostpact.accounts.services import create_staff_user

        return create_staff_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        from hostpact.accounts.services import create_staff_user

        return create_staff_user(email, password, superuser=True, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    subject = models.OneToOneField(Subject, on_delete=models.PROTECT, related_name="user")
    # Null: one of the platform's own accounts; otherwise the realm of the reseller whose
    # customer this is (the same as its subject's). The email is unique within a realm.
    realm = models.ForeignKey(Realm, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    email_index = models.CharField(max_length=40, db_index=True)
    email = EncryptedTextField()
    email_verified_at = models.DateTimeField(null=True, blank=True)
    pending_email = EncryptedTextField()
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField()
    password_changed_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email_index"
    EMAIL_FIELD = "email"

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["email_index"], condition=models.Q(realm__isnull=True),
                                    name="one_platform_account_per_email"),
            models.UniqueConstraint(fields=["realm", "email_index"],
                                    condition=models.Q(realm__isnull=False),
                                    name="one_realm_account_per_email"),
        ]

    def __str__(self):
        return self.customer_id if self.pk else "new user"

    @property
    def customer_id(self) -> str:
        return customer_id_for(self.pk)

    def get_username(self):
        return self.customer_id

    def natural_key(self):
        return (self.customer_id,)


class Profile(PostalAddress):
    """A subscriber's identity and postal contact, all encrypted under the subject's key."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    subject = models.OneToOneField(Subject, on_delete=models.PROTECT, related_name="profile")
    name = EncryptedTextField()
    phone = EncryptedTextField()
    phone_index = models.CharField(max_length=40, db_index=True, blank=True)
    date_of_birth = EncryptedDateField()
    updated_at = models.DateTimeField()

    def __str__(self):
        return f"profile of {self.user}"


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    def __str__(self):
        return f"token {self.pk} of {self.user}"


class LoginSession(models.Model):
    """A signed-in browser session, listed on the security page so it can be signed out."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField()
    user_agent = EncryptedTextField(retention_class="security")

    def __str__(self):
        return f"session {self.pk} of {self.user}"


class BackupCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A user's one-use backup codes, a django-otp device tried beside the authenticator app.

    It takes the place of django-otp's static plugin, which keeps the codes in plain text, so a
    copy of its table was a set of working second factors; here only a keyed hash of each
    code is stored (``BackupCode``). Wrong codes slow retries as the static plugin did.
    """

    def get_throttle_factor(self):
        return settings.BACKUP_CODE_THROTTLE_FACTOR

    def verify_token(self, token):
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        # Deleting is the check: of two requests racing with the same code only one deletes it.
        used, _ = self.codes.filter(code_hash=backup_codes.digest(token)).delete()
        if used:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
        else:
            self.throttle_increment()
        return bool(used)


class BackupCode(models.Model):
    """One unused backup code, as its keyed hash (``backup_codes.digest``); used codes are
    deleted."""

    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=40)

    def __str__(self):
        return f"backup code {self.pk}"
