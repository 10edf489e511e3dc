"""Access and portability (policy section 8, commitment C32): everything held about one subject.

``build_export(subject_id)`` walks the data map through ``subject_data.items_for``, so a field an
app declares personal appears in the export on its own; nothing here lists fields by hand. Each
value comes with what the data map says about it (label, category, purposes, retention period,
erasure method). Beside the data it adds who received it (the disclosures ledger) and which staff
looked at it (``staff.read`` events of the audit ledger).

The function only reads: the API and panel views write the ``rights.export`` audit event. It runs
a fixed number of queries whatever the subject holds (one per data-map model, two on the audit
ledger, one for staff roles), because the export of one subscriber must stay under 200 ms.
"""

import datetime
import decimal
import json
import uuid
from collections import OrderedDict

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from hostpact.core import clock
from hostpact.core.customer_ids import customer_id_for
from hostpact.core.models import AuditEntry
from hostpact.privacy import controllers, registry, subject_data
from hostpact.privacy import retention as retention_

FORMAT = "hostpact-export/1"
STAFF_READ = "staff.read"
RECENT_READS = 50

CREDENTIALS_NOTE = ("Credentials are not exported: password hash and two-factor secrets are not "
                    "exported, nor the keys of signed-in sessions. The list \"withheld\" says "
                    "which of them we hold.")
CARD_TOKEN_NOTE = ("The token our payment gateway gave for your card is not exported: it is a "
                   "reference usable only with our gateway account. The card number itself is "
                   "never stored.")
# Withheld categories: credentials (a copy would be a way in) and the gateway's card token.
_WITHHELD = {
    subject_data.SECRET_PREFIX: "a credential",
    subject_data.CARD_TOKEN: "a payment gateway reference",
}


def _withheld_reason(category: str) -> str | None:
    for prefix, reason in _WITHHELD.items():
        if category == prefix or category.startswith(prefix + "."):
            return reason
    return None


def jsonable(value):
    """A value the JSON encoder takes as is: dates in ISO 8601, amounts as exact strings."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return str(value)


def _describe(decl: registry.Personal) -> dict:
    klass = retention_.get(decl.retention)
    return {
        "category": decl.category,
        "purposes": list(decl.purposes),
        "retention": decl.retention,
        "retention_period": klass.period,
        "erasure": str(decl.erasure),
        "legal_basis": decl.legal_basis,
    }


def _sections(subject_id) -> tuple[dict, list[dict]]:
    """``{app: {Model: [record, ...]}}`` of every personal value, and the withheld items."""
    sections: dict[str, dict[str, list[dict]]] = OrderedDict()
    withheld: list[dict] = []
    described: dict[tuple[str, str, str], dict] = {}
    records: dict[tuple[str, str, object], dict] = {}
    for item in subject_data.items_for(subject_id):
        key = (item.app, item.model, item.field)
        if key not in described:
            model = apps.get_model(item.app, item.model)
            described[key] = _describe(registry.for_model(model).fields[item.field])
        reason = _withheld_reason(item.category)
        if reason is not None:
            withheld.append({"app": item.app, "model": item.model, "field": item.field,
                             "label": item.label, "category": item.category,
                             "held": item.value or "not held",
                             "reason": f"not exported: {reason}"})
            continue
        record = records.get((item.app, item.model, item.row))
        if record is None:
            record = {"id": jsonable(item.row), "items": []}
            records[(item.app, item.model, item.row)] = record
            sections.setdefault(item.app, OrderedDict()).setdefault(item.model, []).append(record)
        record["items"].append({"field": item.field, "label": item.label,
                                "value": jsonable(item.raw), **described[key]})
    return _ordered(sections), withheld


def _ordered(sections: dict) -> dict:
    """Apps and their models in the order the apps registered (``registry.section``): who the
    person is first, then the rest in data-map order. An app goes where its first model does."""
    def rank(app: str, model: str):
        return registry.section_rank(apps.get_model(app, model))

    models_of = {app: sorted(models, key=lambda m, app=app: rank(app, m))
                 for app, models in sections.items()}
    out = OrderedDict()
    for app in sorted(sections, key=lambda a: (rank(a, models_of[a][0]), a)):
        out[app] = OrderedDict((m, sections[app][m]) for m in models_of[app])
    return out


def _staff_roles(actors: set[str]) -> dict[str, list[str]]:
    """Role names of the staff actors (``staff:<pk>``), in one query."""
    from hostpact.privacy.roles import ROLES

    User = get_user_model()

    pks = {int(a.split(":", 1)[1]) for a in actors
           if a.startswith("staff:") and a.split(":", 1)[1].isdigit()}
    if not pks:
        return {}
    out: dict[str, list[str]] = {f"staff:{pk}": [] for pk in pks}
    through = User.groups.through
    for user_id, name in (through.objects.filter(user_id__in=pks, group__name__in=list(ROLES))
                          .values_list("user_id", "group__name")):
        out[f"staff:{user_id}"].append(name)
    superusers = User.objects.filter(pk__in=pks, is_superuser=True).values_list("pk", flat=True)
    for pk in superusers:
        out[f"staff:{pk}"].append("superuser")
    return {k: sorted(v) for k, v in out.items()}


def staff_reads(subject_id) -> dict:
    """How often staff opened the subject's data, by month, and the latest reads in detail."""
    reads = AuditEntry.objects.filter(subject_id=subject_id, action=STAFF_READ)
    by_month = (reads.order_by().annotate(month=TruncMonth("at"))
                .values("month").annotate(count=Count("id")).order_by("month"))
    months = [{"month": row["month"].strftime("%Y-%m"), "count": row["count"]}
              for row in by_month]
    recent = list(reads.order_by("-seq").values("at", "actor", "fields", "object_ref")
                  [:RECENT_READS])
    roles = _staff_roles({r["actor"] for r in recent})
    return {
        "total": sum(m["count"] for m in months),
        "by_month": months,
        "recent": [{"date": timezone.localtime(r["at"]).isoformat(), "actor": r["actor"],
                    "roles": roles.get(r["actor"], []), "fields": list(r["fields"]),
                    "record": r["object_ref"]} for r in recent],
        "note": (f"Each time a member of staff opened a page showing your data, the audit "
                 f"ledger recorded who (by staff id and role) and which fields, never the "
                 f"values. The latest {RECENT_READS} are listed."),
    }


