"""Policy texts rendered by the house Markdown renderer (``hostpact.core.markdown``).

The policy page has its own title as ``<h1>``, so the text's headings move one level down; links
to other hosts are marked external (policy 2.5, C15) as everywhere on the site.
"""

from django.utils.safestring import SafeString, mark_safe

from hostpact.core.markdown import render_html


def render(text: str) -> SafeString:
    """Return policy ``text`` (Markdown) as sanitised HTML, headings under the page's title."""
    return mark_safe(render_html(text, heading_offset=1))  # noqa: S308 - sanitised by nh3
