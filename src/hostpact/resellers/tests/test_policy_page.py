"""The privacy page on a reseller's host: the platform's commitments under the reseller's
brand, who controls the visitor's data there, and the reseller's own additions (policy 10.1)."""

from datetime import timedelta

import pytest
from django.test import Client

from hostpact.core import clock
from hostpact.privacy import controllers
from hostpact.privacy.policy.services import publish_version
from hostpact.resellers import hosts
from hostpact.resellers.services.brand import save_settings
from hostpact.resellers.tests.helpers import make_reseller

pytestmark = pytest.mark.django_db
ADDITIONS = ("## Our own promises\n\nWe never call you to sell anything. "
             "<script>alert(1)</script> [Our terms](https://lotus.example/terms)")


@pytest.fixture(autouse=True)
def _fresh_hosts():
    hosts.forget()
    yield
    hosts.forget()


@pytest.fixture
def shop():
    reseller = make_reseller(name="Lotus Web Pvt Ltd", host="lotus.example")
    save_settings(reseller, {
        "brand_name": "Lotus Web", "controller_name": "Anita Rao, data protection officer",
        "controller_email": "privacy@lotus.example",
        "controller_address": "12 Lake Road\nPune 411001", "policy_additions": ADDITIONS,
    }, actor="system")
    hosts.forget()
    publish_version(title="Privacy policy", text="# Privacy policy\n\nWe keep our promises.",
                    effective_at=clock.now() + timedelta(minutes=1), actor="system")
    with clock.freeze(clock.now() + timedelta(days=1)):  # the version is in force
        yield reseller


@pytest.fixture
def resolver(shop):
    """Answer the reseller's controller from its row, as the resellers app's resolver does;
    the resolver in place before is restored after."""
    before = controllers._resolver

    def of_realm(realm_id):
        if realm_id != shop.realm_id:
            return None
        return controllers.Controller(
            name=shop.name, contact_name=shop.controller_name, email=shop.controller_email,
            address=shop.controller_address, realm_id=shop.realm_id,
            policy_additions=shop.policy_additions)

    controllers.register_resolver(of_realm)
    yield
    controllers.register_resolver(before)


def test_the_resellers_policy_page_names_its_controller_and_its_additions(shop, resolver):
    """/policy/ on the reseller's host shows the policy in force under its brand, the
    reseller as controller with its email and postal address, the platform's role, and the
    reseller's additions as safe HTML."""
    page = Client(HTTP_HOST="lotus.example").get("/policy/")
    html = page.content.decode()
    assert page.status_code == 200 and "Privacy policy · Lotus Web</title>" in html
    assert "We keep our promises." in html and "Who controls your data" in html
    assert "Anita Rao, data protection officer" in html and "privacy@lotus.example" in html
    assert "12 Lake Road<br>Pune 411001" in html
    assert "under Lotus Web's direction" in html and "as the registrar" in html
    assert "<h3>Our own promises</h3>" in html and "We never call you" in html
    assert "<script>alert(1)" not in html and 'href="https://lotus.example/terms"' in html


def test_our_policy_page_has_no_reseller_section(shop, resolver):
    """On our own host the platform is the controller: no reseller's section."""
    html = Client().get("/policy/").content.decode()
    assert "Who controls your data" not in html and "Anita Rao" not in html
    assert "We keep our promises." in html
