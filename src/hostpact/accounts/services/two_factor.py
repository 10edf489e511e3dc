"""Two-factor authentication: the authenticator app (TOTP) and its backup codes."""

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from hostpact.accounts import backup_codes
from hostpact.accounts.models import BackupCode, BackupCodeDevice, User
from hostpact.core import audit
from hostpact.privacy.rights.guard import lock_subject_for_write

BACKUP_CODES = 10


def has_two_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


@transaction.atomic
def start_totp(user: User):
    """An unconfirmed TOTP device for the set-up page (the pending one if there is one)."""
    lock_subject_for_write(user.subject_id)
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
        audit.record(audit.actor_of(user), "accounts.2fa.start", user.subject_id, ["key"],
                     user.customer_id)
    return device


def confirm_totp(user: User, code: str) -> list[str] | None:
    """Confirm the pending device with a code from the app; return new backup codes.

    Returns None (and changes nothing but django-otp's throttle) when the code is wrong.
    """
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).first()
    if device is None or not device.verify_token(code.replace(" ", "")):
        return None
    with transaction.atomic():
        lock_subject_for_write(user.subject_id)
        TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(audit.actor_of(user), "accounts.2fa.enable", user.subject_id, ["key"],
                     user.customer_id)
        return regenerate_backup_codes(user)


@transaction.atomic
def regenerate_backup_codes(user: User) -> list[str]:
    """Replace the backup codes with ten new ones; they are shown once, then only checked.

    Only each code's keyed hash is stored, so the list returned here is the one copy in clear.
    """
    lock_subject_for_write(user.subject_id)
    BackupCodeDevice.objects.filter(user_id=user.pk).delete()
    device = BackupCodeDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = backup_codes.generate(BACKUP_CODES)
    BackupCode.objects.bulk_create(BackupCode(device=device, code_hash=backup_codes.digest(c))
                                   for c in codes)
    audit.record(audit.actor_of(user), "accounts.2fa.backup_codes", user.subject_id,
                 ["code_hash"], user.customer_id)
    return codes


@transaction.atomic
def disable_two_factor(user: User, actor: str) -> None:
    """Remove the authenticator and the backup codes."""
    lock_subject_for_write(user.subject_id)
    TOTPDevice.objects.filter(user_id=user.pk).delete()
    BackupCodeDevice.objects.filter(user_id=user.pk).delete()
    audit.record(actor, "accounts.2fa.disable", user.subject_id, ["key", "code_hash"],
                 user.customer_id)
