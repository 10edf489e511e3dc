"""The export a reseller receives of its customer (C41's offer, policy 10.1): the data it
controls, never the registration data the platform keeps as registrar, and never anyone
else's customer; each export is a disclosure to the reseller."""

import pytest

from hostpact.domains.tests.helpers import register
from hostpact.privacy.disclosures.models import Disclosure
from hostpact.resellers.services import exports
from hostpact.resellers.tests.helpers import make_customer, make_reseller
from hostpact.testing import factories

pytestmark = [pytest.mark.django_db, pytest.mark.commitment("C41")]


def test_the_export_holds_the_relationship_data_and_leaves_registration_data_out():
    """The account sections are in; the domain and its contacts are the registrar's, named
    under "registrar_data" and in a note, with none of their values."""
    reseller = make_reseller()
    customer = make_customer(reseller)
    register(customer, "customer-shop.test")
    document = exports.export_customer(reseller, customer, actor="reseller-user:7")
    assert document["export"]["format"] == exports.FORMAT
    assert exports.REGISTRAR_NOTE in document["export"]["notes"]
    assert "accounts" in document["sections"] and "domains" not in document["sections"]
    assert {r["model"] for r in document["registrar_data"]} >= {"Domain", "Contact"}
    assert "customer-shop.test" not in str(document["sections"])
    assert customer.email in str(document["sections"])


def test_each_export_is_disclosed_to_the_reseller():
    """The reseller appears in the customer's disclosures, as its panel user."""
    reseller = make_reseller()
    customer = make_customer(reseller)
    exports.export_customer(reseller, customer, actor="reseller-user:7")
    disclosure = Disclosure.objects.get(recipient=reseller.recipient)
    assert [link.subject_id for link in disclosure.links.all()] == [customer.subject_id]
    assert disclosure.actor == "reseller-user:7"


def test_another_resellers_customer_is_refused():
    """Someone else's customer, or ours, cannot be exported by a reseller: nothing disclosed."""
    mine, theirs = make_reseller(), make_reseller()
    for stranger in (make_customer(theirs), factories.make_subscriber()):
        with pytest.raises(exports.ExportError):
            exports.export_customer(mine, stranger, actor="reseller-user:7")
    assert not Disclosure.objects.filter(recipient=mine.recipient).exists()
