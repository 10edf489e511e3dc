"""Domain and host names: parsing and the rules a registrable name must keep.

A name is checked label by label (RFC 1035's LDH rule as RFC 5891 updates it): 1–63 octets a
label, 253 in all, letters, digits and hyphens only, no hyphen at either end, and no ``--`` in
the third and fourth places unless the label is a valid A-label (``xn--``). A name with
characters beyond ASCII is an IDN: it is mapped with UTS 46 (non-transitional) and each label
encoded to its A-label by the ``idna`` package. The A-label form is stored, the U-label form
shown. A registrable name is one label directly under a TLD the registry is authoritative for
(``settings.DOMAIN_TLDS``).

Every refusal is a ``NameRefused`` naming its rule (``rule``) in words a person can act on.
"""

import re
from dataclasses import dataclass

import idna
from django.conf import settings

MAX_LABEL = 63
MAX_NAME = 253
LDH = re.compile(r"^[a-z0-9-]+$")


class NameRefused(ValueError):
    """A name breaks ``rule`` (``label_length``, ``name_length``, ``ldh``, ``hyphen``,
    ``reserved_hyphens``, ``idna``, ``empty``, ``too_few_labels``, ``tld``, ``not_registrable``);
    the message says which and where."""

    def __init__(self, rule: str, message: str):
        super().__init__(message)
        self.rule = rule


@dataclass(frozen=True)
class Name:
    ascii: str  # the A-label form, lower case: what is stored and sent to the registry
    unicode: str  # the U-label form: what is shown

    @property
    def labels(self) -> list[str]:
        return self.ascii.split(".")

    @property
    def tld(self) -> str:
        return self.labels[-1]

    @property
    def is_idn(self) -> bool:
        return self.ascii != self.unicode

    def __str__(self):
        return self.ascii


def tlds() -> tuple[str, ...]:
    """The TLDs the registry is authoritative for, lower case, without dots."""
    return tuple(t.strip(".").lower() for t in settings.DOMAIN_TLDS)


def _a_label(label: str) -> str:
    """The A-label of one (already UTS 46 mapped) label with non-ASCII characters."""
    try:
        return idna.encode(label).decode("ascii")
    except idna.IDNAError as exc:
        raise NameRefused("idna", f"The label {label!r} is not a valid internationalised "
                                  f"label (IDNA 2008): {exc}.") from None
    except UnicodeError:
        raise NameRefused("idna", f"The label {label!r} is not a valid internationalised "
                                  "label (IDNA 2008).") from None


def _check_label(label: str, shown: str) -> None:
    size = len(label.encode("ascii"))
    if not 1 <= size <= MAX_LABEL:
        raise NameRefused("label_length", f"Each label must be 1 to {MAX_LABEL} characters "
                                          f"long; {shown!r} is {size}." if size else
                          "A name may not have an empty label (two dots in a row, or a dot "
                          "at the start).")
    if not LDH.match(label):
        raise NameRefused("ldh", f"The label {shown!r} may hold only letters, digits and "
                                 "hyphens.")
    if label.startswith("-") or label.endswith("-"):
        raise NameRefused("hyphen", f"The label {shown!r} may not start or end with a hyphen.")
    if label[2:4] == "--":
        if not label.startswith("xn--"):
            raise NameRefused("reserved_hyphens", f"The label {shown!r} has hyphens in the "
                                                  "third and fourth places, which are kept "
                                                  "for internationalised names (xn--).")
        try:
            decoded = idna.decode(label)
            valid = idna.encode(decoded).decode("ascii") == label
        except (idna.IDNAError, UnicodeError):
            valid = False
        if not valid:
            raise NameRefused("reserved_hyphens", f"The label {shown!r} starts with xn-- but "
                                                  "is not a valid A-label.")


def parse_host(text: str) -> Name:
    """Parse a host name of at least two labels (any TLD); raise ``NameRefused``."""
    if not isinstance(text, str) or not text.strip():
        raise NameRefused("empty", "Enter a name.")
    raw = text.strip()
    if raw.endswith(".") and not raw.endswith(".."):
        raw = raw[:-1]  # the root's dot of a fully qualified name
    if raw.isascii():
        labels = raw.lower().split(".")
        for label in labels:
            _check_label(label, label)
    else:
        try:
            mapped = idna.uts46_remap(raw, std3_rules=True, transitional=False)
        except (idna.IDNAError, UnicodeError) as exc:
            raise NameRefused("idna", f"The name is not a valid internationalised name "
                                      f"(UTS 46): {exc}.") from None
        labels = []
        for label in mapped.split("."):
            if not label:
                _check_label("", "")
            ascii_label = label if label.isascii() else _a_label(label)
            _check_label(ascii_label, label)
            labels.append(ascii_label)
    ascii_name = ".".join(labels)
    if len(ascii_name) > MAX_NAME:
        raise NameRefused("name_length", f"A name may be at most {MAX_NAME} characters long "
                                         f"(in its A-label form); this one is "
                                         f"{len(ascii_name)}.")
    if len(labels) < 2:
        raise NameRefused("too_few_labels", "Enter the full name with its TLD, for example "
                                            "example.test.")
    if labels[-1].isdigit():
        raise NameRefused("tld", "A TLD is never all digits.")
    try:
        shown = idna.decode(ascii_name) if "xn--" in ascii_name else ascii_name
    except (idna.IDNAError, UnicodeError):
        shown = ascii_name
    return Name(ascii=ascii_name, unicode=shown)


def parse_domain(text: str) -> Name:
    """Parse a registrable domain: one label directly under a TLD the registry serves."""
    name = parse_host(text)
    served = tlds()
    if name.tld not in served:
        raise NameRefused("tld", f"We register names under {', '.join('.' + t for t in served)}"
                                 f" only, not .{name.tld}.")
    if len(name.labels) != 2:
        raise NameRefused("not_registrable", f"Only a name directly under .{name.tld} can be "
                                             f"registered, such as {name.labels[-2]}."
                                             f"{name.tld}.")
    return name
