"""The banners and logo buttons subscribers put on their websites, and their embed code.

The images are SVG drawn from one template in a few sizes and served by the platform at the
same URL for everyone: the image names no code, so loading it on a subscriber's page tells us
nothing about who looks at it. Only the link around it carries the code (and which banner it
was, so the panel can count per banner).
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

ALT = "Web hosting and domains by hostpact"


@dataclass(frozen=True)
class Banner:
    slug: str
    kind: str  # "banner" or "button"
    width: int
    height: int
    title: str

    @property
    def compact(self) -> bool:
        return self.height < 50 or self.width < 130


BANNERS = {b.slug: b for b in [
    Banner("leaderboard", "banner", 728, 90, "Leaderboard banner, 728 × 90"),
    Banner("full", "banner", 468, 60, "Full banner, 468 × 60"),
    Banner("rectangle", "banner", 300, 250, "Medium rectangle, 300 × 250"),
    Banner("button", "button", 120, 60, "Logo button, 120 × 60"),
    Banner("micro", "button", 88, 31, "Micro button, 88 × 31"),
]}


def banner(slug) -> Banner | None:
    """Return the banner called ``slug``, or None."""
    return BANNERS.get(slug) if isinstance(slug, str) else None


def svg(item: Banner) -> str:
    """Return the SVG image of ``item``."""
    return render_to_string("referrals/banner.svg", {"b": item, "alt": ALT})


def embed_code(request, code: str, item: Banner) -> str:
    """Return the HTML a subscriber pastes into their site: the image, linked to their code."""
    href = request.build_absolute_uri(
        f"{reverse('referrals:click', args=[code])}?{urlencode({'b': item.slug})}")
    src = request.build_absolute_uri(reverse("referrals:banner", args=[item.slug]))
    return str(format_html(
        '<a href="{}" rel="sponsored"><img src="{}" width="{}" height="{}" alt="{}"></a>',
        href, src, item.width, item.height, ALT))
