"""The registries the apps fill and the privacy spine reads, so the spine imports no app.

Each app's ``datamap.py`` (imported by ``PrivacyConfig.ready``) fills them for its own models:

* the data map: ``declare(Model, field=personal(...)|not_personal(...), ...)`` for every model
  field. Export, erasure, retention, the staff-role field filter, "My information" and
  ``hostpact datamap`` read it; ``undeclared()`` names any field left out;
* ``erasure_step``: what erasing a subject does beyond the data map's per-field methods
  (ending sessions, revoking tokens, closing the account);
* ``erasure_precondition``: what must be settled, by the subscriber's own choice, before
  their erasure may begin (each blocker says what and links to where it is settled);
* ``section``: the title and place of a model's rows in the export and "My information";
* ``corrector``: where the subscriber corrects a model's fields, and the form and service
  staff use to correct them for a data-subject request;
* ``subscriber_inline``: the rows shown on a subscriber's back-office page;
* ``back_office``: which staff roles may open an app's (or a model's) pages in the back office
  (what they see there is the roles' categories, from the data map).

``declare_proprietary`` declares an aggregate table: the host's proprietary counts, about no one.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.apps import apps
from django.conf import settings
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
    coarsen: object = None  # a privacy.coarsening rule (ip_prefix), applied by retention

    @property
    def personal(self) -> bool:
        return True


@dataclass(frozen=True)
class NotPersonal:
    reason: str = ""
    proprietary: bool = False  # an aggregate table: the host's proprietary information (3.1)

    @property
    def personal(self) -> bool:
        return False


def personal(category, *, subject="subscriber", purposes=("essential.service",),
             retention="account", erasure=Erasure.SHRED, label="", legal_basis="",
             coarsen=None):
    """Declare a personal field; every key is checked against the taxonomy. ``coarsen``
    (``privacy.coarsening.ip_prefix(days=7)``) makes the value less precise on schedule."""
    taxonomy.check("data_category", category)
    taxonomy.check("data_subject", subject)
    for use in purposes:
        taxonomy.check("data_use", use)
    basis = legal_basis or retention_.get(retention).legal_basis
    if erasure == Erasure.KEEP and not basis:
        raise ValueError(f"{category}: keep-under-legal-basis needs a legal basis")
    return Personal(category, subject, tuple(purposes), retention, Erasure(erasure), label, basis,
                    coarsen)


def not_personal(reason=""):
    return NotPersonal(reason)


def declare_proprietary(model, /, reason: str):
    """Declare every field of the aggregate table ``model`` not personal and the table
    proprietary (policy 3.1); refuse a table related to a subject or an account."""
    people = {"core.subject", settings.AUTH_USER_MODEL.lower()}
    for f in model._meta.get_fields():
        if f.related_model and f.related_model._meta.label_lower in people:
            raise ValueError(f"{model._meta.label}.{f.name}: an aggregate carries no subject")
    declare(model, **{name: NotPersonal(reason, True) for name in model_fields(model)})


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
    from hostpact.privacy import controllers

    out = []
    for entry in entries():
        meta = entry.model._meta
        controller = controllers.kind_of(entry.model)
        for name, decl in entry.fields.items():
            row = {"app": meta.app_label, "model": meta.object_name, "field": name,
                   "personal": decl.personal}
            if decl.personal:
                row.update(category=decl.category, subject=decl.subject,
                           purposes=list(decl.purposes), retention=decl.retention,
                           retention_period=_period_text(decl),
                           coarsening=decl.coarsen.description if decl.coarsen else "",
                           erasure=str(decl.erasure), legal_basis=decl.legal_basis,
                           controller=controller)
            else:
                row.update(reason=decl.reason, **({"proprietary": True} if decl.proprietary
                                                  else {}))
            out.append(row)
    return out


def _period_text(decl: Personal) -> str:
    period = retention_.get(decl.retention).period
    return f"{period}; {decl.coarsen.description}" if decl.coarsen else period


# --- erasure steps ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ErasureStep:
    name: str
    run: Callable  # run(ctx): ctx.subject_id, ctx.add(count_name, n), ctx.fields (names)


_erasure_steps: dict[str, ErasureStep] = {}


def erasure_step(name: str):
    """Register ``fn(ctx)`` as a step of every erasure (a decorator).

    Registered steps run in registration order, each in its own transaction, before the data
    map's rows are erased and the keys shredded; the name is recorded on the job so that a
    resumed job skips what is done, and must stay stable.
    """
    def wrap(fn):
        _erasure_steps[name] = ErasureStep(name, fn)
        return fn
    return wrap


def erasure_steps() -> list[ErasureStep]:
    return list(_erasure_steps.values())


# --- erasure preconditions ------------------------------------------------------------------

@dataclass(frozen=True)
class Blocker:
    """One thing standing in the way of an erasure: what it is, and the page (URL name and
    arguments) where the subscriber settles it."""

    text: str
    url_name: str = ""
    args: tuple = ()


class ErasureBlocked(Exception):
    """The subscriber must first settle ``blockers`` (``Blocker``): nothing began."""

    def __init__(self, blockers: list[Blocker]):
        super().__init__("Erasure cannot begin yet: " + "; ".join(b.text for b in blockers))
        self.blockers = blockers


_erasure_preconditions: dict[str, Callable] = {}


def erasure_precondition(name: str):
    """Register ``fn(user) -> list[Blocker]`` as a precondition of a requested erasure (a
    decorator).

    While any registered precondition answers a blocker, the subscriber's erasure request and
    staff's erasure for a request are refused with the blockers listed; the erasure engine
    itself (``erase_subject``) does not ask, so an erasure the law orders still runs.
    """
    def wrap(fn):
        _erasure_preconditions[name] = fn
        return fn
    return wrap


def erasure_blockers(user) -> list[Blocker]:
    """Return what stands in the way of erasing ``user``, from every registered precondition."""
    if user is None:
        return []
    return [b for fn in _erasure_preconditions.values() for b in fn(user)]


# --- sections of the export and "My information" -------------------------------------------

@dataclass(frozen=True)
class Section:
    title: str
    order: int = 1000
    collapsed: bool = False  # many rows shown as one section with a count (backup codes)


_sections: dict[str, Section] = {}


def section(model, title: str, *, order: int = 1000, collapsed: bool = False) -> None:
    """Give ``model``'s rows a title and a place (lower ``order`` first) on the subject's pages.

    Unregistered models follow the registered ones, titled by their verbose name.
    """
    _sections[_key(model)] = Section(title, order, collapsed)


def section_of(model) -> Section:
    key = _key(model)
    found = _sections.get(key)
    return found or Section(str(model._meta.verbose_name).capitalize())


def section_rank(model) -> tuple[int, str]:
    """The sort key that puts ``model``'s section in its place."""
    return section_of(model).order, _key(model)


