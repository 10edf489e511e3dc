"""The tracking endpoints in campaign mail: the open pixel and the click redirect.

Both take a signed token holding a recipient row's id (and a link's index), never an address,
and set no cookie. A first open or click is recorded only for a recipient who allowed email
measurement (the row says so: nobody else's message carries these URLs, and a forwarded or
guessed token records nothing for them). A click redirects only to a URL the campaign's own
body links to, found by its index, so the endpoint is no open redirect. A bad token answers
404 and records nothing.
"""

import base64

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from hostpact.campaigns import rendering, services
from hostpact.campaigns.models import Recipient

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@never_cache
@require_safe
def open_pixel(request, token: str):
    """Answer the 1x1 GIF; record the recipient's first open if they are measured."""
    recipient_id = rendering.read_open_token(token)
    if recipient_id is None or not Recipient.objects.filter(pk=recipient_id).exists():
        raise Http404("This image is not part of any message we sent.")
    services.record_open(recipient_id)
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_safe
def click(request, token: str):
    """Redirect to the campaign's link of the token; record the first click if measured."""
    found = rendering.read_click_token(token)
    if found is None:
        raise Http404("This link is not part of any message we sent.")
    recipient_id, index = found
    row = Recipient.objects.filter(pk=recipient_id).select_related("campaign").first()
    targets = rendering.links(row.campaign.body) if row is not None else []
    if not 0 <= index < len(targets):
        raise Http404("This link is not part of any message we sent.")
    services.record_click(recipient_id)
    response = HttpResponseRedirect(targets[index])
    response["Referrer-Policy"] = "no-referrer"
    return response
