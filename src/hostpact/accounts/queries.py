"""Reads of account data that several modules share (the account pages, the panel, /me)."""

from hostpact.accounts.models import Profile, User


def profile_of(user: User) -> Profile | None:
    """Return the subscriber's profile, or None for staff (who have none)."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None
