"""Leaving with domains: before a subscriber's erasure, each domain we still sponsor is
transferred out (an auth code shown once) or deleted, by the subscriber's own choice.

Views stay thin: they call the lifecycle services. Every domain is looked up together with its
owner, so another subscriber's domain answers 404, never its data.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hostpact.core import audit
from hostpact.domains.queries import domain_of, shown
from hostpact.domains.services.common import DomainError
from hostpact.domains.services.lifecycle import (
    KEEP,
    SPONSORED,
    delete_domain,
    release_for_transfer,
    sponsored,
)
from hostpact.privacy.rights.erasure.views import erasure_started
from hostpact.privacy.rights.guard import SubjectErased

KEEP_YEARS = KEEP.years


def _own_sponsored(request, name: str):
    domain = domain_of(request.user, name)
    if domain is None or domain.state not in SPONSORED:
        raise Http404("no such domain")
    return domain


def _page(request, *, error: str = "", status: int = 200):
    domains = [{"domain": d, "shown": shown(d.name)}
               for d in sponsored(request.user).order_by("name")]
    return render(request, "domains/leave.html",
                  {"domains": domains, "error": error, "keep_years": KEEP_YEARS},
                  status=status)


@login_required
@require_GET
def leave(request):
    """List each domain still sponsored with its two choices: transfer out, or delete."""
    return _page(request)


@login_required
@require_POST
def leave_transfer(request, name: str):
    """Release the domain for transfer and show its new auth code, this once."""
    domain = _own_sponsored(request, name)
    try:
        code = release_for_transfer(domain, actor=audit.actor_of(request.user))
    except SubjectErased:
        return erasure_started(request)
    except DomainError as exc:
        return _page(request, error=str(exc), status=400)
    response = render(request, "domains/leave_code.html",
                      {"shown": shown(domain.name), "code": code, "keep_years": KEEP_YEARS})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def leave_delete(request, name: str):
    """Ask to confirm the deletion of the domain, then delete it at the registry."""
    domain = _own_sponsored(request, name)
    if request.method == "GET":
        return render(request, "domains/leave_delete.html",
                      {"domain": domain, "shown": shown(domain.name), "keep_years": KEEP_YEARS})
    try:
        delete_domain(domain, actor=audit.actor_of(request.user))
    except SubjectErased:
        return erasure_started(request)
    except DomainError as exc:
        return _page(request, error=str(exc), status=400)
    messages.success(request, f"{shown(domain.name)} was deleted at the registry.")
    return redirect("domains:leave")