def disclosures(subject_id) -> list[dict]:
    """Every disclosure of the subject's data the subject may see (the disclosures ledger)."""
    from hostpact.privacy.disclosures.services import for_subject

    return jsonable(list(for_subject(subject_id, for_subject_view=True)))


def policy_version() -> dict | None:
    """The version of the privacy policy in force now, if one is published."""
    from hostpact.privacy.policy.models import PolicyVersion

    version = (PolicyVersion.objects.filter(effective_at__lte=clock.now())
               .order_by("-effective_at", "-number").only("number", "title", "effective_at")
               .first())
    if version is None:
        return None
    return {"number": version.number, "title": version.title,
            "effective_at": jsonable(version.effective_at)}


def section_controllers(sections: dict, controller: controllers.Controller | None) -> dict:
    """``{app: {Model: {"kind", "controller"}}}``: who controls each section's data for this
    subject (policy 10.1): the reseller whose customer they are for relationship data, we as
    registrar for registration data, else us."""
    out: dict[str, dict[str, dict]] = {}
    for app, models in sections.items():
        for name in models:
            kind = controllers.kind_of(apps.get_model(app, name))
            out.setdefault(app, {})[name] = {"kind": kind,
                                             "controller": controllers.label_of(kind, controller)}
    return out


def _customer_id(subject_id) -> str | None:
    pk = get_user_model().objects.filter(subject_id=subject_id).values_list("pk", flat=True).first()
    return customer_id_for(pk) if pk is not None else None


def build_export(subject_id) -> dict:
    """One JSON-ready document of everything held about ``subject_id``, a section per app."""
    subject_id = uuid.UUID(str(subject_id))
    sections, withheld = _sections(subject_id)
    controller = controllers.of_subject(subject_id)
    return {
        "export": {
            "format": FORMAT,
            "generated_at": clock.now().isoformat(),
            "customer_id": _customer_id(subject_id),
            "subject_id": str(subject_id),
            "policy_version": policy_version(),
            "notes": [
                "Every item of personal data hostpact holds about you, generated from our data "
                "map: each value with its category, what it is used for, how long it is kept "
                "and what happens to it when you ask us to erase your data.",
                CREDENTIALS_NOTE,
                CARD_TOKEN_NOTE,
            ],
        },
        "sections": sections,
        "controllers": section_controllers(sections, controller),
        "withheld": withheld,
        "disclosures": disclosures(subject_id),
        "staff_reads": staff_reads(subject_id),
    }


def to_json(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def filename(document: dict, ext: str) -> str:
    who = document["export"]["customer_id"] or document["export"]["subject_id"]
    return f"hostpact-export-{who}.{ext}"


# --- for the HTML page ---------------------------------------------------------------------

def _app_title(label: str) -> str:
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label


def _model_title(app: str, model: str) -> str:
    try:
        return str(apps.get_model(app, model)._meta.verbose_name).capitalize()
    except LookupError:
        return model


def html_sections(document: dict) -> list[dict]:
    """The sections as lists the template iterates (no dict keys that clash with methods)."""
    out = []
    marks = document.get("controllers", {})
    for app, models in document["sections"].items():
        out.append({
            "app": app, "title": _app_title(app),
            "models": [{"model": name, "title": _model_title(app, name), "records": records,
                        **marks.get(app, {}).get(name, {})}
                       for name, records in models.items()],
        })
    return out


def registrar_sections(document: dict) -> list[dict]:
    """The HTML sections holding only the data we control as registrar, for a subject whose
    other data another controller (their reseller) controls."""
    out = []
    for section in html_sections(document):
        models = [m for m in section["models"] if m.get("kind") == controllers.REGISTRAR]
        if models:
            out.append({**section, "models": models})
    return out
