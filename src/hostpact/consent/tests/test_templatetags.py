"""``{% consented %}``, ``{% deferred %}`` and ``{% csp_nonce %}`` (C05, C06)."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory

from hostpact.consent.state import Consent


def _render(source: str, granted=(), nonce="n0nce") -> str:
    request = RequestFactory().get("/")
    request.consent = Consent(granted=frozenset({"required", *granted}), chosen=True)
    request.csp_nonce = nonce
    return Template(source).render(Context({"request": request}))


@pytest.mark.commitment("C05")
def test_consented_leaves_a_refused_category_out_of_the_html():
    """The body is rendered only when its category is granted."""
    source = '{% consented "advertising" %}<img src="/pixel">{% endconsented %}'
    assert _render(source) == ""
    assert _render(source, ["advertising"]) == '<img src="/pixel">'


def test_deferred_scripts_wait_as_text_until_granted():
    """Without consent the script is inert text of its category; with it, it runs; both carry
    the nonce."""
    source = ('{% deferred "performance" %}<script type="module" src="/s.js"></script>'
              '<script>go()</script>{% enddeferred %}')
    refused = _render(source)
    assert refused == ('<script src="/s.js" type="text/plain" data-category="performance" '
                       'nonce="n0nce"></script><script type="text/plain" '
                       'data-category="performance" nonce="n0nce">go()</script>')
    granted = _render(source, ["performance"])
    assert granted == ('<script type="module" src="/s.js" nonce="n0nce"></script>'
                       '<script nonce="n0nce">go()</script>')


def test_csp_nonce_prints_the_responses_nonce():
    """The tag prints the nonce the middleware put in the response's policy."""
    assert _render('<script nonce="{% csp_nonce %}">', nonce="abc") == '<script nonce="abc">'


def test_a_tag_without_its_category_is_a_template_error():
    """``{% consented %}`` needs exactly one category."""
    with pytest.raises(TemplateSyntaxError, match="one category"):
        Template("{% consented %}x{% endconsented %}")


def test_without_the_middleware_nothing_optional_renders():
    """A request the middleware never saw grants nothing."""
    out = Template('{% consented "functional" %}x{% endconsented %}').render(
        Context({"request": RequestFactory().get("/")}))
    assert out == ""
