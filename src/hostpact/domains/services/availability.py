"""Whether names can be registered, and why not."""

from dataclasses import dataclass

from hostpact.domains.names import Name, NameRefused, parse_domain
from hostpact.domains.registry import connector


@dataclass(frozen=True)
class Availability:
    query: str
    name: Name | None  # None when the name is not valid
    available: bool
    reason: str = ""  # why not: the rule broken, or "taken"
    message: str = ""


def check_availability(names: list[str]) -> list[Availability]:
    """For each of ``names``: whether it can be registered, and if not, why."""
    parsed: list[tuple[str, Name | None, NameRefused | None]] = []
    for text in names:
        try:
            parsed.append((text, parse_domain(text), None))
        except NameRefused as exc:
            parsed.append((text, None, exc))
    valid = list(dict.fromkeys(n.ascii for _, n, _ in parsed if n is not None))
    free = connector().check(valid) if valid else {}
    out = []
    for text, name, refusal in parsed:
        if name is None:
            out.append(Availability(text, None, False, refusal.rule, str(refusal)))
        elif free.get(name.ascii):
            out.append(Availability(text, name, True))
        else:
            out.append(Availability(text, name, False, "taken",
                                    f"{name.unicode} is already registered."))
    return out
