"""Erasure pages: the panel's explanation and confirmation, the public outcome page, and the
page a write refused during an erasure answers.

The outcome page lives at the status token's address and needs no login: the subscriber's
sessions end during the erasure, and the page must still say what was kept and until when.
"""

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from hostpact.core import audit
from hostpact.privacy import registry
from hostpact.privacy import retention as retention_
from hostpact.privacy.rights import forms, guard
from hostpact.privacy.rights.erasure import queries, services
from hostpact.privacy.rights.export.views import controller_page, reseller_controller


def _kept_by_law() -> list[dict]:
    """What erasure keeps, from the data map: model, basis, for how long."""
    out: dict[str, dict] = {}
    for entry in registry.entries():
        for decl in entry.personal_fields().values():
            if decl.erasure != registry.Erasure.KEEP:
                continue
            name = str(entry.model._meta.verbose_name_plural).capitalize()
            out.setdefault(name, {"item": name, "basis": decl.legal_basis,
                                  "period": retention_.get(decl.retention).period})
    return list(out.values())


@login_required
@require_http_methods(["GET", "POST"])
def panel_erase(request):
    """Explain erasure, and start it once the subscriber confirms with ID and password.

    While something must first be settled (a registered precondition's blockers), the page
    lists each with a link to where it is settled, and a confirmation is refused (409). A
    reseller's customer is shown the reseller's controller instead, and nothing is erased."""
    user = request.user
    if user.is_staff:
        return render(request, "rights/erase_staff.html", status=403)
    controller = reseller_controller(user)
    if controller is not None:  # the reseller decides; we erase only at its direction (C38)
        return controller_page(request, controller, "deletion",
                               status=403 if request.method == "POST" else 200)
    form = forms.ConfirmErasureForm(request.POST or None, user=user)
    blockers = registry.erasure_blockers(user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            job = services.request_erasure(user, actor=audit.actor_of(user))
        except registry.ErasureBlocked as exc:
            blockers, status = exc.blockers, 409
        else:
            logout(request)
            return redirect("rights:erasure-status", token=job.status_token)
    context = {"form": form, "kept": _kept_by_law(),
               "blockers": queries.blocker_links(blockers)}
    return render(request, "rights/erase.html", context,
                  status=400 if form.errors else status)


def erasure_started(request):
    """The page a write refused because the account's erasure began answers (410)."""
    return render(request, "rights/erasure_started.html", {"detail": guard.DETAIL}, status=410)


def erasure_status(request, token: str):
    """The outcome page of an erasure request (no login: the token is the credential)."""
    job = queries.job_for_token(token)
    if job is None:
        raise Http404("no such erasure request")
    response = render(request, "rights/erasure_status.html", {"status": queries.status_of(job)})
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
