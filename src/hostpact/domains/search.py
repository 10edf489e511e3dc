"""Domain search: one query over every TLD the registry serves, with suggestions.

A visitor types a bare label (``bücher``) or a full name (``bücher.example``); the search
answers for the label under each TLD (a full name first), and for a taken name offers a few
variants that are free. Every name, suggestions included, goes to the registry in one check
call: the storefront answers as one types, so a search must stay one round trip.
"""

from dataclasses import dataclass, field

from hostpact.domains.names import Name, NameRefused, parse_domain, tlds
from hostpact.domains.registry import connector

# Variants of a taken label, in the order they are offered: deterministic, so the same
# search always suggests the same names.
PREFIXES = ("get", "my", "the")
SUFFIXES = ("online", "hq", "app")
MAX_SUGGESTIONS = 4


@dataclass(frozen=True)
class Result:
    name: Name
    available: bool

    @property
    def tld(self) -> str:
        return self.name.tld


@dataclass
class Search:
    query: str
    error: str = ""  # the rule the query broke, in words a person can act on
    rule: str = ""
    results: list[Result] = field(default_factory=list)
    suggestions: list[Result] = field(default_factory=list)


def _label_and_first(text: str) -> tuple[str, Name | None]:
    """Return the label to search under every TLD, and the full name asked for (if any)."""
    if "." not in text.strip().rstrip("."):
        name = parse_domain(f"{text.strip()}.{tlds()[0]}")
        return name.labels[0], None
    name = parse_domain(text)
    return name.labels[0], name


def _variants(label: str, tld: str) -> list[Name]:
    out = []
    for candidate in [*(p + label for p in PREFIXES), *(label + s for s in SUFFIXES)]:
        try:
            out.append(parse_domain(f"{candidate}.{tld}"))
        except NameRefused:
            continue  # a variant over 63 characters is not offered
    return out


def search_domains(text: str) -> Search:
    """Search ``text`` (a label or a full name, ASCII or IDN) under every served TLD."""
    search = Search(query=(text or "").strip())
    if not search.query:
        return search
    try:
        label, first = _label_and_first(search.query)
    except NameRefused as exc:
        search.error, search.rule = str(exc), exc.rule
        return search
    names = [first] if first is not None else []
    for tld in tlds():
        name = parse_domain(f"{label}.{tld}")
        if first is None or name.ascii != first.ascii:
            names.append(name)
    # Variants for the name asked for first (its TLD), or the first TLD of a bare label.
    variants = _variants(names[0].unicode.split(".")[0], names[0].tld)
    free = connector().check([n.ascii for n in names] + [v.ascii for v in variants])
    search.results = [Result(n, bool(free.get(n.ascii))) for n in names]
    if any(not r.available for r in search.results):
        search.suggestions = [Result(v, True) for v in variants
                              if free.get(v.ascii)][:MAX_SUGGESTIONS]
    return search
