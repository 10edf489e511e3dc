"""The co-marketing export (C23): contact data for a partner's promotion, billing data never.

The columns a partner may receive are not listed here: they are the data map's fields that
``shareable`` finds for partners' promotions among names and contact data. A request
naming anything else is refused whole (recorded, nothing produced): billing or financial data
(``billing``), a known field not collected for promotion (``purpose``), or a name the data map
does not know (``unknown_column``). Subscribers who opted out of partners' promotions are left
out; what is exported goes through the gate as one disclosure.
"""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from hostpact.privacy import registry, taxonomy
from hostpact.privacy.disclosures.models import Disclosure, Recipient
from hostpact.privacy.disclosures.services.gate import (
    CHUNK,
    DisclosureRefused,
    disclose,
    record_refusal,
)
from hostpact.privacy.subject_data import subject_path

PROMOTION = "marketing.communications.email.promotions"
PARTNER_USE = "marketing.communications.email.promotions.partners"
# A partner receives names and contact data (its agreement's categories), never billing data:
# anything financial, or collected for taking payments.
CONTACT = ("user.name", "user.contact")
FINANCIAL = "user.financial"
PAYMENT = "essential.service.payment_processing"
DEFAULT_COLUMNS = ("name", "email")


@dataclass(frozen=True)
class Column:
    """A name a request may use, and the data-map fields (model, field, declaration) it
    stands for."""

    name: str
    label: str
    fields: tuple[tuple[type, str, registry.Personal], ...]

    @property
    def categories(self) -> list[str]:
        return list(dict.fromkeys(decl.category for _, _, decl in self.fields))

    @property
    def billing(self) -> bool:
        return any(is_billing(decl) for _, _, decl in self.fields)


def is_billing(decl: registry.Personal) -> bool:
    """Return True for billing data: a financial category, or collected to take payments."""
    return (taxonomy.within(decl.category, FINANCIAL)
            or any(taxonomy.within(p, PAYMENT) for p in decl.purposes))


def partner_use() -> str:
    """Return the use a partner promotion is (under our promotions: opting out of those opts
    out of partners' too)."""
    return PARTNER_USE


@dataclass(frozen=True)
class Shareable:
    """A personal field that may be disclosed for a purpose."""

    model: type
    field: str
    declaration: registry.Personal


def shareable(purpose: str, *, categories=("user.contact",)) -> list[Shareable]:
    """The personal fields that may be disclosed for ``purpose``: those of one of
    ``categories`` (or narrower) that the data map declares collected for ``purpose`` (or a
    broader use containing it). Blind indexes are derived data and never shared."""
    out = []
    for entry in registry.entries():
        for name, decl in entry.personal_fields().items():
            if name.endswith("_index"):
                continue
            if not any(taxonomy.within(decl.category, c) for c in categories):
                continue
            if any(taxonomy.within(purpose, p) for p in decl.purposes):
                out.append(Shareable(entry.model, name, decl))
    return out


def partner_columns() -> dict[str, Column]:
    """Return the columns a partner may receive, by name: each a field's name, qualified as
    ``model.field`` when two such fields share a name."""
    found = [s for s in shareable(PARTNER_USE, categories=CONTACT)
             if not is_billing(s.declaration) and subject_path(s.model)]
    counts = Counter(s.field for s in found)
    out = {}
    for s in found:
        name = s.field if counts[s.field] == 1 else f"{s.model._meta.model_name}.{s.field}"
        label = s.declaration.label or str(s.model._meta.get_field(s.field).verbose_name)
        out[name] = Column(name, label, ((s.model, s.field, s.declaration),))
    return out


def _slug(text) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_")


def _personal_fields():
    for entry in registry.entries():
        for name, decl in entry.personal_fields().items():
            if not name.endswith("_index"):  # blind indexes are derived, never a column
                yield entry.model, name, decl


def _names(model, name: str, decl: registry.Personal) -> set[str]:
    """The names a request may use for a data-map field: its own, qualified by its model, its
    label, or its section's title (which names every field of the section)."""
    return {name, f"{model._meta.model_name}.{name}", _slug(decl.label),
            _slug(registry.section_of(model).title)} - {""}


def find_column(name: str, offered: dict[str, Column] | None = None) -> Column | None:
    """Return the column ``name`` stands for: a partner column, else the data-map fields it
    names (to refuse them), else None."""
    offered = partner_columns() if offered is None else offered
    if name in offered:
        return offered[name]
    matched = tuple(f for f in _personal_fields() if name in _names(*f))
    return Column(name, name, matched) if matched else None


