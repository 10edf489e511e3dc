"""The form on a reseller's storefront where its customer stops the reseller's contact (C40).

Policy 10.2: a reseller's customer who no longer wants the reseller's contact tells the
reseller. This page is the reseller's (served on its host, under its brand): a signed-in
customer confirms with one button; a visitor gives an email address and gets the same answer
whether or not it belongs to a customer, so the form tells nobody who is one. On our own host
the page says it is for a reseller's customers.
"""

from django import forms
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from hostpact.accounts.models import User
from hostpact.core import audit, crypto, ratelimit
from hostpact.core.http import client_ip
from hostpact.resellers.models import Reseller
from hostpact.resellers.services import choice

VISITOR_LIMIT = 10  # form posts per address and hour: it mails nobody, but it looks accounts up


class EmailForm(forms.Form):
    email = forms.EmailField(label="The email address of your account", max_length=254)


def _customer(realm_id, email: str) -> User | None:
    return User.objects.filter(realm_id=realm_id, is_active=True, is_staff=False,
                               email_index=crypto.blind_index("email", email)).first()


@require_http_methods(["GET", "POST"])
def stop_contact(request):
    """Record that the customer wants no more of the reseller's contact."""
    site = getattr(request, "reseller_site", None)
    if site is None:
        return render(request, "resellers/choice/stop_contact_ours.html")
    reseller = Reseller.objects.get(pk=site.reseller_id)
    user = request.user
    signed_in = user.is_authenticated and user.realm_id == site.realm_id
    form = None if signed_in else EmailForm(request.POST or None)
    context = {"reseller": reseller, "form": form, "signed_in": signed_in}
    if request.method == "POST":
        if signed_in:
            choice.record_opt_out(reseller, user, channel="storefront",
                                  actor=audit.actor_of(user))
            return render(request, "resellers/choice/stop_contact_done.html", context)
        if ratelimit.hit("stop-contact", client_ip(request), 3600) > VISITOR_LIMIT:
            return render(request, "resellers/choice/stop_contact.html",
                          {**context, "limited": True}, status=429)
        if form.is_valid():
            found = _customer(site.realm_id, form.cleaned_data["email"])
            if found is not None:
                choice.record_opt_out(reseller, found, channel="storefront", actor="anonymous")
            return render(request, "resellers/choice/stop_contact_done.html", context)
        return render(request, "resellers/choice/stop_contact.html", context, status=400)
    return render(request, "resellers/choice/stop_contact.html", context)
