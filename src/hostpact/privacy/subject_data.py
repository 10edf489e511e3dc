"""Everything held about one data subject, found by walking the data map.

"My information" in the panel and the export both call ``items_for(subject)``: for every model
the data map declares personal fields on, it finds the subject's rows (through a ``subject``
foreign key, or one or two hops to one) and returns each personal field as an ``Item``. Nothing
is hand-listed, so a field added to a datamap appears here on its own.

Each item carries ``value``, a text safe to show on a page (credentials read "set", the card
token is not shown), and ``raw``, the stored value (None for credentials, which are never
handed out). Blind indexes are skipped: they are derived from another item.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models

from hostpact.core.models import Subject
from hostpact.privacy import registry

SECRET_PREFIX = "user.authorization"
CARD_TOKEN = "user.financial.credit_card.token"


@dataclass
class Item:
    app: str
    model: str
    field: str
    label: str
    value: str
    category: str
    purposes: tuple[str, ...]
    raw: object = None
    row: int | str | None = None
    section: str = ""
    extra: dict = field(default_factory=dict)


# "app.model.field" -> fn(row, value) -> display text. Apps may add their own.
Presenter = Callable[[models.Model, object], str]
_presenters: dict[str, Presenter] = {}


def presenter(model, field_name: str):
    """Register how a field is shown on a page (a decorator)."""
    def wrap(fn: Presenter) -> Presenter:
        _presenters[f"{model._meta.label_lower}.{field_name}"] = fn
        return fn
    return wrap


def _subject_path(model, depth: int = 2) -> str | None:
    """The ORM path from ``model`` to its Subject, or None when rows are not tied to one."""
    fields = {f.name: f for f in model._meta.concrete_fields}
    subj = fields.get("subject")
    if subj is not None and subj.is_relation and subj.related_model is Subject:
        return "subject"
    if depth == 0:
        return None
    for f in model._meta.concrete_fields:
        if f.is_relation and (f.many_to_one or f.one_to_one):
            target = f.related_model
            if target is Subject or target is model:
                continue
            inner = _subject_path(target, depth - 1)
            if inner:
                return f"{f.name}__{inner}"
    return None


def _is_derived(name: str, personal_fields: dict) -> bool:
    """A blind index (``email_index`` of ``email``) repeats another item in keyed-hash form."""
    return name.endswith("_index") and name[: -len("_index")] in personal_fields


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def _display(row, name: str, decl: registry.Personal, value) -> tuple[str, object]:
    key = f"{row._meta.label_lower}.{name}"
    if key in _presenters:
        return _presenters[key](row, value), (None if decl.category.startswith(SECRET_PREFIX)
                                              else value)
    if decl.category.startswith(SECRET_PREFIX):
        if not value:
            return "", None
        return "Set (not shown)", None
    if decl.category == CARD_TOKEN:
        return ("A reference held for the payment gateway (not shown; the card number "
                "itself is never stored)" if value else ""), value
    return _text(value), value


def items_for(subject: Subject | object) -> list[Item]:
    """Every personal data item held about ``subject`` (a Subject or its id)."""
    subject_id = getattr(subject, "pk", subject)
    out: list[Item] = []
    for entry in registry.entries():
        personal_fields = entry.personal_fields()
        if not personal_fields:
            continue
        path = _subject_path(entry.model)
        if path is None:
            continue
        meta = entry.model._meta
        rows = entry.model._default_manager.filter(**{path: subject_id}).order_by("pk")
        for row in rows:
            for name, decl in personal_fields.items():
                if _is_derived(name, personal_fields):
                    continue
                if meta.get_field(name).many_to_many:
                    continue
                value, raw = _display(row, name, decl, getattr(row, name))
                out.append(Item(
                    app=meta.app_label, model=meta.object_name, field=name,
                    label=decl.label or meta.get_field(name).verbose_name.capitalize(),
                    value=value, category=decl.category, purposes=decl.purposes, raw=raw,
                    row=row.pk, section=str(meta.verbose_name).capitalize(),
                ))
    return out


def sections(items: list[Item], first: tuple[str, ...] = ()) -> list[tuple[str, list[Item]]]:
    """Group items by the row they come from, models named in ``first`` ("app.Model") first."""
    groups: dict[tuple, list[Item]] = {}
    for item in items:
        groups.setdefault((f"{item.app}.{item.model}", item.row), []).append(item)
    rank = {name: i for i, name in enumerate(first)}
    ordered = sorted(groups.items(), key=lambda kv: (rank.get(kv[0][0], len(rank)), kv[0][0]))
    return [(group[0].section, group) for _, group in ordered]
