"""The referral link ``/r/<code>``, the banner images, and the pages of the programme: a
subscriber's codes with their embed code and counts, and an affiliate's report.

``/r/<code>`` answers every visitor the same redirect home; an unknown or malformed code is
not recorded and sets nothing. With advertising consent the click is remembered by the
``hp_ref`` cookie; without it the code (and the campaign) ride along in the redirect's query,
for the forms of that visit only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from hostpact.core import audit
from hostpact.referrals import links, queries, services
from hostpact.referrals.banners import BANNERS, banner, embed_code, svg
from hostpact.referrals.models import Affiliate, ReferralCode


@require_GET
def click(request, code: str):
    """Record the click on ``code`` and send the visitor to the storefront's home page."""
    home = reverse("storefront:home")
    found = services.active_code(code)
    if found is None:
        return redirect(home)
    row = services.record_click(found, request.GET)
    if services.advertising_allowed(request):
        response = redirect(home)
        response.set_cookie(links.COOKIE, links.cookie_value(found.code, row.pk),
                            max_age=links.COOKIE_DAYS * 86400, secure=request.is_secure(),
                            httponly=True, samesite="Lax")
        return response
    carried = {links.FIELD: found.code}
    if row.banner:
        carried["b"] = row.banner
    carried.update(links.campaign_of(request.GET))
    return redirect(f"{home}?{urlencode(carried)}")


@require_GET
@cache_control(public=True, max_age=86400)
def banner_image(request, slug: str):
    """Serve the SVG image of the banner ``slug`` (the same for everyone)."""
    item = banner(slug)
    if item is None:
        raise Http404
    return HttpResponse(svg(item), content_type="image/svg+xml")


@login_required
@require_http_methods(["GET", "POST"])
def mine(request):
    """The subscriber's codes, the embed code of each banner, and counts per banner."""
    user = request.user
    if request.method == "POST":
        try:
            services.create_code(user, label=request.POST.get("label", ""),
                                 actor=audit.actor_of(user))
        except services.ReferralError as exc:
            messages.error(request, str(exc))
            return _mine_page(request, status=400)
        messages.success(request, "Your new code is ready: paste its banners into your site.")
        return redirect("referrals:mine")
    return _mine_page(request)


def _mine_page(request, status=200):
    codes = [{
        "code": code,
        "counts": queries.banner_counts(code),
        "embeds": [(item, embed_code(request, code.code, item)) for item in BANNERS.values()],
        "link": request.build_absolute_uri(reverse("referrals:click", args=[code.code])),
    } for code in ReferralCode.objects.filter(user=request.user, active=True)]
    return render(request, "referrals/mine.html", {
        "codes": codes, "can_add": len(codes) < services.MAX_CODES}, status=status)


@login_required
@require_GET
def affiliate(request):
    """The report of the affiliate the logged-in user is the contact of: aggregates only."""
    found = Affiliate.objects.filter(contact_user=request.user, active=True).first()
    if found is None:
        raise Http404
    return render(request, "referrals/affiliate.html", {
        "affiliate": found, "codes": list(found.codes.filter(active=True)),
        "monthly": queries.monthly_report(found), "campaigns": queries.campaign_report(found),
        "balance": services.affiliate_balance(found),
    })
