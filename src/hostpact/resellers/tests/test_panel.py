"""The reseller panel: pages per role, customers, keys shown once, members, settings."""

import io

import pytest
from django.test import Client

from hostpact.accounts.models import User
from hostpact.privacy.disclosures.models import Disclosure
from hostpact.resellers.models import ApiKey, Membership, RemovalRequest
from hostpact.resellers.services.keys import secret_hash
from hostpact.resellers.tests.helpers import make_customer, make_member, make_reseller
from hostpact.testing.factories import make_subscriber

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(reseller, rest=""):
    return f"/reseller/{reseller.slug}/{rest}"


def test_one_membership_goes_straight_to_its_dashboard():
    """/reseller/ redirects a user of one reseller to its dashboard."""
    reseller = make_reseller()
    resp = login(make_member(reseller)).get("/reseller/")
    assert resp.status_code == 302 and resp["Location"] == url(reseller)


def test_two_memberships_pick_one():
    """A user working for two resellers chooses between them."""
    a, b = make_reseller(name="Alpha Hosting"), make_reseller(name="Beta Hosting")
    user = make_member(a)
    from hostpact.resellers.services.members import add_member

    add_member(b, user, Membership.Role.SALES, actor="system")
    page = login(user).get("/reseller/").content.decode()
    assert "Alpha Hosting" in page and "Beta Hosting" in page


def test_the_dashboard_shows_open_removals_with_due_dates():
    """Open removal requests are listed with their due date."""
    from hostpact.resellers.services.removals import request_removal

    reseller = make_reseller()
    rr, _ = request_removal(reseller, make_customer(reseller), actor="system")
    page = login(make_member(reseller)).get(url(reseller)).content.decode()
    assert f"R-{rr.pk}" in page and f"{rr.due_on.day} {rr.due_on:%b %Y}" in page


@pytest.mark.parametrize(("role", "path", "status"), [
    (Membership.Role.SALES, "keys/", 403),
    (Membership.Role.SALES, "settings/", 403),
    (Membership.Role.SALES, "members/", 403),
    (Membership.Role.SALES, "removals/", 403),
    (Membership.Role.SUPPORT, "keys/", 403),
    (Membership.Role.SUPPORT, "customers/new/", 403),
    (Membership.Role.SALES, "customers/", 200),
    (Membership.Role.SUPPORT, "removals/", 200),
    (Membership.Role.OWNER, "keys/", 200),
    (Membership.Role.OWNER, "settings/", 200),
])
def test_pages_follow_the_role(role, path, status):
    """A role sees only the pages its rights give (403 for the others)."""
    reseller = make_reseller()
    assert login(make_member(reseller, role)).get(url(reseller, path)).status_code == status


def test_someone_not_working_for_the_reseller_gets_404():
    """Our own subscriber, not a member, cannot open a reseller's panel."""
    reseller = make_reseller()
    assert login(make_subscriber()).get(url(reseller)).status_code == 404


@pytest.mark.commitment("C38")
def test_a_customer_created_in_the_panel_is_in_the_resellers_realm():
    """The create form (labelled, no card) signs the customer up in the reseller's realm."""
    reseller = make_reseller()
    client = login(make_member(reseller, Membership.Role.SALES))
    form = client.get(url(reseller, "customers/new/")).content.decode()
    assert '<label for="id_email">' in form and "card_number" not in form
    resp = client.post(url(reseller, "customers/new/"), {
        "name": "Mira Example", "email": "mira@example.test", "phone": "+919876500000",
        "date_of_birth": "1988-04-02", "line1": "2 Hill Road", "city": "Pune",
        "postal_code": "411001", "country": "IN", "password": "correct-horse-battery-1"})
    assert resp.status_code == 302
    user = User.objects.get(realm_id=reseller.realm_id)
    assert resp["Location"] == url(reseller, f"customers/{user.customer_id}/")


def test_a_bad_customer_form_names_the_field_and_creates_nothing():
    """A bad email is shown on its field; nothing is created."""
    reseller = make_reseller()
    resp = login(make_member(reseller)).post(url(reseller, "customers/new/"),
                                             {"email": "nope"})
    assert resp.status_code == 400
    assert 'id="id_email_error"' in resp.content.decode()
    assert not User.objects.filter(realm_id=reseller.realm_id).exists()


def test_a_customers_page_is_a_touch_by_the_users_role():
    """Viewing a customer records a disclosure naming the panel user's role."""
    reseller = make_reseller()
    user = make_customer(reseller)
    member = make_member(reseller, Membership.Role.SUPPORT)
    resp = login(member).get(url(reseller, f"customers/{user.customer_id}/"))
    assert resp.status_code == 200 and user.profile.name in resp.content.decode()
    d = Disclosure.objects.latest("pk")
    assert d.actor == f"reseller-user:{member.pk}"
    assert d.reference == "a support user of the reseller's panel"


