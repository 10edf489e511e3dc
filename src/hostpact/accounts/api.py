"""Accounts API: sign-up."""

from django.conf import settings
from ninja import Router

from hostpact.accounts import services
from hostpact.accounts.forms import SignupForm
from hostpact.accounts.schemas import FORM_TO_API, SignupIn, SignupOut, flatten
from hostpact.accounts.validation import is_under_min_age
from hostpact.core import ratelimit
from hostpact.core.problems import Problem, form_errors
from hostpact.core.requests import client_ip

router = Router(tags=["accounts"])

UNDER_13 = Problem(403, "Sign-up refused",
                   "We do not accept sign-ups from children under 13, and stored nothing "
                   "about this request.", code="under_13")


@router.post("/signup", response={201: SignupOut}, auth=None)
def signup(request, payload: SignupIn):
    """Create a subscriber account with a card; under 13 is refused and nothing is stored."""
    if is_under_min_age(payload.date_of_birth):
        services.refuse_child()
        raise UNDER_13
    if ratelimit.hit("signup", client_ip(request), 3600) > settings.SIGNUP_RATE_PER_HOUR:
        raise Problem(429, "Too many sign-ups", "Too many sign-ups from this address; "
                      "try again in an hour.", code="rate_limited")
    form = SignupForm(data=flatten(payload.dict()))
    if not form.is_valid():
        raise Problem(400, "Invalid sign-up", "Some fields are not valid.",
                      errors=form_errors(form, FORM_TO_API))
    try:
        result = services.signup(form.cleaned_data)
    except services.UnderMinimumAge:
        raise UNDER_13
    except services.EmailTaken:
        raise Problem(409, "Email already registered",
                      "An account with this email exists; log in or reset the password.",
                      code="email_taken", errors={"email": ["This email is already registered."]})
    except services.SignupRefused as exc:
        raise Problem(400, "Invalid sign-up", "The card was refused.",
                      errors={FORM_TO_API.get(k, k): v for k, v in exc.errors.items()})
    return 201, {"id": result.user.pk, "customer_id": result.user.customer_id}
