"""Staff must pass two-factor before reaching the back office when the setting demands it."""

from django.conf import settings
from django.shortcuts import redirect


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The path first: ``request.user`` is lazy, and touching it would load the session and
        # the user (and decrypt the email) on every request, pages that never need them too.
        if settings.STAFF_REQUIRE_2FA and request.path.startswith("/admin/"):
            user = getattr(request, "user", None)
            if (user is not None and user.is_authenticated and user.is_staff
                    and not user.is_verified()):
                return redirect("/panel/security/?next=" + request.path)
        return self.get_response(request)
