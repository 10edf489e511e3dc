"""What the banner shows, and the SHA-256 of its text that every receipt carries.

The categories come from the cookie registry (purpose and cookie names), so a cookie declared
by a new feature appears in the banner on its own. The text's digest is computed from the
rendered banner with its markup stripped, once per banner revision and GPC variant: the text
differs only there (the CSRF token and the return path are attributes, not text), and per brand:
a reseller's host names the reseller.
"""

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import quote

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape, strip_tags

from hostpact.consent import versions
from hostpact.consent.state import Consent
from hostpact.core import realms
from hostpact.core.branding import brand_for_realm
from hostpact.privacy import cookies


@dataclass(frozen=True)
class Category:
    name: str
    title: str
    text: str
    cookies: tuple[str, ...]
    required: bool


_categories: dict[tuple, list[Category]] = {}


def categories() -> list[Category]:
    """Return each category with its purpose and the names of its declared cookies.

    Worked out once per set of declarations: the banner is on every page of a first visit.
    """
    declared = tuple(cookies.cookies())
    found = _categories.get(declared)
    if found is None:
        found = _categories[declared] = [
            Category(name, name.capitalize(), cookies.CATEGORY_TEXT[name],
                     tuple(c.name for c in declared if c.category == name),
                     name == cookies.REQUIRED)
            for name in cookies.CATEGORIES]
    return found


def context(consent: Consent, *, next_path: str = "", page: bool = False) -> dict:
    """Return the template context of the banner for ``consent``, under the brand of the realm
    in force."""
    return {"consent_brand": _brand(), "consent": consent, "consent_categories": categories(),
            "consent_next": next_path, "consent_next_query": quote(next_path, safe="/"),
            "consent_page": page}


# The banner on a first visit's every page differs only in its CSRF token and return path, so
# it is rendered once per variant with these stand-ins and they are replaced per request:
# rendering it each time cost a tenth of the storefront home's time.
_CSRF, _NEXT, _NEXT_QUERY = "hp-csrf-d8c1", "hp-next-5e0b", "hp-next-query-9a7f"
_fragments: dict[tuple, str] = {}


def _brand() -> str:
    return brand_for_realm(realms.current()).name


def html(request, consent: Consent) -> str:
    """Return the banner's HTML for ``request`` (a first visit's pages: no valid choice yet)."""
    key = (versions.banner_revision(), consent.gpc, tuple(cookies.cookies()), _brand())
    fragment = _fragments.get(key)
    if fragment is None:
        ctx = context(Consent(gpc=consent.gpc))
        ctx.update(csrf_token=_CSRF, consent_next=_NEXT, consent_next_query=_NEXT_QUERY)
        fragment = _fragments[key] = render_to_string("consent/banner.html", ctx)
    next_path = request.get_full_path()
    return (fragment.replace(_CSRF, escape(get_token(request)))
            .replace(_NEXT_QUERY, escape(quote(next_path, safe="/")))
            .replace(_NEXT, escape(next_path)))


_digests: dict[tuple, str] = {}
_SPACE = re.compile(r"\s+")


def text(gpc: bool) -> str:
    """Return the banner's visible text, whitespace collapsed."""
    html = render_to_string("consent/banner.html", context(Consent(gpc=gpc)))
    return _SPACE.sub(" ", strip_tags(html)).strip()


def text_sha256(gpc: bool = False) -> str:
    """Return the SHA-256 (hex) of the banner text of the current revision (under the brand
    of the realm in force)."""
    key = (versions.banner_revision(), gpc, tuple(cookies.cookies()), _brand())
    found = _digests.get(key)
    if found is None:
        found = _digests[key] = hashlib.sha256(text(gpc).encode()).hexdigest()
    return found
