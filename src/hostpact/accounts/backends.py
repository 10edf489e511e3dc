"""Authentication by email (through its blind index) or customer ID, and password."""

from django.contrib.auth.backends import ModelBackend

from hostpact.accounts.models import User
from hostpact.core import realms
from hostpact.core.prepared import Prepared

USER_BY_PK = Prepared(lambda p: User.objects.filter(pk=p("pk", User._meta.pk)))


class EmailBackend(ModelBackend):
    """Django's model backend; ``UserManager.get_by_natural_key`` does the blind-index look-up."""

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        return super().authenticate(request, username=username or email, password=password,
                                    **kwargs)

    def get_user(self, user_id):
        """The session's user, read on every logged-in request (so through a compiled query)."""
        user = USER_BY_PK.first(pk=user_id, using=User.objects.db)
        if user is None or user.realm_id != realms.current():
            return None  # another realm's account is nobody on this host
        return user if self.user_can_authenticate(user) else None
