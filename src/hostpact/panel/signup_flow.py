"""The sign-up POST as every page that signs a person up handles it (``/signup/`` and the
storefront's checkout): the age first, then the rate limit, the form and the service.

A child's data goes nowhere (C34): the date of birth is checked before any other field, and
the refusal page says nothing was stored.
"""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from hostpact.accounts import auth
from hostpact.accounts import services as accounts
from hostpact.accounts.validation import is_under_min_age
from hostpact.core import ratelimit
from hostpact.core.http import client_ip
from hostpact.panel import services
from hostpact.panel.forms import SignupForm
from hostpact.referrals.services import attribute_signup

UNDER_13_TEXT = ("We do not accept sign-ups from children under 13. Nothing you entered has "
                 "been stored.")


def _refused(request) -> HttpResponse:
    return render(request, "panel/signup_refused.html", {"text": UNDER_13_TEXT}, status=403)


def sign_up(request, page: Callable[[SignupForm, int], HttpResponse], *, then: str,
            taken_hint: str = "Log in, or reset your password if you forgot it.") -> HttpResponse:
    """Sign the person up from ``request.POST`` and log them in, then redirect to the URL name
    ``then``; on a refusal answer ``page(form, status)`` with the errors shown."""
    try:
        birth = SignupForm.base_fields["date_of_birth"].clean(
            request.POST.get("date_of_birth", ""))
    except ValidationError:
        birth = None
    if birth is not None and is_under_min_age(birth):
        accounts.refuse_child()
        return _refused(request)
    if ratelimit.hit("signup", client_ip(request), 3600) > settings.SIGNUP_RATE_PER_HOUR:
        messages.error(request, "Too many sign-ups from this address; try again in an hour.")
        return page(SignupForm(), 429)
    form = SignupForm(data=request.POST)
    if form.is_valid():
        try:
            result = services.signup(form.cleaned_data)
        except accounts.UnderMinimumAge:
            return _refused(request)
        except accounts.EmailTaken:
            form.add_error("email", f"An account with this email exists already. {taken_hint}")
        except services.SignupRefused as exc:
            for name, errors in exc.errors.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            login(request, result.user, backend=auth.BACKEND)
            attribute_signup(result.user, request)  # the banner or affiliate that sent them
            messages.success(request, "Welcome to hostpact! We sent a link to your email "
                                      "address: please open it to confirm the address.")
            return redirect(then)
    return page(form, 400)
