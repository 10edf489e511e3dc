"""Support's way to route a reseller's customer's request to the reseller's controller (C38).

A reseller's customer who writes to support or phones asking for access, correction or deletion
of the data the reseller controls is sent to the reseller's data controller; if they consent,
staff forward the request to the reseller's queue (``channel`` support or phone). The ticket
page shows "Send to the reseller's controller" (``support.actions``); a data-subject request of
such a customer cannot be carried out by staff (``subject_requests`` refuses, naming the
controller and this page) but is forwarded from here.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from hostpact.accounts.models import User
from hostpact.core import audit
from hostpact.core.customer_ids import pk_from_customer_id
from hostpact.privacy import roles
from hostpact.privacy.subject_requests.models import DataSubjectRequest
from hostpact.privacy.subject_requests.services import states
from hostpact.resellers.models import ForwardedRequest
from hostpact.resellers.queries import reseller_of_realm
from hostpact.resellers.services import forwarding
from hostpact.support.actions import register_ticket_action
from hostpact.support.models import Ticket

LABEL = "Send to the reseller's controller"
ROLES = ("support", "compliance")
DSR_KIND = {"access": "access", "correction": "correction", "erasure": "deletion"}


def may_forward(user) -> bool:
    """Return True for staff who may route requests: support, compliance, superusers."""
    return roles.has_role(user, *ROLES)


staff_only = user_passes_test(may_forward, login_url="admin:login")


class SupportForwardForm(forms.Form):
    customer = forms.CharField(label="Customer ID", max_length=16,
                               help_text="The reseller's customer's ID (HP-000123), as they "
                                         "gave it.")
    kind = forms.ChoiceField(label="The customer asks for", choices=ForwardedRequest.Kind.choices)
    channel = forms.ChoiceField(label="They asked by", choices=[("support", "Email to support"),
                                                                ("phone", "Phone")])
    message = forms.CharField(label="Their request, in their words", required=False,
                              max_length=forwarding.MESSAGE_MAX,
                              widget=forms.Textarea(attrs={"rows": 5}))
    consent = forms.BooleanField(
        required=False, label="The customer consented to our forwarding their request, their "
                              "customer ID and this message to their reseller")

    def clean_customer(self):
        pk = pk_from_customer_id(self.cleaned_data["customer"].strip())
        user = User.objects.filter(pk=pk, is_staff=False).first() if pk else None
        reseller = reseller_of_realm(user.realm_id) if user is not None else None
        if reseller is None:
            raise forms.ValidationError("No reseller's customer has this ID: if the person is "
                                        "our own customer, we control the data; handle the "
                                        "request as usual.")
        self.reseller = reseller
        return user

    def clean_consent(self):
        if not self.cleaned_data.get("consent"):
            raise forms.ValidationError("Forward only with the customer's consent: ask them "
                                        "first, then tick this box.")
        return True


def _page(request, customer, back: str, initial: dict):
    """Show the controller of the reseller's customer and forward the request once staff
    record the customer's consent."""
    reseller = reseller_of_realm(customer.realm_id) if customer is not None else None
    if reseller is not None:
        initial = {**initial, "customer": customer.customer_id}
    form = SupportForwardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, reseller = form.cleaned_data, form.reseller
        try:
            fr = forwarding.forward_request(
                reseller, data["customer"], kind=data["kind"], message=data["message"],
                channel=data["channel"], consent_text=forwarding.consent_text(reseller),
                actor=audit.actor_of(request.user))
        except forwarding.ForwardingError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, f"Forwarded to {reseller.name} (request {fr.pk}).")
            return redirect(back)
    reseller = getattr(form, "reseller", reseller)
    return render(request, "resellers/choice/support_forward.html",
                  {"reseller": reseller, "form": form, "back": back},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@staff_only
def forward_ticket(request, pk: int):
    """Route a support ticket's rights request to the reseller's controller."""
    ticket = get_object_or_404(Ticket.objects.select_related("user"), pk=pk)
    return _page(request, ticket.user, reverse("admin:support_ticket_change", args=[ticket.pk]),
                 {"channel": "support"})


@require_http_methods(["GET", "POST"])
@staff_only
def forward_subject_request(request, pk: int):
    """Route a data-subject request of a reseller's customer to the reseller's controller."""
    dsr = get_object_or_404(DataSubjectRequest.objects.select_related("user"), pk=pk)
    channel = "phone" if dsr.channel == DataSubjectRequest.Channel.PHONE else "support"
    return _page(request, dsr.user, reverse("admin:requests_dsr_process", args=[dsr.pk]),
                 {"channel": channel, "kind": DSR_KIND.get(dsr.kind)})


def register() -> None:
    """Show the action on support and compliance tickets, and name the page to data-subject
    requests refused for a reseller's customer."""
    register_ticket_action(
        LABEL, lambda ticket: reverse("resellers:support_forward_ticket", args=[ticket.pk]),
        queues=("support", "compliance"))
    states.register_forward_page(
        lambda dsr: reverse("resellers:support_forward_request", args=[dsr.pk]))
