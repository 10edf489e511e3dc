"""A business applies to become a reseller: signed in with an account of ours, it fills in the
form; the reseller is created pending, the applicant its owner, and staff approve it in the back
office (or refuse it by leaving it pending)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from hostpact.core import audit
from hostpact.core.branding import brand_of
from hostpact.resellers.apply_forms import ApplicationForm
from hostpact.resellers.models import Membership
from hostpact.resellers.queries import memberships_of
from hostpact.resellers.services.members import add_member
from hostpact.resellers.services.resellers import ResellerError, create_reseller


@login_required
def apply(request):
    """Show the application form; on a valid POST create the pending reseller."""
    if brand_of(request).white_label:
        raise Http404("resellers apply on the platform's own site")
    pending = [m for m in memberships_of(request.user) if m.reseller.state == "pending"]
    form = ApplicationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("agree")
            actor = audit.actor_of(request.user)
            try:
                reseller = create_reseller(actor=actor, approve=False, **data)
            except ResellerError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                add_member(reseller, request.user, Membership.Role.OWNER, actor=actor)
                return render(request, "resellers/apply/received.html",
                              {"reseller": reseller}, status=201)
    return render(request, "resellers/apply/form.html", {"form": form, "pending": pending},
                  status=status)
