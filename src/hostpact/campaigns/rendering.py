"""A campaign message as one recipient gets it: the body rendered, the reason they receive
it, their own unsubscribe link, and measurement only if they allowed it.

Tracking tokens are signed and carry the recipient row's id (and, for a link, its index in
the campaign body), never an address. A tracked link points at ``campaigns:click``, which
looks the original URL up by index in the body, so the redirect can only lead where the
campaign itself linked.
"""

import html
import re
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from hostpact.core.markdown import render_html, render_text
from hostpact.marketing import lists

OPEN_SALT = "hostpact.campaigns.open"
CLICK_SALT = "hostpact.campaigns.click"
# Only web links are measured (and redirected); mailto: and others stay as written.
HREF_RE = re.compile(r'href="(https?://[^"]*)"', re.IGNORECASE)


@dataclass(frozen=True)
class Rendered:
    subject_line: str
    text: str
    html: str


def open_token(recipient_id: int) -> str:
    """Return the signed token of a recipient's open pixel."""
    return signing.dumps(recipient_id, salt=OPEN_SALT, compress=False)


def click_token(recipient_id: int, index: int) -> str:
    """Return the signed token of a recipient's ``index``-th link."""
    return signing.dumps([recipient_id, index], salt=CLICK_SALT, compress=False)


def read_open_token(token: str) -> int | None:
    """Return the recipient id of an open token, or None when it is forged or malformed."""
    try:
        value = signing.loads(token, salt=OPEN_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def read_click_token(token: str) -> tuple[int, int] | None:
    """Return (recipient id, link index) of a click token, or None when forged or malformed."""
    try:
        value = signing.loads(token, salt=CLICK_SALT)
    except signing.BadSignature:
        return None
    if (isinstance(value, list) and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        return value[0], value[1]
    return None


def body_html(markdown: str) -> str:
    """Return the campaign body as sanitised HTML."""
    return render_html(markdown)


def links(markdown: str) -> list[str]:
    """Return the URLs the campaign body links to, in order: what a click index refers to."""
    return [html.unescape(u) for u in HREF_RE.findall(body_html(markdown))]


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _tracked_html(body: str, recipient_id: int) -> str:
    counter = iter(range(10**6))

    def swap(match):
        url = _absolute(reverse("campaigns:click", args=[click_token(recipient_id,
                                                                       next(counter))]))
        return f'href="{html.escape(url)}"'

    return HREF_RE.sub(swap, body)


def reason_text(list_key: str) -> str:
    """Return the sentence that tells a recipient why they receive a message of the list."""
    return (f"You receive this because you are subscribed to {lists.get(list_key).title} "
            f"at hostpact.")


def body_text(markdown: str) -> str:
    """Return the campaign body as plain text (the text/plain part)."""
    return render_text(markdown).rstrip()


def render_message(campaign, *, recipient_id: int | None, unsubscribe_url: str,
                   tracked: bool, test: bool = False, body: str | None = None,
                   text: str | None = None) -> Rendered:
    """Return the message of ``campaign`` for one recipient.

    ``tracked`` adds the open pixel and rewrites the links through ``campaigns:click``; it is
    only ever true for a recipient who allowed email measurement. ``body`` and ``text`` are
    the campaign's rendered HTML and text when the caller renders many messages of one
    campaign.
    """
    reason = reason_text(campaign.list_key)
    content = body if body is not None else body_html(campaign.body)
    if tracked and recipient_id is not None:
        content = _tracked_html(content, recipient_id)
        src = _absolute(reverse("campaigns:open", args=[open_token(recipient_id)]))
        pixel = f'<img src="{html.escape(src)}" width="1" height="1" alt="">'
    else:
        pixel = ""
    footer = (f'<hr><p><small>{html.escape(reason)} '
              f'<a href="{html.escape(unsubscribe_url)}">Unsubscribe</a> from this list.'
              f'</small></p>')
    page = (f'<!DOCTYPE html><html><body>{content}{footer}{pixel}</body></html>')
    plain = text if text is not None else body_text(campaign.body)
    text = (f"{plain}\n\n-- \n{reason}\n"
            f"Unsubscribe from this list: {unsubscribe_url}\n")
    subject_line = f"[Test] {campaign.subject_line}" if test else campaign.subject_line
    return Rendered(subject_line, text, page)
