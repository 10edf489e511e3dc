"""Social widgets (share and like buttons) that load their provider only after consent (C05).

Policy 2.3: a widget of another site sends that site the visitor's IP address and the page
they are on as soon as its script or frame loads, so it loads only when the visitor has
granted its category. Until then ``{% social_widget %}`` shows a click-to-load placeholder
naming the provider and what it collects, whose button grants the category (a plain form, no
script needed). Providers are configured in ``settings.CONSENT_SOCIAL_PROVIDERS``: key ->
name, category, origin, script and/or frame address, what it collects and its cookies (as
the provider sets them, on its own domain: third-party cookies, declared for the cookie table).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from hostpact.privacy.cookies import CATEGORIES, REQUIRED, declare_cookie


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    category: str
    origin: str
    collects: str
    script: str = ""
    frame: str = ""
    cookies: tuple = ()  # (name, purpose, max_age seconds or None)


def _check(key: str, entry: Provider) -> Provider:
    if entry.category not in CATEGORIES or entry.category == REQUIRED:
        raise ImproperlyConfigured(f"social provider {key!r}: category must be optional, "
                                   f"one of {', '.join(CATEGORIES[1:])}")
    if not (entry.script or entry.frame):
        raise ImproperlyConfigured(f"social provider {key!r}: give a script or a frame address")
    for address in filter(None, (entry.script, entry.frame)):
        parts = urlsplit(address)
        if f"{parts.scheme}://{parts.netloc}" != entry.origin:
            raise ImproperlyConfigured(f"social provider {key!r}: {address!r} is not served "
                                       f"from its origin {entry.origin!r}")
    return entry


def provider(key: str) -> Provider:
    """Return the configured provider ``key``; an unknown key is a configuration error."""
    entry = settings.CONSENT_SOCIAL_PROVIDERS.get(key)
    if entry is None:
        raise ImproperlyConfigured(f"no social provider {key!r} in CONSENT_SOCIAL_PROVIDERS")
    fields = {**entry, "cookies": tuple(tuple(c) for c in entry.get("cookies", ()))}
    return _check(key, Provider(key=key, **fields))


def providers() -> list[Provider]:
    """Return every configured provider."""
    return [provider(key) for key in settings.CONSENT_SOCIAL_PROVIDERS]


def declare_cookies() -> None:
    """Declare the configured providers' cookies as third-party, for the cookie table."""
    for entry in providers():
        for name, purpose, max_age in entry.cookies:
            declare_cookie(name, category=entry.category, purpose=purpose, max_age=max_age,
                           party="third", provider=entry.name)
