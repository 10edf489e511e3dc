"""Pages of the disclosures app: the subscriber's list of disclosures and the back office's
co-marketing export. Both are thin: the gate and the listing live in ``services``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, user_passes_test
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from hostpact.core import audit, clock
from hostpact.privacy import roles
from hostpact.privacy.disclosures import services
from hostpact.privacy.disclosures.forms import ComarketingExportForm

PER_PAGE = 25


@login_required
def my_disclosures(request):
    """Who received the subscriber's data (C21–C26), newest first."""
    qs = services.subject_disclosures(request.user.subject_id)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "disclosures/my_disclosures.html",
                  {"page": page, "rows": [services.as_dict(d) for d in page.object_list]})


def may_export(user) -> bool:
    """Marketing and compliance staff (and superusers) run co-marketing exports."""
    return roles.has_role(user, "marketing", "compliance")


@require_http_methods(["GET", "POST"])
@user_passes_test(may_export, login_url="admin:login")
def comarketing_export(request):
    """A CSV of partner-promotion contacts, through the gate; billing columns refuse all."""
    form = ComarketingExportForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            export = services.export_comarketing(
                form.cleaned_data["partner"], form.cleaned_data["columns"],
                actor=audit.actor_of(request.user), reference=form.cleaned_data["reference"])
        except services.DisclosureRefused as exc:
            form.add_error("columns" if exc.code in ("billing", "purpose", "unknown_column")
                           else None, f"Refused, nothing was exported: {exc.reason}")
        else:
            stamp = clock.now().strftime("%Y%m%d-%H%M%S")
            response = HttpResponse(export.csv(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="comarketing-{export.disclosure.recipient.slug}-'
                f'{stamp}.csv"')
            return response
    elif request.method == "POST":
        messages.error(request, "Please correct the fields below.")
    status = 400 if request.method == "POST" else 200
    return render(request, "disclosures/comarketing.html", {"form": form}, status=status)
