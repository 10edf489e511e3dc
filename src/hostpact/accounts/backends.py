"""Authentication by email (through its blind index) or customer ID, and password."""

from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Django's model backend; ``UserManager.get_by_natural_key`` does the blind-index look-up."""

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        return super().authenticate(request, username=username or email, password=password,
                                    **kwargs)
