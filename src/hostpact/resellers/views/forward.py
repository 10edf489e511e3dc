"""Where a reseller's customer asks us to forward a rights request to the reseller (C38).

The panel's export and erasure pages (and the API) send a reseller's customer to the reseller's
data controller; this page, and ``POST /api/v1/me/controller-requests``, forward the request if
the customer wishes: the kind, an optional message, and a consent they tick themselves. Without
the consent nothing is recorded and nothing is sent.
"""

from typing import Literal

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from ninja import Router, Schema, Status
from pydantic import Field

from hostpact.accounts.schemas import Strict
from hostpact.core import audit
from hostpact.core.problems import Problem, problem_responses
from hostpact.resellers.models import ForwardedRequest
from hostpact.resellers.queries import reseller_of_realm
from hostpact.resellers.services import forwarding

CONSENT_MISSING = "Tick the box to let us forward your request; without it nothing is sent."


class ForwardForm(forms.Form):
    kind = forms.ChoiceField(label="What do you ask for?", choices=ForwardedRequest.Kind.choices,
                             widget=forms.RadioSelect)
    message = forms.CharField(label="Your message (optional)", required=False,
                              max_length=forwarding.MESSAGE_MAX, widget=forms.Textarea(
                                  attrs={"rows": 5}),
                              help_text="Say what you want seen, corrected or deleted.")
    consent = forms.BooleanField(required=False)

    def __init__(self, *args, reseller, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = forwarding.consent_text(reseller)

    def clean_consent(self):
        if not self.cleaned_data.get("consent"):
            raise forms.ValidationError(CONSENT_MISSING)
        return True


@login_required
@require_http_methods(["GET", "POST"])
def forward(request):
    """Offer to forward a request to the reseller's controller, and forward it once the
    customer consents. For the platform's own customers the page says it is not for them."""
    user = request.user
    reseller = reseller_of_realm(user.realm_id)
    if reseller is None:
        return render(request, "resellers/choice/forward_ours.html")
    initial = {"kind": request.GET.get("kind")} if request.GET.get(
        "kind") in ForwardedRequest.Kind.values else {}
    form = ForwardForm(request.POST or None, reseller=reseller, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fr = forwarding.forward_request(
                reseller, user, kind=data["kind"], message=data["message"], channel="panel",
                consent_text=forwarding.consent_text(reseller), actor=audit.actor_of(user))
        except forwarding.ForwardingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            return render(request, "resellers/choice/forwarded.html",
                          {"reseller": reseller, "forwarded": fr})
    return render(request, "resellers/choice/forward.html",
                  {"reseller": reseller, "form": form}, status=400 if form.errors else 200)


# --- the API ---------------------------------------------------------------------------------

api_router = Router(tags=["rights"])

NOT_A_RESELLER_CUSTOMER = Problem(
    409, "Not a reseller's customer", "We control your data ourselves: use GET /api/v1/me/export "
    "or POST /api/v1/me/erasure.", code="not_a_reseller_customer")


class ControllerRequestIn(Strict):
    kind: Literal["access", "correction", "deletion"] = Field(
        description="What the caller asks for.")
    message: str = Field("", max_length=forwarding.MESSAGE_MAX,
                         description="What you want seen, corrected or deleted.")
    consent: bool | None = Field(None, description="Must be true: you consent to our "
                                 "forwarding the request, your customer ID and the message "
                                 "to your reseller.")


class ControllerRequestOut(Schema):
    id: int
    kind: str
    state: str
    controller: str
    consent_text: str


@api_router.post("/me/controller-requests", response={201: ControllerRequestOut},
                 openapi_extra=problem_responses({409: NOT_A_RESELLER_CUSTOMER.detail}))
def controller_request(request, payload: ControllerRequestIn):
    """Forward the caller's request for access, correction or deletion to their reseller's
    data controller, with their consent (``consent: true``, else 400 naming it)."""
    user = request.auth
    reseller = reseller_of_realm(user.realm_id)
    if reseller is None:
        raise NOT_A_RESELLER_CUSTOMER
    if payload.consent is not True:
        raise Problem(400, "Consent needed", CONSENT_MISSING, errors={"consent": [
            "Must be true: we forward nothing without your consent."]})
    text = forwarding.consent_text(reseller)
    try:
        fr = forwarding.forward_request(reseller, user, kind=payload.kind,
                                        message=payload.message, channel="api",
                                        consent_text=text, actor=audit.actor_of(user))
    except forwarding.ForwardingError as exc:
        raise Problem(400, "Request refused", str(exc),
                      errors={exc.field or "kind": [str(exc)]}) from None
    return Status(201, {"id": fr.pk, "kind": fr.kind, "state": fr.state,
                        "controller": reseller.name, "consent_text": text})
