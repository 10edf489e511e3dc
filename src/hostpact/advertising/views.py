"""The image and the click redirect of an ad, both on our own domain.

The image is served from our URL so that the advertiser's server sees no page view. The click
goes through our redirect, counted for the day the ad was shown, to the advertiser's URL exactly
as given, with no identifier added and no referrer sent. A forged or unknown token answers 404.
"""

import datetime

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from hostpact.advertising import selection, services
from hostpact.advertising.models import Creative
from hostpact.core import clock

COUNT_DAYS = 7  # a click on an ad shown longer ago still goes through, uncounted


@require_safe
def image(request, creative_id: int, ext: str):
    """Answer a creative's bytes under the type read at upload, cacheable for a day."""
    found = (Creative.objects.filter(pk=creative_id, extension=ext)
             .only("image", "content_type", "sha256").first())
    if found is None:
        raise Http404("No such image.")
    response = HttpResponse(bytes(found.image), content_type=found.content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["ETag"] = f'"{found.sha256}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@never_cache
@require_safe
def click(request, token: str):
    """Count the click and redirect to the advertiser's URL as given."""
    read = selection.read_token(token)
    if read is None:
        raise Http404("This link is not one of our ads.")
    creative_id, ordinal = read
    found = Creative.objects.filter(pk=creative_id).only("campaign_id", "target_url").first()
    if found is None:
        raise Http404("This link is not one of our ads.")
    day = datetime.date.fromordinal(min(ordinal, datetime.date.max.toordinal()))
    if 0 <= (clock.today() - day).days <= COUNT_DAYS:
        services.record_click(found.campaign_id, creative_id, day)
    response = HttpResponseRedirect(found.target_url)
    response["Referrer-Policy"] = "no-referrer"
    return response
