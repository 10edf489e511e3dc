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
from django.utils.translation import get_language

from hostpact.core.models import Subject
from hostpact.core.prepared import Prepared
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
    model_class: type | None = None


# "app.model.field" -> fn(row, value) -> display text. Apps may add their own.
Presenter = Callable[[models.Model, object], str]
_presenters: dict[str, Presenter] = {}
_exported_as_shown: set[str] = set()


def presenter(model, field_name: str, *, exported: bool = False):
    """Register how a field is shown on a page (a decorator); ``exported``: the export holds
    the same text instead of the raw value (a link whose meaning is the row it stands for)."""
    def wrap(fn: Presenter) -> Presenter:
        key = f"{model._meta.label_lower}.{field_name}"
        _presenters[key] = fn
        if exported:
            _exported_as_shown.add(key)
        return fn
    return wrap


def subject_path(model, depth: int = 2) -> str | None:
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
            inner = subject_path(target, depth - 1)
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
        shown = _presenters[key](row, value)
        if key in _exported_as_shown:
            return shown, shown
        return shown, (None if decl.category.startswith(SECRET_PREFIX) else value)
    if decl.category.startswith(SECRET_PREFIX):
        if not value:
            return "", None
        return "Set (not shown)", None
    if decl.category == CARD_TOKEN:
        return ("A reference held for the payment gateway (not shown; the card number "
                "itself is never stored)" if value else ""), value
    return _text(value), value


def _plan(entry) -> tuple[str, list[tuple[str, registry.Personal, str]]] | None:
    """(ORM path to the subject, [(field, declaration, label)]) of one data-map entry."""
    personal_fields = entry.personal_fields()
    if not personal_fields:
        return None
    path = subject_path(entry.model)
    if path is None:
        return None
    meta = entry.model._meta
    fields = []
    for name, decl in personal_fields.items():
        if _is_derived(name, personal_fields) or meta.get_field(name).many_to_many:
            continue
        fields.append((name, decl, decl.label or meta.get_field(name).verbose_name.capitalize()))
    return path, fields


@dataclass(frozen=True)
class _ModelPlan:
    entry: registry.ModelMap
    path: str
    fields: list[tuple[str, registry.Personal, str]]
    section: str
    rows: Prepared  # the subject's rows, by primary key


_plans_by_key: dict[tuple, list[_ModelPlan]] = {}


def _plans() -> list[_ModelPlan]:
    """The walk over the data map, worked out once per language (labels are translated)."""
    current = registry.entries()
    key = (get_language(), tuple(map(id, current)))
    found = _plans_by_key.get(key)
    if found is None:
        found = []
        for entry in current:
            plan = _plan(entry)
            if plan is None:
                continue
            path, fields = plan
            found.append(_ModelPlan(
                entry=entry, path=path, fields=fields,
                section=registry.section_of(entry.model).title,
                rows=Prepared(lambda p, m=entry.model, path=path: m._default_manager.filter(
                    **{path: p("subject", Subject._meta.pk)}).order_by("pk"))))
        _plans_by_key[key] = found
    return found


_probes: dict[tuple, Prepared] = {}


def _models_with_rows(plans: list[_ModelPlan], subject_id) -> set[int]:
    """Indexes of ``plans`` whose model holds a row of the subject: one query for them all.

    A subscriber has rows in a handful of the mapped models; asking each empty one on its own
    cost a query per model on every "My information" page.
    """
    if not plans:
        return set()
    key = tuple((plan.entry.model._meta.label_lower, plan.path) for plan in plans)
    probe = _probes.get(key)
    if probe is None:
        probe = _probes[key] = Prepared(lambda p: Subject.objects.filter(
            pk=p("subject", Subject._meta.pk)).values(**{
                f"m{i}": models.Exists(plan.entry.model._default_manager.filter(
                    **{plan.path: models.OuterRef("pk")})) for i, plan in enumerate(plans)}))
    found = probe.rows(subject=subject_id, using=Subject.objects.db)
    if not found:  # no Subject row: nothing can point at it
        return set()
    return {i for i, v in enumerate(found[0]) if v}


def items_for(subject: Subject | object, *, known=()) -> list[Item]:
    """Every personal data item held about ``subject`` (a Subject or its id).

    ``known``: rows the caller has loaded already (the request's user, say). A model with a row
    in ``known`` is taken to hold exactly those rows of the subject and is not queried again;
    pass only rows tied to the subject one to one.
    """
    subject_id = getattr(subject, "pk", subject)
    given: dict[type, list[models.Model]] = {}
    for row in known:
        given.setdefault(row.__class__._meta.concrete_model, []).append(row)
    plans = _plans()
    to_query = [plan for plan in plans if plan.entry.model not in given]
    present = {id(to_query[i]) for i in _models_with_rows(to_query, subject_id)}
    out: list[Item] = []
    for plan in plans:
        model = plan.entry.model
        if model in given:
            rows = sorted(given[model], key=lambda r: r.pk)
        elif id(plan) in present:
            rows = plan.rows.all(subject=subject_id, using=model._default_manager.db)
        else:
            continue
        app, model_name, section = model._meta.app_label, model._meta.object_name, plan.section
        for row in rows:
            for name, decl, label in plan.fields:
                value, raw = _display(row, name, decl, getattr(row, name))
                out.append(Item(
                    app=app, model=model_name, field=name, label=label, value=value,
                    category=decl.category, purposes=decl.purposes, raw=raw, row=row.pk,
                    section=section, model_class=model,
                ))
    return out


def sections(items: list[Item]) -> list[tuple[registry.Section, list[Item]]]:
    """Group items by the row they come from, in the order the apps registered
    (``registry.section``), each group with its section's title."""
    groups: dict[tuple, list[Item]] = {}
    for item in items:
        groups.setdefault((item.model_class, item.row), []).append(item)
    ordered = sorted(groups.items(), key=lambda kv: registry.section_rank(kv[0][0]))
    return [(registry.section_of(model), group) for (model, _), group in ordered]