def billing_columns() -> dict[str, str]:
    """Return the names of billing data a request may name, only to be refused whole: one per
    section holding billing fields (card, billing address, invoice...), with its title."""
    out = {}
    for model, _, decl in sorted(_personal_fields(), key=lambda f: registry.section_rank(f[0])):
        if is_billing(decl):
            title = registry.section_of(model).title
            out.setdefault(_slug(title), title)
    return out


def _opted_in(subject_id) -> bool:
    """Has the subscriber not opted out of partners' promotions?"""
    from hostpact.privacy.policy.services import allowed

    return allowed(subject_id, partner_use())


@dataclass
class Export:
    disclosure: Disclosure
    columns: list[str]
    rows: list[list[str]]

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.columns)
        writer.writerows(self.rows)
        return out.getvalue()


def _refuse_unless_allowed(slug, columns: list[str], found: dict[str, Column | None],
                           offered: dict[str, Column]) -> None:
    if not columns:
        raise DisclosureRefused("Name at least one column.", str(slug), "no_category")
    unknown = [c for c in columns if found[c] is None]
    if unknown:
        raise DisclosureRefused(f"Unknown columns: {', '.join(unknown)}.", str(slug),
                                "unknown_column")
    row = Recipient.objects.filter(slug=str(slug)).first()
    if row is not None and row.kind != Recipient.Kind.CO_MARKETING:
        raise DisclosureRefused(f"{slug} is not a co-marketing partner.", str(slug),
                                "not_partner")
    for column in columns:
        if found[column].billing:
            raise DisclosureRefused(
                f"{column!r} is billing information, which is never shared with a "
                "co-marketing partner: the whole request is refused.", str(slug), "billing")
        if column not in offered:
            raise DisclosureRefused(
                f"{column!r} is not collected for promotion, so it cannot be shared for "
                "one.", str(slug), "purpose")


def _values(columns: list[Column], subscribers) -> dict[str, dict]:
    """Return each column's value per subject id: one query per model, not per subscriber."""
    by_model: dict[type, list[Column]] = {}
    for column in columns:
        by_model.setdefault(column.fields[0][0], []).append(column)
    user_path = subject_path(subscribers.model)
    out: dict[str, dict] = {c.name: {} for c in columns}
    for model, wanted in by_model.items():
        path = subject_path(model)
        rows = (model._default_manager
                .filter(**{f"{path}__in": subscribers.values(user_path)}).order_by("pk")
                .values_list(path, *(c.fields[0][1] for c in wanted)))
        for subject_id, *values in rows.iterator(chunk_size=CHUNK):
            for column, value in zip(wanted, values, strict=True):
                out[column.name].setdefault(subject_id, value)  # a subject's first row
    return out


def export_comarketing(recipient, columns=DEFAULT_COLUMNS, *, actor: str,
                       reference: str = "") -> Export:
    """Return the contact data of the subscribers who did not opt out, for a co-marketing
    partner.

    The whole request is refused (``DisclosureRefused``, recorded, nothing produced) when a
    column is unknown, is billing or financial data, or is data the data map does not let us
    use for promotion; the gate then checks the partner's agreement and categories.
    """
    columns = list(dict.fromkeys(columns or []))
    slug = getattr(recipient, "slug", recipient)
    offered = partner_columns()
    found = {c: find_column(c, offered) for c in columns}
    try:
        _refuse_unless_allowed(slug, columns, found, offered)
    except DisclosureRefused as exc:
        # Kept on purpose although the request is refused (no transaction is open here).
        categories = list(dict.fromkeys(k for c in columns if found[c] for k in
                                        found[c].categories))
        record_refusal(exc, slug, categories, PROMOTION, actor, reference, 0)
        raise

    chosen_columns = [offered[c] for c in columns]
    User = get_user_model()
    subscribers = User.objects.filter(is_staff=False, is_active=True)
    values = _values(chosen_columns, subscribers)
    chosen, rows = [], []
    ids = (subscribers.order_by("pk").values_list(subject_path(User), flat=True)
           .iterator(chunk_size=CHUNK))
    for subject_id in ids:
        if not _opted_in(subject_id):
            continue
        chosen.append(subject_id)
        rows.append([values[c.name].get(subject_id) or "" for c in chosen_columns])
    categories = list(dict.fromkeys(k for c in chosen_columns for k in c.categories))
    disclosure = disclose(slug, chosen, categories, PROMOTION, "", actor=actor,
                          reference=reference or "co-marketing export")
    return Export(disclosure, columns, rows)
