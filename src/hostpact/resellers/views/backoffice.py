"""The back office of reseller removal requests (C39), for compliance staff and superusers:
every reseller's requests with the business days left and the reminders sent, overdue ones
first; a request's page with its report and the button that carries it out; a widget on the
back office's home page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from hostpact.core import clock
from hostpact.core.dashboard import register_widget
from hostpact.privacy import roles
from hostpact.resellers.models import RemovalRequest, Reseller
from hostpact.resellers.services import removals

ROLES = (removals.STAFF_ROLE,)
PER_PAGE = 50


def may_handle(user) -> bool:
    """Return True for staff who may see and carry out removal requests."""
    return roles.has_role(user, *ROLES)


staff_only = user_passes_test(may_handle, login_url="admin:login")


class FilterForm(forms.Form):
    state = forms.ChoiceField(label="Show", required=False, initial="open", choices=[
        ("open", "Open"), ("overdue", "Overdue"), ("done", "Done")])
    reseller = forms.ModelChoiceField(label="Reseller", required=False,
                                      queryset=Reseller.objects.all(),
                                      empty_label="Every reseller")


class CompleteForm(forms.Form):
    confirm = forms.BooleanField(
        label="I confirm: erase this customer's data now, keeping only what the law requires",
        error_messages={"required": "Tick the box to confirm the removal."})


def _row(rr: RemovalRequest, today) -> dict:
    return {"rr": rr, "left": removals.business_days_left(rr, today),
            "elapsed": removals.business_days_elapsed(rr, today),
            "overdue": removals.is_overdue(rr, today), "hold": removals.hold_reason(rr)}


@require_GET
@staff_only
def removal_list(request):
    """Every reseller's removal requests, overdue first, then by due date; filters by state
    and reseller."""
    form = FilterForm(request.GET or None)
    state, reseller = "open", None
    if form.is_valid():
        state = form.cleaned_data["state"] or "open"
        reseller = form.cleaned_data["reseller"]
    today = clock.today()
    qs = RemovalRequest.objects.select_related("reseller")
    if reseller is not None:
        qs = qs.filter(reseller=reseller)
    if state == "done":
        qs = qs.filter(state=RemovalRequest.State.DONE).order_by("-completed_at", "-pk")
        rows = [_row(rr, today) for rr in qs]
    else:
        qs = qs.filter(state=RemovalRequest.State.OPEN)
        if state == "overdue":
            qs = qs.filter(pk__in=removals.overdue_ids(today))
        rows = sorted((_row(rr, today) for rr in qs),
                      key=lambda r: (not r["overdue"], r["rr"].due_on, r["rr"].pk))
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    kept = urlencode({k: v for k, v in (("state", state),
                                        ("reseller", reseller.pk if reseller else ""))
                      if v})
    return render(request, "resellers/backoffice/removals.html", {
        "form": form if form.is_bound else FilterForm(), "page": page, "state": state,
        "query": kept, "overdue_count": len(removals.overdue_ids(today))},
        status=400 if form.is_bound and form.errors else 200)


@require_http_methods(["GET", "POST"])
@staff_only
def removal_detail(request, pk: int):
    """One removal request: the customer, the reseller, the dates, the report, and the
    button that carries it out."""
    rr = get_object_or_404(RemovalRequest.objects.select_related("reseller"), pk=pk)
    form = CompleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and rr.state == RemovalRequest.State.OPEN and form.is_valid():
        rr = removals.complete_removal(rr, actor=request.user)
        if rr.state == RemovalRequest.State.DONE:
            messages.success(request, "The customer's data is removed and the report was "
                             "mailed to the reseller.")
        else:
            messages.warning(request, "The erasure is paused by a legal hold: "
                             f"{removals.hold_reason(rr)} The request stays open and "
                             "completes when the hold ends.")
        return redirect("resellers:backoffice_removal", rr.pk)
    report = {k: v for k, v in rr.report.items() if k != "found"}
    return render(request, "resellers/backoffice/removal.html", {
        **_row(rr, clock.today()), "form": form, "report": report,
        "list_url": reverse("resellers:backoffice_removals")},
        status=400 if form.errors else 200)


def widget_context(request) -> dict:
    """Return the counts of open and overdue removal requests and the next due date."""
    open_ = RemovalRequest.objects.filter(state=RemovalRequest.State.OPEN)
    return {"open": open_.count(), "overdue": len(removals.overdue_ids()),
            "next_due": open_.aggregate(d=models.Min("due_on"))["d"]}


def register() -> None:
    """Register the back office home page's widget (``ResellersConfig.ready``)."""
    register_widget("resellers.removals", title="Reseller removal requests",
                    template="resellers/backoffice/widget.html", context=widget_context,
                    order=45, roles=ROLES)
