"""Panel API: sign-up with a card, and the subscriber's own information (``/me``).

Both combine the account with billing's card, which is why they live here and not in either.
"""

from django.conf import settings
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from ninja import Router, Status

from hostpact.accounts import services as accounts
from hostpact.accounts.forms import NewPasswordFields, ProfileForm
from hostpact.accounts.queries import profile_of
from hostpact.accounts.validation import is_under_min_age
from hostpact.billing.forms import CardForm
from hostpact.billing.gateway import CardError
from hostpact.billing.services import default_card, tokenize_card
from hostpact.core import audit, ratelimit
from hostpact.core.http import client_ip
from hostpact.core.problems import Problem, form_errors, problem_responses
from hostpact.panel import services
from hostpact.panel.forms import SignupForm
from hostpact.panel.schemas import (
    FORM_TO_API,
    FORM_TO_API_ADDRESS,
    MeOut,
    MePatch,
    SignupIn,
    SignupOut,
    flatten,
)

# Tagged as before the move: readers of the API documentation look for sign-up and /me under
# the account, whichever app serves them.
router = Router(tags=["accounts"])

UNDER_13 = Problem(403, "Sign-up refused",
                   "We do not accept sign-ups from children under 13, and stored nothing "
                   "about this request.", code="under_13")


@router.post("/signup", response={201: SignupOut}, auth=None, openapi_extra=problem_responses({
    400: "The card was refused (`errors` on `card.number`).",
    403: "The date of birth is under 13 (`code: under_13`); nothing about the person is stored.",
    409: "An account with this email exists (`code: email_taken`).",
    429: "Too many sign-ups from this address (`code: rate_limited`); try again in an hour.",
}))
def signup(request, payload: SignupIn):
    """Create a subscriber account with a card; under 13 is refused and nothing is stored."""
    if is_under_min_age(payload.date_of_birth):
        accounts.refuse_child()
        raise UNDER_13
    if ratelimit.hit("signup", client_ip(request), 3600) > settings.SIGNUP_RATE_PER_HOUR:
        raise Problem(429, "Too many sign-ups", "Too many sign-ups from this address; "
                      "try again in an hour.", code="rate_limited")
    form = SignupForm(data=flatten(payload.dict()))
    if not form.is_valid():
        raise Problem(400, "Invalid sign-up", "Some fields are not valid.",
                      errors=form_errors(form, FORM_TO_API))
    try:
        result = services.signup({**form.cleaned_data, "marketing": payload.marketing})
    except accounts.UnderMinimumAge:
        raise UNDER_13
    except accounts.EmailTaken:
        raise Problem(409, "Email already registered",
                      "An account with this email exists; log in or reset the password.",
                      code="email_taken", errors={"email": ["This email is already registered."]})
    except services.SignupRefused as exc:
        raise Problem(400, "Invalid sign-up", "The card was refused.",
                      errors={FORM_TO_API.get(k, k): v for k, v in exc.errors.items()})
    return Status(201, {"id": result.user.pk, "customer_id": result.user.customer_id})


# --- /me -----------------------------------------------------------------------------------

def _me(user) -> dict:
    """The /me body of ``user`` as loaded: callers that changed it refresh it first."""
    profile = profile_of(user)
    card = default_card(user)
    out = {"customer_id": user.customer_id, "email": user.email,
           "email_verified": bool(user.email_verified_at), "pending_email": user.pending_email,
           "name": None, "phone": None, "address": None, "date_of_birth": None, "card": None}
    if profile is not None:
        out.update(name=profile.name, phone=profile.phone, date_of_birth=profile.date_of_birth,
                   address={"line1": profile.line1 or "",
                            "line2": profile.line2 or "", "city": profile.city or "",
                            "region": profile.region or "",
                            "postal_code": profile.postal_code or "",
                            "country": profile.country or ""})
    if card is not None:
        out["card"] = {"brand": card.brand, "last4": card.last4, "exp_month": int(card.exp_month),
                       "exp_year": int(card.exp_year)}
    return out


@router.get("/me", response=MeOut)
def me(request):
    """The caller's own information; the card only as brand, last 4 and expiry.

    A bearer token's user arrives with its profile (``auth.user_for_token``); a session's user
    is loaded by the middleware and its profile costs one query here.
    """
    return _me(request.user)


PROFILE_API = {"name", "phone", "address", "date_of_birth"}


