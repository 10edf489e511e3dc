"""The subscriber's domains in the panel: the list, one domain's page and its actions.

Views stay thin: they validate with the forms and call the domain services, which lock, check
with the registry and audit. Every domain is looked up together with its owner
(``queries.domain_of``), so another subscriber's domain answers 404 for every page and action,
never its data. A refused action renders the domain's page again with the reason and a 4xx.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from hostpact.core import audit, clock
from hostpact.domains import queries
from hostpact.domains.forms import NameserversForm
from hostpact.domains.models import MAX_YEARS, MIN_YEARS, TRANSFER_LOCK_DAYS, Domain
from hostpact.domains.services.changes import (
    new_auth_code,
    set_auto_renew,
    set_nameservers,
    set_privacy,
    set_transfer_lock,
)
from hostpact.domains.services.common import DomainError
from hostpact.privacy.rights.erasure.views import erasure_started
from hostpact.privacy.rights.guard import SubjectErased

PER_PAGE = 25
MAX_QUERY = 253
# What each EPP status (RFC 5731 §2.3) means for the subscriber, in their words.
STATUS_MEANINGS = {
    "ok": "No restriction: the domain can be changed, renewed and transferred.",
    "clientTransferProhibited": "Transfer lock: no other registrar can take the domain over "
                                "until you lift the lock.",
    "clientHold": "On hold: the domain is not published in DNS, so its web site and mail do "
                  "not work, until the reason is resolved.",
    "clientDeleteProhibited": "We will not delete the domain at the registry.",
    "clientRenewProhibited": "The domain cannot be renewed for now.",
    "clientUpdateProhibited": "The domain's name servers and contacts cannot be changed for "
                              "now.",
    "inactive": "No name servers are set, so the domain does not resolve.",
    "pendingCreate": "The registry is still creating the domain.",
    "pendingDelete": "The domain is being deleted at the registry.",
    "pendingRenew": "A renewal is being processed by the registry.",
    "pendingTransfer": "A transfer to another registrar is under way.",
    "pendingUpdate": "A change is being processed by the registry.",
    "serverDeleteProhibited": "The registry does not allow the domain to be deleted.",
    "serverHold": "The registry has taken the domain out of DNS.",
    "serverRenewProhibited": "The registry does not allow the domain to be renewed.",
    "serverTransferProhibited": "The registry does not allow the domain to be transferred.",
    "serverUpdateProhibited": "The registry does not allow the domain to be changed.",
}
HOLD_REASONS = {
    "unverified_registrant": "the registrant's email address is not verified yet",
    "privacy_complaint": "an upheld complaint about the domain",
}


def _actor(request) -> str:
    return audit.actor_of(request.user)


def _own_domain(request, name: str) -> Domain:
    domain = queries.domain_of(request.user, name)
    if domain is None:
        raise Http404("no such domain")
    return domain


def _matching(domains, text: str):
    """Narrow ``domains`` to names containing ``text``. An ASCII text is matched in the database;
    a text with other letters is matched against the U-labels of the subscriber's IDNs (their
    A-labels do not contain the A-label of a part of them), read once for the search."""
    text = text.lower()
    if text.isascii():
        return domains.filter(name__icontains=text)
    idns = domains.filter(name__contains="xn--").values_list("name", flat=True)
    return domains.filter(name__in=[n for n in idns if text in queries.shown(n)])


@login_required
@require_GET
def domain_list(request):
    """The subscriber's domains, searchable by name, a page at a time."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    domains = Domain.objects.filter(user=request.user).only(
        "name", "state", "expires_at", "auto_renew", "privacy", "statuses").order_by("name")
    if query:
        domains = _matching(domains, query)
    page = Paginator(domains, PER_PAGE).get_page(request.GET.get("page"))
    for domain in page.object_list:
        domain.shown = queries.shown(domain.name)
    return render(request, "domains/list.html", {"page": page, "query": query})


