"""Markdown written by staff (policy texts, campaign mail) turned into safe HTML and plain text.

Staff write it, everyone reads it, so it must not carry markup of its own: markdown-it-py
(CommonMark plus tables) parses with raw HTML off, and nh3 cleans what it renders against an
explicit allow-list, so even a parser bug cannot let a script, an event handler or a style
through. Links keep only http(s), mailto and site-relative targets; any other link (javascript:,
data:, a scheme-less ``//host``) is dropped and its text kept. A link to another host is marked
the way ``{% external %}`` marks one (policy 2.5, C15). Images are not shown (their alt text
is): a picture fetched from elsewhere tells its host who read the text and when.

``render_text`` writes the same source as the text/plain part of an email: paragraphs,
headings, bullets, links as "text <url>", and no Markdown syntax left.
"""

import re
from urllib.parse import urljoin, urlsplit

import nh3
from django.conf import settings
from django.utils.html import escape
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from hostpact.core.templatetags.links import EXTERNAL_ICON, EXTERNAL_REL, EXTERNAL_TEXT

# Every link is judged when rendered (see _kind), where its text can be kept without it.
_parser = MarkdownIt("commonmark", {"html": False}).enable("table")
_parser.validateLink = lambda url: True

TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "a", "em", "strong", "code",
        "pre", "blockquote", "hr", "br", "table", "thead", "tbody", "tr", "th", "td",
        # the external marking: words for screen readers and a drawn icon
        "span", "svg", "path"}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"style"}, "td": {"style"},
              "svg": {"aria-hidden", "focusable", "viewBox"}, "path": {"d"}}
CLASSES = {"a": {"external"}, "span": {"visually-hidden"}, "svg": {"external-icon"}}
SCHEMES = {"http", "https", "mailto"}
OURS, ELSEWHERE, MAIL, UNSAFE = "ours", "elsewhere", "mail", "unsafe"
# The parser writes hosts in ASCII (punycode); anything else is an address no browser opens.
_HOST = re.compile(r"[a-z0-9.:-]+")


def _kind(href: str) -> str:
    """Return what ``href`` leads to: this site, another host, a mailbox, or nowhere safe."""
    try:
        parts = urlsplit(href)
    except ValueError:
        return UNSAFE
    scheme = parts.scheme.lower()
    if scheme == "mailto":
        return MAIL
    if scheme in ("http", "https") and _HOST.fullmatch(parts.hostname or ""):
        return OURS if parts.hostname == urlsplit(settings.SITE_URL).hostname else ELSEWHERE
    if not scheme and not parts.netloc:
        return OURS  # a path on this site, or an anchor on the page
    return UNSAFE


def _link_open(self, tokens, idx, options, env):
    href = tokens[idx].attrs.get("href", "")
    kind = _kind(href)
    if kind == ELSEWHERE and not env["mark_external"]:
        kind = OURS
    env["links"].append(kind)
    if kind == UNSAFE:
        return ""
    title = tokens[idx].attrs.get("title")
    title = f' title="{escape(title)}"' if title else ""
    if kind == ELSEWHERE:
        return f'<a href="{escape(href)}" rel="{EXTERNAL_REL}" class="external"{title}>'
    return f'<a href="{escape(href)}"{title}>'


def _link_close(self, tokens, idx, options, env):
    kind = env["links"].pop()
    if kind == UNSAFE:
        return ""
    if kind == ELSEWHERE:
        return f'<span class="visually-hidden">{EXTERNAL_TEXT}</span>{EXTERNAL_ICON}</a>'
    return "</a>"


def _image(self, tokens, idx, options, env):
    return escape(self.renderInlineAsText(tokens[idx].children or [], options, env))


def _source(text: str | None) -> str:
    """``text`` as valid Unicode: a lone surrogate (which no encoder accepts) becomes "?"."""
    return (text or "").encode("utf-8", "replace").decode("utf-8")


