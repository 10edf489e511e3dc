"""Controller roles in the data map (issue 14, Deliver 3): every personal field has its
controller per relationship. Relationship data is ours for our customers and the reseller's
for its customers; registration data stays ours as registrar for everyone."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from hostpact.domains.tests.helpers import register
from hostpact.privacy import controllers, registry
from hostpact.privacy.rights.export.queries import build_export, registrar_sections
from hostpact.resellers.tests.helpers import make_customer, make_reseller
from hostpact.testing.factories import make_subscriber

pytestmark = [pytest.mark.django_db, pytest.mark.commitment("C38")]
REGISTRATION_APPS = {"domains", "domain_complaints", "rds"}
OURS = {"hostpact", "hostpact as registrar"}


def _personal_rows():
    return [r for r in registry.rows() if r["personal"]]


def test_every_personal_field_has_its_controller_per_relationship():
    """For our customer every personal field is ours; for a reseller's customer relationship
    data is the reseller's and registration data ours as registrar."""
    reseller = controllers.Controller(name="Acme Hosting", contact_name="DPO",
                                      email="dpo@acme.example", address="1 Road", realm_id=1)
    rows = _personal_rows()
    assert rows
    for row in rows:
        assert row["controller"] in (controllers.RELATIONSHIP, controllers.REGISTRAR), row
        assert controllers.label_of(row["controller"], None) in OURS
        theirs = controllers.label_of(row["controller"], reseller)
        if row["app"] in REGISTRATION_APPS:
            assert row["controller"] == controllers.REGISTRAR, row
            assert theirs == "hostpact as registrar"
        else:
            assert row["controller"] == controllers.RELATIONSHIP, row
            assert theirs == "Acme Hosting (we process it for them)"


def test_the_datamap_command_shows_each_fields_controller_kind():
    """``hostpact datamap`` has a controller column; ``--format json`` gives each personal
    field's controller kind."""
    table = StringIO()
    call_command("datamap", stdout=table)
    assert "controller" in table.getvalue() and "registrar" in table.getvalue()
    out = StringIO()
    call_command("datamap", "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    kinds = {(r["app"], r["model"]): r["controller"] for r in rows if r["personal"]}
    assert kinds[("domains", "Domain")] == controllers.REGISTRAR
    assert kinds[("accounts", "Profile")] == controllers.RELATIONSHIP


def test_the_resolver_gives_the_resellers_controller_contact():
    """A reseller's realm resolves to its controller contact and the forwarding page; the
    platform's own realm to None (we are the controller)."""
    acme = make_reseller(name="Acme Hosting", controller_name="Priya Data",
                         controller_email="dpo@acme.example", controller_address="7 Lane")
    found = controllers.for_realm(acme.realm_id)
    assert (found.name, found.contact_name, found.email, found.address) == (
        "Acme Hosting", "Priya Data", "dpo@acme.example", "7 Lane")
    assert found.forward_url == "/panel/request-to-controller/"
    assert found.choice_url == "/stop-contact/"
    assert controllers.of_subject(make_customer(acme).subject_id) == found
    assert controllers.of_subject(make_subscriber().subject_id) is None


def test_the_export_marks_each_section_with_its_controller():
    """A reseller's customer's export names the reseller for their account and us as
    registrar for their domain; our own customer's names us."""
    acme = make_reseller(name="Acme Hosting")
    customer = make_customer(acme)
    register(customer)
    document = build_export(customer.subject_id)
    marks = document["controllers"]
    assert marks["accounts"]["Profile"]["controller"] == "Acme Hosting (we process it for them)"
    assert marks["domains"]["Domain"] == {"kind": "registrar",
                                          "controller": "hostpact as registrar"}
    assert {s["app"] for s in registrar_sections(document)} <= REGISTRATION_APPS
    ours = build_export(make_subscriber().subject_id)["controllers"]
    assert ours["accounts"]["Profile"]["controller"] == "hostpact"
