"""``{% link "app:name" %}`` and ``{% external "https://…" %}text{% endexternal %}``.

``{% external %}`` marks a link to another site (policy 2.5, C15): an icon and words for screen
readers say so, and ``rel="noopener noreferrer"`` keeps the page we came from (and whatever its
address holds) from the other site. ``external_link`` is the same for code that writes HTML.

``{% link %}`` is the address of a page that takes no arguments, reversed once.

Every page's navigation names a dozen such pages. Django's ``{% url %}`` reverses each one on
every render (about 50 µs apiece), which cost the dashboard half of its speed. An argument-free
route has one address while the process runs (one URL configuration, one mount point), so it is
reversed once per name; a test that swaps the URL configuration empties the cache. Even reading
the current URL configuration and script prefix (thread-local look-ups) costs more than the
cached answer. ``{% url %}`` stays the tag for routes with arguments.
"""

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@lru_cache(maxsize=1024)
def _address(name: str) -> str:
    return escape(reverse(name))


class LinkNode(template.Node):
    def __init__(self, name: str):
        self.name = name

    def render(self, context) -> str:
        return _address(self.name)


@register.tag
def link(parser, token) -> LinkNode:
    """Compile ``{% link "accounts:security" %}``: one quoted name of an argument-free route.

    A plain node rather than a ``simple_tag``: the name is fixed when the template is compiled,
    so rendering is one cache look-up (a ``simple_tag`` resolves and escapes its argument anew).
    """
    bits = token.split_contents()
    if len(bits) != 2 or len(bits[1]) < 3 or bits[1][0] not in "'\"" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError(
            "{% link %} takes one quoted URL name, e.g. {% link 'accounts:security' %}")
    return LinkNode(bits[1][1:-1])


# Drawn, not an image file: it follows the link's colour and costs no request.
EXTERNAL_ICON = mark_safe(  # noqa: S308 - a constant
    '<svg class="external-icon" aria-hidden="true" focusable="false" viewBox="0 0 12 12">'
    '<path d="M5 2H2v8h8V7M7 1h4v4M11 1 5 7"/></svg>')
EXTERNAL_TEXT = " (external site)"
EXTERNAL_REL = "noopener noreferrer"


def external_link(href: str, text: str) -> SafeString:
    """Return an external link to ``href`` (always escaped) around ``text`` (escaped unless
    safe)."""
    if not href.lower().startswith(("https://", "http://")):
        raise ValueError(f"an external link needs an http(s) address, not {href!r}")
    return format_html('<a href="{}" rel="{}" class="external">{}'
                       '<span class="visually-hidden">{}</span>{}</a>',
                       escape(href), EXTERNAL_REL, text, EXTERNAL_TEXT, EXTERNAL_ICON)


class ExternalNode(template.Node):
    def __init__(self, href: template.base.FilterExpression, nodelist: template.NodeList):
        self.href, self.nodelist = href, nodelist

    def render(self, context) -> str:
        href = str(self.href.resolve(context) or "")
        try:
            return external_link(href, mark_safe(self.nodelist.render(context)))  # noqa: S308
        except ValueError as exc:
            raise template.TemplateSyntaxError(str(exc)) from exc


@register.tag
def external(parser, token) -> ExternalNode:
    """Compile ``{% external href %}text{% endexternal %}``: a marked link to another site.

    ``href`` is a quoted address or a variable; the body is the link text (a template, so it
    may hold tags, escaped as usual).
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(
            '{% external %} takes one address, e.g. {% external "https://example.org/" %}')
    nodelist = parser.parse(("endexternal",))
    parser.delete_first_token()
    return ExternalNode(parser.compile_filter(bits[1]), nodelist)


def _forget(*, setting, **kwargs):
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        _address.cache_clear()


setting_changed.connect(_forget)
