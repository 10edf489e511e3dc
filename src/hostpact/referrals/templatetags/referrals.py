"""``{% referral_field %}``: the same-visit rule's hidden fields in a sign-up or checkout form;
``{% referral_query %}``: the same, as the query of a link to the next page of the visit.

Without advertising consent no cookie carries a referral, so the code (with its banner and
campaign) rides along in the forms of the visit it came with, from ``?ref=`` or from the
form's own previous POST. Only a code of the right shape and valid campaign tokens are
written back; anything else is left out.
"""

from django import template
from django.utils.html import format_html_join
from django.utils.http import urlencode

from hostpact.referrals.banners import banner
from hostpact.referrals.links import FIELD, campaign_of, clean_code

register = template.Library()


def carried_fields(request) -> list[tuple[str, str]]:
    """Return the (name, value) pairs of the hidden fields ``request`` carries on."""
    if request is None:
        return []
    source = request.POST if request.method == "POST" else request.GET
    code = clean_code(source.get(FIELD))
    if code is None:
        return []
    fields = [(FIELD, code)]
    item = banner(source.get("ref_banner") or source.get("b"))
    if item is not None:
        fields.append(("ref_banner", item.slug))
    fields.extend(campaign_of(source).items())
    return fields


@register.simple_tag(takes_context=True)
def referral_field(context):
    """Render the hidden fields of the referral code this visit carries (nothing when none)."""
    fields = carried_fields(context.get("request"))
    return format_html_join("", '<input type="hidden" name="{}" value="{}">', fields)


@register.simple_tag(takes_context=True)
def referral_query(context):
    """Return "?ref=…" (with banner and campaign) for a link to the visit's next page, or ""."""
    fields = carried_fields(context.get("request"))
    return f"?{urlencode(fields)}" if fields else ""
