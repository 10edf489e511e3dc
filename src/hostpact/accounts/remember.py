""""Remember me" on the login page: the user name or customer ID kept in a functional cookie.

Policy 2.3 lists remembering the login name as a functional cookie (C09), so it is set only
with functional consent, holds only what the person typed as their user name or customer ID
(never the password), is HttpOnly so no script can read the contact data in it (C13), and is
deleted as soon as the box is unticked. The accounts app sits below the consent app, so it
reads the visitor's choice from ``request.consent`` without importing it; no middleware means
nothing granted.
"""

from django.conf import settings

from hostpact.privacy.cookies import FUNCTIONAL

COOKIE = "hp_username"
MAX_AGE = 365 * 24 * 60 * 60
MAX_LENGTH = 254  # the login form's own limit


def allowed(request) -> bool:
    """Return whether the visitor has granted functional cookies."""
    consent = getattr(request, "consent", None)
    return consent is not None and consent.allows(FUNCTIONAL)


def remembered(request) -> str:
    """Return the remembered user name, or "" when there is none or it may not be used."""
    if not allowed(request):
        return ""
    return request.COOKIES.get(COOKIE, "")[:MAX_LENGTH]


def apply(request, response, name: str, remember: bool) -> None:
    """Keep ``name`` in the cookie when asked and allowed; otherwise forget any kept one."""
    if remember and allowed(request):
        response.set_cookie(COOKIE, name[:MAX_LENGTH], max_age=MAX_AGE, httponly=True,
                            samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
    elif COOKIE in request.COOKIES:
        response.delete_cookie(COOKIE, samesite="Lax")
