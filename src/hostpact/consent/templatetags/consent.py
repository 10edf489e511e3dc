"""``{% consented %}``, ``{% deferred %}``, ``{% csp_nonce %}``, ``{% consent_banner %}``: the page
obeys the choice.

``{% consented "advertising" %}…{% endconsented %}`` leaves its body out of the HTML unless the
category is granted. ``{% deferred "performance" %}<script>…</script>{% enddeferred %}`` keeps
the scripts but, while the category is not granted, as ``type="text/plain"
data-category="performance"``, which the browser neither fetches nor runs; the banner script
activates them once granted. Both add the response's CSP nonce to the scripts they hold.
"""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from hostpact.consent import banner
from hostpact.consent.state import NOTHING

register = template.Library()
_SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
_TYPE = re.compile(r"""\s+type\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)


def _consent(context):
    request = context.get("request")
    return getattr(request, "consent", None) or context.get("consent") or NOTHING


def _nonce(context) -> str:
    return getattr(context.get("request"), "csp_nonce", "")


def _block(parser, token, end: str):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one category, e.g. "
                                           f'{{% {bits[0]} "advertising" %}}')
    nodelist = parser.parse((end,))
    parser.delete_first_token()
    return parser.compile_filter(bits[1]), nodelist


class ConsentedNode(template.Node):
    def __init__(self, category, nodelist):
        self.category, self.nodelist = category, nodelist

    def render(self, context):
        if _consent(context).allows(self.category.resolve(context)):
            return self.nodelist.render(context)
        return ""


class DeferredNode(ConsentedNode):
    def render(self, context):
        category = self.category.resolve(context)
        granted = _consent(context).allows(category)
        nonce = escape(_nonce(context))

        def rewrite(match):
            attrs = match.group(1)
            if not granted:
                attrs = _TYPE.sub("", attrs) + (
                    f' type="text/plain" data-category="{escape(category)}"')
            if nonce and "nonce=" not in attrs.lower():
                attrs += f' nonce="{nonce}"'
            return f"<script{attrs}>"

        # The body is the template's own rendered (escaped) output; only attributes are added.
        return mark_safe(_SCRIPT.sub(rewrite, self.nodelist.render(context)))  # noqa: S308


@register.tag
def consented(parser, token):
    """Render the body only when the visitor granted the category."""
    return ConsentedNode(*_block(parser, token, "endconsented"))


@register.tag
def deferred(parser, token):
    """Render the body's scripts inert until the visitor grants the category."""
    return DeferredNode(*_block(parser, token, "enddeferred"))


@register.simple_tag(takes_context=True)
def csp_nonce(context) -> str:
    """Print this response's CSP nonce, for an inline script's ``nonce`` attribute."""
    return _nonce(context)


@register.simple_tag(takes_context=True)
def consent_banner(context):
    """Render the banner while the visitor has made no valid choice (nothing otherwise)."""
    consent = _consent(context)
    request = context.get("request")
    if consent.chosen or request is None:
        return ""
    return mark_safe(banner.html(request, consent))  # noqa: S308 - rendered by our template