def _profile_changes(user, body: dict, errors: dict) -> tuple[dict | None, bool]:
    """Return (cleaned profile changes or None, whether a birth date under 13 was refused).

    The patch is laid over the stored profile and checked whole by the profile form, so a
    field left out keeps its value and a null clears it.
    """
    profile = profile_of(user)
    if profile is None:
        raise Problem(400, "No profile", "This account has no subscriber profile.")
    data = {k: getattr(profile, k) or "" for k in accounts.PROFILE_FIELDS}
    data["date_of_birth"] = profile.date_of_birth.isoformat() if profile.date_of_birth else ""
    patch = {k: v for k, v in body.items() if k in PROFILE_API}
    for form_name, value in flatten(patch).items():
        data[form_name] = value
    for api_name, form_name in (("name", "name"), ("phone", "phone"),
                                ("date_of_birth", "date_of_birth")):
        if api_name in patch and patch[api_name] is None:
            data[form_name] = ""
    for key, value in (patch.get("address") or {}).items():
        if value is None:
            data[FORM_TO_API_ADDRESS[key]] = ""
    form = ProfileForm(data=data)
    if form.is_valid():
        return {k: form.cleaned_data.get(k) or "" for k in accounts.PROFILE_FIELDS}, False
    errors.update(form_errors(form, FORM_TO_API))
    return None, any(e.code == "under_13" for e in form.errors.as_data().get("date_of_birth", []))


@router.patch("/me", response=MeOut, openapi_extra=problem_responses({
    400: "A birth date under 13 (`code: under_13`), a wrong `current_password` or a refused "
         "card; nothing was changed.",
    409: "Another account uses this email (`code: email_taken`); nothing was changed.",
    410: "The account is being erased or has been erased (`code: erasure_started`); nothing "
         "was changed.",
}))
def patch_me(request, payload: MePatch):
    """Change any sign-up field; everything is checked first, then written at once or not at all.

    A new email starts re-verification (see ``pending_email``); a new password needs
    ``current_password``; a card goes to the gateway and replaces the default card.
    """
    user = request.user
    body = payload.dict(exclude_unset=True)
    errors: dict[str, list[str]] = {}
    profile_changes, under_13 = None, False
    if PROFILE_API & set(body):
        profile_changes, under_13 = _profile_changes(user, body, errors)
    email = None
    if "email" in body:
        try:
            email = SignupForm.base_fields["email"].clean(body["email"] or "").strip().lower()
        except ValidationError as exc:
            errors["email"] = list(exc.messages)
    password = None
    if "password" in body:
        if not user.check_password(body.get("current_password") or ""):
            errors["current_password"] = ["Send your current password to set a new one."]
        form = NewPasswordFields(user, data={"new_password1": body["password"] or "",
                                             "new_password2": body["password"] or ""})
        if form.is_valid():
            password = form.cleaned_data["new_password1"]
        else:
            errors["password"] = [m for v in form.errors.values() for m in v]
    card_data = body.get("card")
    card_form = None
    if card_data is not None:
        card_form = CardForm(data=flatten({"card": card_data}))
        if not card_form.is_valid():
            errors.update(form_errors(card_form, FORM_TO_API))
    if errors:
        raise Problem(400, "Invalid change", "Some fields are not valid; nothing was changed.",
                      code="under_13" if under_13 else "", errors=errors)
    card = None
    if card_form is not None:
        c = card_form.cleaned_data
        try:
            card = tokenize_card(c["card_number"], c["card_exp_month"], c["card_exp_year"],
                                 c["card_cvc"])
        except CardError as exc:
            raise Problem(400, "Invalid change", "The card was refused; nothing was changed.",
                          errors={FORM_TO_API.get(f"card_{exc.field}", "card"): [str(exc)]})
    session = getattr(request, "session", None)
    by_session = session is not None and session.get("_auth_user_id") == str(user.pk)
    try:
        services.update_account(user, audit.actor_of(user), profile=profile_changes,
                                email=email, card=card, password=password,
                                keep_session=session.session_key if by_session else None)
    except accounts.EmailTaken:
        raise Problem(409, "Email already registered", "Another account uses this email; "
                      "nothing was changed.", code="email_taken",
                      errors={"email": ["This email is already registered."]})
    except accounts.UnderMinimumAge:
        raise Problem(400, "Invalid change", "Nothing was changed.", code="under_13",
                      errors={"date_of_birth": ["The date of birth cannot make you under 13."]})
    if password is not None and by_session:
        update_session_auth_hash(request, user)  # this browser stays signed in
    user.refresh_from_db()  # the services wrote through their own instances
    return _me(user)
