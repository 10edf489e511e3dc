"""Staff must pass two-factor before reaching the back office when the setting demands it."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


class StaffTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # The resolved namespace first, wherever the admin is mounted: ``request.user`` is lazy,
        # and touching it would load the session and the user (and decrypt the email) on every
        # request, pages that never need them too.
        if settings.STAFF_REQUIRE_2FA and request.resolver_match.namespaces[:1] == ["admin"]:
            user = getattr(request, "user", None)
            if (user is not None and user.is_authenticated and user.is_staff
                    and not user.is_verified()):
                return redirect(reverse("accounts:security") + "?next=" + request.path)
        return None
