"""Reads of account data that several modules share (the account pages, the panel, /me)."""

from hostpact.accounts.models import Profile, User


def profile_of(user: User) -> Profile | None:
    """Return the subscriber's profile, or None for staff (who have none)."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def subscriber_demographics():
    """Yield ``(country, date_of_birth)`` of every active subscriber, decrypted, for the
    demographic snapshot (a periodic task counts them; nothing is kept per person)."""
    return (Profile.objects.filter(user__is_active=True, user__is_staff=False)
            .values_list("country", "date_of_birth").iterator(chunk_size=2000))
