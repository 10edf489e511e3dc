"""The public pages of a reseller's host that are the resellers app's own: its logo, and the
page a shop that may not sell answers instead of taking an order."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from hostpact.resellers.middleware import NOT_SELLING
from hostpact.resellers.models import Reseller


@require_GET
@cache_control(public=True, max_age=3600)
def logo(request, slug: str):
    """Answer a reseller's logo with its content type (any host may show it: the brand is
    public)."""
    row = (Reseller.objects.filter(slug=slug).exclude(logo_type="")
           .values_list("logo", "logo_type").first())
    if row is None or not row[0]:
        raise Http404("No such logo.")
    response = HttpResponse(bytes(row[0]), content_type=row[1])
    response["X-Content-Type-Options"] = "nosniff"
    # An SVG opened on its own is a document: it may draw, never run a script.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


def not_selling(request, site):
    """Answer 403: the reseller whose host this is takes no orders now, and why."""
    return render(request, "resellers/public/not_selling.html",
                  {"notice": NOT_SELLING, "reason": site.refusal}, status=403)
