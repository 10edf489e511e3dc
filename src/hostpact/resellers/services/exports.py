"""The export a reseller receives of its customer's data: what it controls, nothing more.

The reseller is the controller of the data collected under its direction (policy 10.1), so its
export of a customer is the rights engine's export (``build_export``) cut down to the sections
whose models are relationship-controlled and to the categories its reseller agreement covers.
Registration data of domains is the platform's as registrar and stays out: the document says
so. The export is a disclosure to the reseller (recorded through ``touches.record_touch``), and
downloading it marks the customer's open offboarding as exported.
"""

from django.apps import apps
from django.db import transaction

from hostpact.core import clock
from hostpact.privacy import controllers, taxonomy
from hostpact.privacy.rights.export.queries import build_export
from hostpact.resellers.models import Offboarding, Reseller
from hostpact.resellers.services.touches import record_touch

FORMAT = "hostpact-reseller-export/1"
REGISTRAR_NOTE = ("Domain registration data is not part of this export: hostpact controls it "
                  "as registrar for every customer, under the registrar's rules, and the "
                  "customer asks hostpact for it.")
AGREEMENT_NOTE = ("Items outside the data categories of the reseller agreement are listed under "
                  "\"withheld\" and not exported.")


class ExportError(Exception):
    """An export that cannot be made; ``field`` names what is wrong."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message, self.field = message, field


def _covered(category: str, allowed) -> bool:
    return any(taxonomy.within(category, a) for a in allowed)


def _registrar(app: str, model_name: str) -> bool:
    return controllers.kind_of(apps.get_model(app, model_name)) == controllers.REGISTRAR


def export_customer(reseller: Reseller, customer, *, actor: str) -> dict:
    """Return the export document of the data ``reseller`` controls about ``customer`` (one
    of its own; anyone else's raises ``ExportError``), record the disclosure to it and mark
    the customer's open offboarding exported."""
    if customer is None or customer.realm_id is None or customer.realm_id != reseller.realm_id:
        raise ExportError("No such customer of yours.", "customer")
    full = build_export(customer.subject_id)
    allowed = list(reseller.recipient.allowed_categories)
    sections, withheld, registrar, categories = {}, list(full["withheld"]), [], set()
    for app, models in full["sections"].items():
        for model_name, records in models.items():
            if _registrar(app, model_name):
                registrar.append({"app": app, "model": model_name, "records": len(records),
                                  "controller": controllers.describe(controllers.REGISTRAR)})
                continue
            kept_records = []
            for record in records:
                items = []
                for item in record["items"]:
                    if _covered(item["category"], allowed):
                        items.append(item)
                        categories.add(item["category"])
                    else:
                        withheld.append({"app": app, "model": model_name,
                                         "field": item["field"], "label": item["label"],
                                         "category": item["category"],
                                         "reason": "not exported: outside the reseller "
                                                   "agreement's categories"})
                if items:
                    kept_records.append({**record, "items": items})
            if kept_records:
                sections.setdefault(app, {})[model_name] = kept_records
    withheld = [w for w in withheld if not _registrar(w["app"], w["model"])]
    header = full["export"]
    document = {
        "export": {**header, "format": FORMAT, "reseller": reseller.name,
                   "notes": [f"The data {reseller.name} controls about its customer "
                             f"{header['customer_id']}, which hostpact processes on its "
                             "behalf.", REGISTRAR_NOTE, AGREEMENT_NOTE, *header["notes"][1:]]},
        "sections": sections,
        "withheld": withheld,
        "registrar_data": registrar,
    }
    with transaction.atomic():
        record_touch(reseller, [customer.subject_id], sorted(categories) or ["user.account"],
                     actor=actor)
        Offboarding.objects.filter(reseller=reseller, subject_id=customer.subject_id,
                                   state=Offboarding.State.OFFERED,
                                   exported_at__isnull=True).update(exported_at=clock.now())
    return document
