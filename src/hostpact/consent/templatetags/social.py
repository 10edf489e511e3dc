"""``{% social_widget "share" %}``: a provider's widget, or the placeholder that asks first.

Not granted: the placeholder (consent/social_placeholder.html) names the provider and what it
collects, and its button posts ``grant=<category>`` to the consent form with this page as
``next``; the HTML holds no address of the provider, so nothing is fetched from it. Granted:
the provider's script or frame (consent/social_widget.html), and its origin is added to this
response's Content-Security-Policy, which otherwise refuses it.
"""

from django import template
from django.template.loader import get_template

from hostpact.consent import csp, social, state
from hostpact.privacy.cookies import CATEGORY_TEXT

register = template.Library()


@register.simple_tag(takes_context=True)
def social_widget(context, key: str) -> str:
    """Render the widget of provider ``key`` as the visitor's consent allows."""
    request = context.get("request")
    provider = social.provider(key)
    values = {"provider": provider, "nonce": getattr(request, "csp_nonce", "")}
    if state.of(request).allows(provider.category):
        csp.allow(request, provider.category, provider.origin)
        return get_template("consent/social_widget.html").render(values)
    return get_template("consent/social_placeholder.html").render({
        **values, "csrf_token": context.get("csrf_token"),
        "category_text": CATEGORY_TEXT[provider.category],
        "next": request.get_full_path() if request is not None else "",
    })
