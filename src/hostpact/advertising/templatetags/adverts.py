"""``{% ad_slot "dashboard" %}``: the ad of this request, or nothing.

The slot renders an ``<aside>`` with our image URL and our click redirect; no targeting data,
no advertiser URL, no identifier.
"""

from django import template
from django.template.loader import render_to_string

from hostpact.advertising import selection

register = template.Library()


@register.simple_tag(takes_context=True)
def ad_slot(context, placement: str):
    """Render the ad chosen for this request's ``placement`` ("" when there is none)."""
    request = context.get("request")
    shown = selection.ad_for(request, placement) if request is not None else None
    if shown is None:
        return ""
    return render_to_string("advertising/slot.html", {"ad": shown, "placement": placement})
