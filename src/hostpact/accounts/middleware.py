"""Staff must pass two-factor before reaching the back office when the setting demands it."""

from django.conf import settings
from django.shortcuts import redirect


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (settings.STAFF_REQUIRE_2FA and user is not None and user.is_authenticated
                and user.is_staff and request.path.startswith("/admin/")
                and not user.is_verified()):
            return redirect("/panel/security/?next=" + request.path)
        return self.get_response(request)
