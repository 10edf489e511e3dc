"""The data map: every model field, declared personal or not personal, in one registry.

Each app's ``datamap.py`` calls ``declare(Model, field=personal(...)|not_personal(...), ...)``.
Export, erasure, retention, the staff-role field filter, the panel's "My information" and
``hostpact datamap`` all read this registry; ``undeclared()`` names any field left out.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.apps import apps
from django.db import models

from hostpact.privacy import retention as retention_
from hostpact.privacy import taxonomy


class Erasure(StrEnum):
    DELETE = "delete"
    ANONYMISE = "anonymise"
    SHRED = "crypto-shred"
    KEEP = "keep-under-legal-basis"


@dataclass(frozen=True)
class Personal:
    category: str
    subject: str
    purposes: tuple[str, ...]
    retention: str
    erasure: Erasure
    label: str = ""
    legal_basis: str = ""

    @property
    def personal(self) -> bool:
        return True


@dataclass(frozen=True)
class NotPersonal:
    reason: str = ""

    @property
    def personal(self) -> bool:
        return False


def personal(category, *, subject="subscriber", purposes=("essential.service",),
             retention="account", erasure=Erasure.SHRED, label="", legal_basis=""):
    """Declare a personal field; every key is checked against the taxonomy."""
    taxonomy.check("data_category", category)
    taxonomy.check("data_subject", subject)
    for use in purposes:
        taxonomy.check("data_use", use)
    basis = legal_basis or retention_.get(retention).legal_basis
    if erasure == Erasure.KEEP and not basis:
        raise ValueError(f"{category}: keep-under-legal-basis needs a legal basis")
    return Personal(category, subject, tuple(purposes), retention, Erasure(erasure), label, basis)


def not_personal(reason=""):
    return NotPersonal(reason)


@dataclass
class ModelMap:
    model: type[models.Model]
    fields: dict[str, Personal | NotPersonal] = field(default_factory=dict)

    def personal_fields(self) -> dict[str, Personal]:
        return {k: v for k, v in self.fields.items() if v.personal}


_registry: dict[str, ModelMap] = {}


def _key(model) -> str:
    return model._meta.label_lower


def model_fields(model) -> list[str]:
    """The fields of ``model`` that hold data: concrete columns and many-to-many relations."""
    meta = model._meta
    return [f.name for f in meta.concrete_fields] + [f.name for f in meta.local_many_to_many]


def declare(model, /, **declarations):
    """Declare fields of ``model``; fail on a name that is not one of its fields."""
    known = set(model_fields(model))
    unknown = set(declarations) - known
    if unknown:
        raise ValueError(f"{model._meta.label}: no such fields {sorted(unknown)}")
    for name, decl in declarations.items():
        _check_encryption(model, name, decl)
    entry = _registry.setdefault(_key(model), ModelMap(model))
    entry.fields.update(declarations)


def _check_encryption(model, name, decl):
    from hostpact.core.fields import EncryptedTextField

    f = model._meta.get_field(name)
    if isinstance(f, EncryptedTextField):
        if not decl.personal:
            raise ValueError(f"{model._meta.label}.{name} is encrypted but declared not personal")
        if f.retention_class != decl.retention:
            raise ValueError(
                f"{model._meta.label}.{name}: encrypted under class {f.retention_class!r} "
                f"but declared retention {decl.retention!r}"
            )


def entries() -> list[ModelMap]:
    return sorted(_registry.values(), key=lambda e: _key(e.model))


def for_model(model) -> ModelMap:
    return _registry[_key(model)]


def undeclared() -> list[str]:
    """Every ``app.Model.field`` of every installed model that no datamap declares."""
    missing = []
    for model in apps.get_models(include_auto_created=True):
        declared = _registry.get(_key(model))
        for name in model_fields(model):
            if declared is None or name not in declared.fields:
                missing.append(f"{model._meta.label}.{name}")
    return missing


def rows():
    """One flat row per declared field, for ``hostpact datamap`` and the policy annex."""
    out = []
    for entry in entries():
        meta = entry.model._meta
        for name, decl in entry.fields.items():
            row = {"app": meta.app_label, "model": meta.object_name, "field": name,
                   "personal": decl.personal}
            if decl.personal:
                row.update(category=decl.category, subject=decl.subject,
                           purposes=list(decl.purposes), retention=decl.retention,
                           retention_period=retention_.get(decl.retention).period,
                           erasure=str(decl.erasure), legal_basis=decl.legal_basis)
            else:
                row["reason"] = decl.reason
            out.append(row)
    return out