def _detail(request, domain: Domain, *, form=None, status=200):
    roles = list(domain.roles.select_related("contact"))
    order = {"registrant": 0, "admin": 1, "tech": 2, "billing": 3}
    roles.sort(key=lambda r: order.get(r.role, 9))
    return render(request, "domains/detail.html", {
        "domain": domain, "shown": queries.shown(domain.name),
        "statuses": [(s, STATUS_MEANINGS.get(s, "")) for s in (domain.statuses or ["ok"])],
        "hold_reasons": [HOLD_REASONS.get(r, r) for r in domain.hold_reasons],
        "roles": roles, "lock_days": TRANSFER_LOCK_DAYS,
        "lock_period": clock.now() < domain.transfer_lock_until,
        "form": form or NameserversForm(initial=NameserversForm.initial_for(
            domain.nameservers.all())),
        "years": range(MIN_YEARS, MAX_YEARS + 1),
    }, status=status)


@login_required
@require_GET
def domain_detail(request, name: str):
    """One domain: dates, statuses, contacts, name servers and what can be changed."""
    return _detail(request, _own_domain(request, name))


def _refused(request, domain: Domain, exc: DomainError, *, form=None):
    """Render the domain's page again with the refusal's reason: 409 when the domain's state
    forbids the action, 400 for bad input."""
    messages.error(request, str(exc))
    status = 409 if exc.code in {"transfer_lock_period", "prohibited", "not_sponsor"} else 400
    domain.refresh_from_db()
    return _detail(request, domain, form=form, status=status)


@login_required
@require_POST
def nameservers(request, name: str):
    """Replace the domain's name servers (2–13; glue only for hosts inside the domain)."""
    domain = _own_domain(request, name)
    form = NameserversForm(data=request.POST)
    if not form.is_valid():
        return _detail(request, domain, form=form, status=400)
    items, positions = form.nameservers()
    try:
        set_nameservers(domain, items, actor=_actor(request))
    except SubjectErased:
        return erasure_started(request)
    except DomainError as exc:
        where = exc.field.rsplit(".", 1)
        if len(where) == 2 and where[1].isdigit() and int(where[1]) < len(positions):
            form.add_error(f"host_{positions[int(where[1])]}", str(exc))
        else:
            form.add_error(None, str(exc))
        return _refused(request, domain, exc, form=form)
    messages.success(request, f"The name servers of {queries.shown(domain.name)} are saved.")
    return redirect("domains:detail", name=domain.name)


def _switch(request, name: str, action, said_on: str, said_off: str):
    """Run a service that turns a setting on or off (``on`` = "1" or "0" in the form)."""
    domain = _own_domain(request, name)
    choice = request.POST.get("on")
    if choice not in {"1", "0"}:
        return _refused(request, domain, DomainError("Choose on or off.", "on"))
    try:
        action(domain, choice == "1", actor=_actor(request))
    except SubjectErased:
        return erasure_started(request)
    except DomainError as exc:
        return _refused(request, domain, exc)
    messages.success(request, (said_on if choice == "1" else said_off).format(
        name=queries.shown(domain.name)))
    return redirect("domains:detail", name=domain.name)


@login_required
@require_POST
def transfer_lock(request, name: str):
    """Set or lift the transfer lock (not liftable in the 60 days after registration)."""
    return _switch(request, name, set_transfer_lock,
                   "{name} is locked: no other registrar can take it over.",
                   "The transfer lock of {name} is lifted: it can now be transferred with its "
                   "auth code.")


@login_required
@require_POST
def privacy(request, name: str):
    """Switch the domain privacy service on or off."""
    return _switch(request, name, set_privacy,
                   "Domain privacy is on for {name}: the privacy service's details are shown "
                   "instead of your contacts'.",
                   "Domain privacy is off for {name}.")


@login_required
@require_POST
def auto_renew(request, name: str):
    """Switch automatic renewal on or off."""
    return _switch(request, name, set_auto_renew,
                   "{name} will renew automatically before it expires.",
                   "{name} will not renew automatically: renew it yourself before it expires.")


@login_required
@require_POST
def auth_code(request, name: str):
    """Make a new transfer auth code and show it this once (only its hash is kept)."""
    domain = _own_domain(request, name)
    try:
        code = new_auth_code(domain, actor=_actor(request))
    except SubjectErased:
        return erasure_started(request)
    except DomainError as exc:
        return _refused(request, domain, exc)
    response = render(request, "domains/auth_code.html", {
        "domain": domain, "shown": queries.shown(domain.name), "code": code})
    response["Cache-Control"] = "no-store"
    return response