def test_the_customer_list_searches_and_pages():
    """The list finds a customer by exact email."""
    reseller = make_reseller()
    wanted = make_customer(reseller, email="wanted@example.test")
    make_customer(reseller)
    page = login(make_member(reseller)).get(url(reseller, "customers/"),
                                            {"q": "wanted@example.test"}).content.decode()
    assert wanted.customer_id in page and "1 customer" in page


def test_a_removal_and_an_opt_out_from_the_customers_page():
    """The customer's page asks for a removal and records an opt-out."""
    reseller = make_reseller()
    user = make_customer(reseller)
    client = login(make_member(reseller))
    resp = client.post(url(reseller, f"customers/{user.customer_id}/removal/"))
    rr = RemovalRequest.objects.get()
    assert resp["Location"] == url(reseller, f"removals/{rr.pk}/")
    assert "business day" in client.get(resp["Location"]).content.decode()
    client.post(url(reseller, f"customers/{user.customer_id}/opt-out/"))
    assert user.customer_id in client.get(url(reseller, "opt-outs/")).content.decode()


def test_the_export_downloads_json():
    """The customer's data downloads as a JSON attachment."""
    reseller = make_reseller()
    user = make_customer(reseller)
    resp = login(make_member(reseller)).post(url(reseller, f"customers/{user.customer_id}/"
                                                           "export/"))
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/json")
    assert "attachment" in resp["Content-Disposition"]


def test_a_new_keys_secret_is_shown_once():
    """Creating a key shows its secret on that answer only; only its hash is stored."""
    reseller = make_reseller()
    client = login(make_member(reseller))
    resp = client.post(url(reseller, "keys/"), {"name": "CRM", "scopes": ["customers:read"],
                                                "ip_ranges": "203.0.113.0/24", "days": "30"})
    assert resp.status_code == 200
    key = ApiKey.objects.get(reseller=reseller)
    secret = resp.context["secret"]
    assert secret in resp.content.decode() and key.secret_hash == secret_hash(secret)
    assert key.ip_ranges == ["203.0.113.0/24"]
    assert secret not in client.get(url(reseller, "keys/")).content.decode()


def test_a_bad_key_form_names_the_field():
    """A bad CIDR is shown on the ranges field; no key is made."""
    reseller = make_reseller()
    resp = login(make_member(reseller)).post(url(reseller, "keys/"), {
        "name": "CRM", "scopes": ["customers:read"], "ip_ranges": "300.1.1.1/8", "days": "30"})
    assert resp.status_code == 400 and 'id="id_ip_ranges_error"' in resp.content.decode()
    assert not ApiKey.objects.exists()


def test_a_key_is_revoked_from_the_panel():
    """Revoke stops the key."""
    from hostpact.resellers.tests.api_helpers import key_for

    reseller = make_reseller()
    key, _ = key_for(reseller)
    login(make_member(reseller)).post(url(reseller, f"keys/{key.key_id}/revoke/"))
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_the_owner_adds_a_member_by_email():
    """An existing account of ours is added with a role; an unknown email is refused."""
    reseller = make_reseller()
    helper = make_subscriber(email="helper@example.test")
    client = login(make_member(reseller))
    client.post(url(reseller, "members/"), {"email": "helper@example.test", "role": "sales"})
    assert Membership.objects.get(user=helper).role == "sales"
    resp = client.post(url(reseller, "members/"), {"email": "nobody@example.test",
                                                   "role": "sales"})
    assert resp.status_code == 400 and 'id="id_email_error"' in resp.content.decode()


def _settings(**overrides):
    data = {"brand_name": "Shop", "primary_colour": "#112233", "accent_colour": "#445566",
            "support_email": "help@shop.example", "controller_name": "DPO",
            "controller_email": "dpo@shop.example", "controller_address": "1 Road",
            "policy_additions": "", "markup_percent": "10"}
    data.update(overrides)
    return data


def test_settings_save_the_brand_and_a_png_logo():
    """The owner saves brand, colours and a PNG logo (checked by its bytes)."""
    reseller = make_reseller()
    logo = io.BytesIO(PNG)
    logo.name = "logo.png"
    resp = login(make_member(reseller)).post(url(reseller, "settings/"),
                                             {**_settings(), "logo": logo})
    assert resp.status_code == 302
    reseller.refresh_from_db()
    assert (reseller.brand_name, reseller.logo_type) == ("Shop", "image/png")


@pytest.mark.parametrize("content", [b"GIF89a" + b"\0" * 10, PNG + b"\0" * 205_000])
def test_a_logo_that_is_not_png_jpeg_webp_or_too_big_is_refused(content):
    """A GIF (by its bytes, whatever its name) or over 200 KB is refused; nothing saved."""
    reseller = make_reseller()
    logo = io.BytesIO(content)
    logo.name = "logo.png"
    resp = login(make_member(reseller)).post(url(reseller, "settings/"),
                                             {**_settings(), "logo": logo})
    assert resp.status_code == 400 and 'id="id_logo_error"' in resp.content.decode()
    reseller.refresh_from_db()
    assert reseller.logo_type == "" and reseller.brand_name != "Shop"