_parser.add_render_rule("link_open", _link_open)
_parser.add_render_rule("link_close", _link_close)
_parser.add_render_rule("image", _image)


def render_html(text: str, *, mark_external: bool = True, heading_offset: int = 0) -> str:
    """Return ``text`` (Markdown) as sanitised HTML, safe to ``mark_safe()``.

    ``mark_external`` marks links to other hosts as the site's pages do (off for mail, where
    the icon and the hidden words do not display); ``heading_offset`` moves headings down
    (1 turns ``#`` into ``<h2>`` under a page's own title), never below ``<h6>``.
    """
    tokens = _parser.parse(_source(text))
    if heading_offset:
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(int(token.tag[1]) + heading_offset, 6)}"
    html = _parser.renderer.render(tokens, _parser.options,
                                   {"mark_external": mark_external, "links": []})
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, allowed_classes=CLASSES,
                     tag_attribute_values={"a": {"rel": {EXTERNAL_REL}}},
                     filter_style_properties={"text-align"}, url_schemes=SCHEMES,
                     link_rel=None, strip_comments=True)


# --- plain text ----------------------------------------------------------------------------

def render_text(text: str) -> str:
    """Return ``text`` (Markdown) as plain text for an email's text/plain part.

    Blocks are separated by a blank line, list items start with "- " or their number, quotes
    with "> ", code is indented; a link reads "text <url>" (site paths made absolute), and an
    image its alt text. No trailing newline.
    """
    root = SyntaxTreeNode(_parser.parse(_source(text)))
    return "\n\n".join(_blocks(root.children)).strip("\n")


def _blocks(nodes) -> list[str]:
    out = []
    for node in nodes:
        block = _block(node)
        if block:
            out.append(block)
    return out


def _indent(block: str, first: str, rest: str) -> str:
    lines = block.split("\n")
    return "\n".join([first + lines[0]] + [(rest + line) if line else line
                                           for line in lines[1:]])


def _block(node) -> str:
    kind = node.type
    if kind in ("paragraph", "heading"):
        return _inline(node.children[0]) if node.children else ""
    if kind in ("bullet_list", "ordered_list"):
        return _list(node)
    if kind == "blockquote":
        return "\n".join(f"> {line}".rstrip() for line in "\n\n".join(
            _blocks(node.children)).split("\n"))
    if kind in ("code_block", "fence"):
        return "\n".join(f"    {line}".rstrip() for line in node.content.rstrip("\n").split("\n"))
    if kind == "hr":
        return "—" * 20
    if kind == "table":
        return "\n".join(" | ".join(_inline(cell.children[0]) if cell.children else ""
                                    for cell in row.children)
                         for section in node.children for row in section.children)
    return ""


def _list(node) -> str:
    number = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else None
    tight = all(child.hidden for item in node.children for child in item.children
                if child.type == "paragraph")
    items = []
    for item in node.children:
        marker = "- " if number is None else f"{number}. "
        body = ("\n" if tight else "\n\n").join(_blocks(item.children))
        items.append(_indent(body, marker, " " * len(marker)))
        if number is not None:
            number += 1
    return ("\n" if tight else "\n\n").join(items)


def _inline(node) -> str:
    return "".join(_span(child) for child in node.children)


def _span(node) -> str:
    kind = node.type
    if kind in ("text", "code_inline"):
        return node.content
    if kind in ("softbreak", "hardbreak"):
        return "\n"
    if kind == "link":
        return _link_text(node.attrs.get("href", ""), _inline(node))
    if kind == "image":
        return _inline(node)
    return _inline(node) if node.children else node.content


def _link_text(href: str, label: str) -> str:
    kind = _kind(href)
    if kind == UNSAFE:
        return label
    address = href[len("mailto:"):] if kind == MAIL else urljoin(settings.SITE_URL, href)
    if label.strip() in (href, address):
        return address
    return f"{label} <{address}>"
