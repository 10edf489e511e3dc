"""A reseller's host shows only the reseller's brand: name, colours, logo and support address,
never the platform's name; the platform's own programmes do not exist there; mail to its
customers comes under its brand with links to its host."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from hostpact.accounts.models import User
from hostpact.core.models import OutboxMessage
from hostpact.resellers import hosts
from hostpact.resellers.services.brand import save_settings
from hostpact.resellers.services.resellers import create_reseller
from hostpact.resellers.tests.helpers import make_customer, make_reseller
from hostpact.storefront.tests.helpers import SIGNUP

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PANEL_PAGES = ["panel:dashboard", "panel:information", "panel:mail", "billing:services",
               "billing:invoices", "rights:export", "disclosures:mine", "accounts:security"]
CLOSED_PAGES = ["referrals:mine", "referrals:affiliate", "community:index",
                "community:my_testimonials", "community:testimonials", "surveys:mine",
                "audiences:form"]


@pytest.fixture(autouse=True)
def _fresh_hosts(settings):
    settings.SIGNUP_RATE_PER_HOUR = 1000
    hosts.forget()
    yield
    hosts.forget()


@pytest.fixture
def shop():
    reseller = make_reseller(name="Lotus Web Pvt Ltd", host="lotus.example")
    save_settings(reseller, {"brand_name": "Lotus Web", "primary_colour": "#aa3300",
                             "accent_colour": "#fff4e0", "support_email": "help@lotus.example"},
                  actor="system", logo=(PNG, "image/png"))
    hosts.forget()
    return reseller


def visible(response) -> str:
    """Return the text a reader sees: the title and the body without tags or scripts."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return strip_tags(html)


def test_the_resellers_home_page_shows_its_brand_colours_logo_and_support_address(shop):
    """The home page on the reseller's host is titled with its brand, sets its colours as CSS
    custom properties, shows its logo and its support address."""
    page = Client(HTTP_HOST="lotus.example").get("/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<title>Web hosting and domains · Lotus Web</title>" in html
    assert "--brand-primary: #aa3300" in html and "--brand-accent: #fff4e0" in html
    assert f'src="/reseller-logo/{shop.slug}"' in html and 'alt="Lotus Web"' in html
    assert "help@lotus.example" in html


@pytest.mark.commitment("C38")
def test_a_sign_up_on_the_resellers_host_collects_under_its_brand_into_its_realm(shop):
    """The sign-up page on the reseller's host shows only its brand, and the account it
    creates is the reseller's customer (its realm), not one of ours."""
    client = Client(HTTP_HOST="lotus.example")
    form = client.get(reverse("panel:signup"))
    assert "hostpact" not in visible(form).lower() and "Lotus Web" in visible(form)
    resp = client.post(reverse("panel:signup"), SIGNUP)
    assert resp.status_code == 302, resp.content[-2000:]
    user = User.objects.get(pk=resp.wsgi_request.user.pk)
    assert user.realm_id == shop.realm_id and user.subject.realm_id == shop.realm_id
    assert not User.objects.in_realm(None).filter(pk=user.pk).exists()


def test_no_page_a_customer_sees_on_the_resellers_host_names_the_platform(shop):
    """Home, sign-up, log-in and the panel pages on the reseller's host: "hostpact" appears
    nowhere in their visible text."""
    visitor = Client(HTTP_HOST="lotus.example")
    for path in ["/", reverse("panel:signup"), reverse("accounts:login")]:
        page = visitor.get(path)
        assert page.status_code == 200 and "hostpact" not in visible(page).lower(), path
    customer = Client(HTTP_HOST="lotus.example")
    customer.force_login(make_customer(shop))
    for name in PANEL_PAGES:
        page = customer.get(reverse(name))
        assert page.status_code == 200, name
        assert "hostpact" not in visible(page).lower(), name
        assert "Lotus Web" in visible(page), name


def test_our_host_and_an_unknown_host_show_our_brand(shop):
    """Our own host, and a host that matches no reseller, serve our storefront unchanged."""
    for client in (Client(), Client(HTTP_HOST="nobody.example")):
        page = client.get("/")
        html = page.content.decode()
        assert page.status_code == 200 and "· hostpact</title>" in html
        assert "Lotus Web" not in html and "--brand-primary" not in html
        assert page.wsgi_request.reseller_site is None


def test_a_pending_resellers_host_is_ours():
    """A reseller waiting for approval has no storefront yet: its host serves ours."""
    create_reseller(name="Waiting Ltd", host="waiting.example", actor="system")
    page = Client(HTTP_HOST="waiting.example").get("/")
    assert "· hostpact</title>" in page.content.decode()
    assert page.wsgi_request.reseller_site is None


def test_the_platforms_own_programmes_are_closed_on_the_resellers_host(shop):
    """Banner rewards, referrals, the community, testimonials, surveys and "About you" answer
    404 on the reseller's host, and its panel links none of them; on ours they stay."""
    user = make_customer(shop)
    client = Client(HTTP_HOST="lotus.example")
    client.force_login(user)
    for name in CLOSED_PAGES:
        assert client.get(reverse(name)).status_code == 404, name
    assert client.get(reverse("referrals:click", args=["ABC123"])).status_code == 404
    nav = client.get(reverse("panel:dashboard")).content.decode()
    for name in ["referrals:mine", "community:index", "surveys:mine", "audiences:form",
                 "community:my_testimonials"]:
        assert f'href="{reverse(name)}"' not in nav, name
    assert Client().get(reverse("community:index")).status_code == 200


def test_the_logo_is_served_with_its_type_and_may_be_cached(shop):
    """``/reseller-logo/<slug>`` answers the logo's bytes with its type, cacheable; a
    reseller without a logo answers 404."""
    resp = Client().get(reverse("resellers:logo", args=[shop.slug]))
    assert resp.status_code == 200 and resp["Content-Type"] == "image/png"
    assert resp.content == PNG and "max-age=" in resp["Cache-Control"]
    bare = make_reseller(name="No Logo Ltd")
    assert Client().get(reverse("resellers:logo", args=[bare.slug])).status_code == 404


def test_mail_to_a_resellers_customer_links_to_its_host_under_its_brand(shop):
    """The verification mail of a sign-up on the reseller's host is from the brand's name,
    names the brand and links to the reseller's host."""
    Client(HTTP_HOST="lotus.example").post(reverse("panel:signup"), SIGNUP)
    [message] = OutboxMessage.objects.all()
    assert message.subject_line == "Confirm your email address for Lotus Web"
    assert message.from_addr.startswith("Lotus Web <")
    assert "http://lotus.example" in message.body and "hostpact" not in message.body
    assert hosts.site_url(shop.realm_id).startswith("http://lotus.example")


def test_the_resellers_home_page_makes_as_many_queries_as_ours(shop, django_assert_num_queries):
    """The host map and the price list are cached: the reseller's home page makes the same
    queries as ours, less the testimonials it does not show."""
    ours, theirs = Client(), Client(HTTP_HOST="lotus.example")
    ours.get("/"), theirs.get("/")  # both caches warm, as on a running server
    with CaptureQueriesContext(connection) as counted:
        ours.get("/")
    shared = [q for q in counted.captured_queries if "community_testimonial" not in q["sql"]]
    assert len(shared) == len(counted.captured_queries) - 1
    with django_assert_num_queries(len(shared)):
        theirs.get("/")