# --- correctors -----------------------------------------------------------------------------

class CorrectionRefused(Exception):
    """A correction was refused; ``field`` names the field at fault. Nothing changed."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Corrector:
    model: type[models.Model]
    fields: tuple[str, ...] = ()  # the fields it corrects; empty: every field of the model
    url_name: str = ""  # the subscriber's own page that corrects them
    text: str = "Correct"  # the link's text on "My information"
    form: type | None = None  # the form staff fill in; its fields are named like the model's
    service: Callable | None = None  # service(subject_id, changes, actor) -> changed names

    def covers(self, field_name: str) -> bool:
        return not self.fields or field_name in self.fields


_correctors: dict[str, list[Corrector]] = {}


def corrector(model, *, fields=(), url_name="", text="Correct", form=None, service=None):
    """Register how ``model``'s ``fields`` (all when empty) are corrected.

    ``url_name`` is the page where the subscriber does it; ``form`` and ``service`` let staff
    do it for a data-subject request (``service`` raises ``CorrectionRefused``).
    """
    _correctors.setdefault(_key(model), []).append(
        Corrector(model, tuple(fields), url_name, text, form, service))


def corrector_for(model, field_name: str) -> Corrector | None:
    """The corrector of one field: one registered for the field itself before a model-wide one."""
    found = _correctors.get(_key(model), [])
    return (next((c for c in found if field_name in c.fields), None)
            or next((c for c in found if not c.fields), None))


def staff_correctors() -> list[Corrector]:
    """The correctors staff may use (they have a form and a service), in data-map order."""
    return [c for key in sorted(_correctors) for c in _correctors[key]
            if c.form is not None and c.service is not None]


# --- the subscriber's back-office page ------------------------------------------------------

@dataclass(frozen=True)
class Inline:
    model: type[models.Model]
    options: dict  # attributes of the inline admin (fk_name, ...)


_inlines: list[Inline] = []


def subscriber_inline(model, **options) -> None:
    """Show ``model``'s rows of a subscriber on the subscriber's back-office page."""
    if all(i.model is not model for i in _inlines):
        _inlines.append(Inline(model, options))


def subscriber_inlines() -> list[Inline]:
    return list(_inlines)


# --- which roles may open which back-office pages ----------------------------------------------

_back_office: dict[str, set[str]] = {}


def back_office(target, *, roles) -> None:
    """Let staff of ``roles`` open the back-office pages of ``target``: an app label, or a
    model. Which fields each sees there still follows its role's categories."""
    key = target if isinstance(target, str) else _key(target)
    _back_office.setdefault(key, set()).update(roles)


def back_office_roles(model) -> set[str]:
    """The roles that may open ``model``'s back-office pages."""
    meta = model._meta
    return _back_office.get(meta.app_label, set()) | _back_office.get(meta.label_lower, set())
