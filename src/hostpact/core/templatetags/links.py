"""``{% link "app:name" %}``: the address of a page that takes no arguments, reversed once.

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
from django.utils.html import escape

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


def _forget(*, setting, **kwargs):
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        _address.cache_clear()


setting_changed.connect(_forget)
