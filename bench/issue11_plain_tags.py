"""Pass-through stand-ins of the consent template tags, for the "without consent" server.

``{% consented %}`` and ``{% deferred %}`` render their body as it is (as if everything were
granted: no block left out, no script made inert), ``{% csp_nonce %}`` prints nothing and
``{% consent_banner %}`` renders no banner, so a page is what it would be with no consent
machinery at all: the reference the issue asks for.
"""

from django import template

register = template.Library()


class PassThrough(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return self.nodelist.render(context)


def _block(parser, token, end: str) -> PassThrough:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one category")
    nodelist = parser.parse((end,))
    parser.delete_first_token()
    return PassThrough(nodelist)


@register.tag
def consented(parser, token):
    """Render the body, whatever the visitor chose."""
    return _block(parser, token, "endconsented")


@register.tag
def deferred(parser, token):
    """Render the body's scripts unchanged."""
    return _block(parser, token, "enddeferred")


@register.simple_tag
def csp_nonce() -> str:
    """Print no nonce: this server writes no Content-Security-Policy."""
    return ""


@register.simple_tag
def consent_banner() -> str:
    """Render no banner: without the consent machinery there is no choice to ask for."""
    return ""
