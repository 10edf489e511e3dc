"""The cookie registry: every cookie the platform sets, declared beside the feature that sets it.

Policy 2.3 promises that each cookie is declared with its category, purpose and lifetime (C06).
Each app declares its cookies from its own ``datamap.py`` with ``declare_cookie``; the consent
middleware refuses a cookie that is not declared and drops one whose category the visitor has
not granted, and ``/policy/cookies/`` and the policy annex are generated from this registry.
A name that ends in ``*`` declares a family (``hp_ab_*``); ``cookie()`` finds it by prefix.
"""

from dataclasses import dataclass

REQUIRED = "required"
PERFORMANCE = "performance"
FUNCTIONAL = "functional"
ADVERTISING = "advertising"
# The order the banner and the cookie table show them in.
CATEGORIES = (REQUIRED, PERFORMANCE, FUNCTIONAL, ADVERTISING)
OPTIONAL = CATEGORIES[1:]
CATEGORY_TEXT = {
    REQUIRED: "Required: sign-in, security, the cart and your cookie choice. Always on.",
    PERFORMANCE: "Performance: counting repeat visits without identifying you.",
    FUNCTIONAL: "Functional: remembering your user name or customer ID for the login page, "
                "and widgets of other sites you choose to load.",
    ADVERTISING: "Advertising: crediting the subscriber, affiliate or campaign that sent you.",
}
PARTIES = ("first", "third")


@dataclass(frozen=True)
class Cookie:
    name: str
    category: str
    purpose: str
    max_age: int | None  # seconds; None: until the browser closes
    party: str = "first"
    provider: str = "hostpact"

    @property
    def lifetime(self) -> str:
        """The lifetime in words: "session", "90 days", "1 year"."""
        if self.max_age is None:
            return "until the browser closes"
        days = self.max_age // 86400
        if days >= 365 and days % 365 == 0:
            years = days // 365
            return f"{years} year{'s' if years > 1 else ''}"
        if days >= 1:
            return f"{days} day{'s' if days > 1 else ''}"
        hours = max(1, self.max_age // 3600)
        return f"{hours} hour{'s' if hours > 1 else ''}"

    @property
    def required(self) -> bool:
        return self.category == REQUIRED

    def matches(self, name: str) -> bool:
        if self.name.endswith("*"):
            return name.startswith(self.name[:-1])
        return name == self.name


_registry: dict[str, Cookie] = {}


def check_categories(names) -> list[str]:
    """Return the names among ``names`` that are not cookie categories."""
    return [n for n in names if n not in CATEGORIES]


def declare_cookie(name: str, *, category: str, purpose: str, max_age: int | None,
                   party: str = "first", provider: str = "hostpact") -> Cookie:
    """Declare a cookie; refuse an unknown category or party, or a name declared twice."""
    if category not in CATEGORIES:
        raise ValueError(f"cookie {name!r}: unknown category {category!r}")
    if party not in PARTIES:
        raise ValueError(f"cookie {name!r}: party must be first or third, not {party!r}")
    if not purpose.strip():
        raise ValueError(f"cookie {name!r}: say what it is for")
    known = _registry.get(name)
    entry = Cookie(name, category, purpose, max_age, party, provider)
    if known is not None and known != entry:
        raise ValueError(f"cookie {name!r} is declared twice, differently")
    _registry[name] = entry
    return entry


def cookie(name: str) -> Cookie | None:
    """The declaration covering a cookie called ``name``, or None when it is undeclared."""
    found = _registry.get(name)
    if found is not None:
        return found
    for entry in _registry.values():
        if entry.name.endswith("*") and entry.matches(name):
            return entry
    return None


def cookies() -> list[Cookie]:
    """Every declared cookie, by category (in ``CATEGORIES`` order), then party and name."""
    rank = {c: n for n, c in enumerate(CATEGORIES)}
    return sorted(_registry.values(), key=lambda c: (rank[c.category], c.party, c.name))


def of_category(category: str) -> list[Cookie]:
    return [c for c in cookies() if c.category == category]
