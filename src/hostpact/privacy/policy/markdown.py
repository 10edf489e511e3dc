"""A tiny, safe Markdown renderer for policy texts: headings, paragraphs, lists, emphasis, links.

Policy texts are written by staff but shown to everyone, so the renderer escapes all HTML first
and only then adds the few tags it knows; links keep only http(s), mailto and site-relative
targets, and a link to another host is marked external the way ``{% external %}`` marks one
(policy 2.5). It is deliberately small: the policy needs no tables or embedded HTML, and a full
Markdown library would be a new dependency for that.
"""

import re
from html import unescape
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from hostpact.core.templatetags.links import external_link

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_BULLET = re.compile(r"^[-*+]\s+(.*)$")
_NUMBER = re.compile(r"^(\d{1,4})[.)]\s+(.*)$")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_EM = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_CODE = re.compile(r"`([^`]+)`")
_SAFE_URL = re.compile(r"^(https?://|mailto:|/|#)", re.IGNORECASE)
_ABSOLUTE = re.compile(r"^https?://", re.IGNORECASE)


def _elsewhere(url: str) -> bool:
    """Return whether ``url`` (escaped) leads to a host other than this site's."""
    if not _ABSOLUTE.match(url):
        return False
    ours = urlsplit(settings.SITE_URL).hostname
    return urlsplit(unescape(url)).hostname != ours


def _inline(text: str) -> str:
    out = escape(text)
    out = _CODE.sub(r"<code>\1</code>", out)
    out = _STRONG.sub(r"<strong>\1</strong>", out)
    out = _EM.sub(r"<em>\1</em>", out)

    def link(match):
        label, url = match.group(1), match.group(2)
        if not _SAFE_URL.match(url):
            return label
        if _elsewhere(url):
            # The label is escaped already; the address is escaped again by external_link.
            return external_link(unescape(url), mark_safe(label))  # noqa: S308
        return f'<a href="{url}">{label}</a>'  # both already escaped above

    return _LINK.sub(link, out)


def _blocks(text: str) -> list[list[str]]:
    blocks, current = [], []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _list(lines: list[str]) -> str | None:
    """A list block (every line an item, or a continuation of the previous), else None."""
    kind, items, start = None, [], None
    for line in lines:
        bullet, number = _BULLET.match(line), _NUMBER.match(line)
        match, this = (bullet, "ul") if bullet else (number, "ol") if number else (None, None)
        if match is None:
            if not items:
                return None
            items[-1] += " " + line
            continue
        if kind and this != kind:
            return None
        kind = this
        if this == "ol" and start is None:
            start = int(number.group(1))
        items.append(match.group(match.lastindex))
    body = "".join(f"<li>{_inline(item)}</li>" for item in items)
    attr = f' start="{start}"' if kind == "ol" and start not in (None, 1) else ""
    return f"<{kind}{attr}>{body}</{kind}>"


def render(text: str) -> SafeString:
    """Render ``text`` to HTML in which every character of the source is escaped."""
    html = []
    for lines in _blocks(text or ""):
        heading = _HEADING.match(lines[0])
        if heading and len(lines) == 1:
            level = min(len(heading.group(1)) + 1, 6)  # the page's own title is the h1
            html.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
            continue
        as_list = _list(lines)
        html.append(as_list if as_list else f"<p>{_inline(' '.join(lines))}</p>")
    return mark_safe("\n".join(html))  # noqa: S308 - every source character was escaped
