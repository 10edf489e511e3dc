"""With every optional cookie refused, the whole way from sign-up to a paid order works on
required cookies alone, and the pages say what is unavailable (policy 2.3, C12)."""

import re

import pytest

from hostpact.accounts.models import User
from hostpact.billing.models import Invoice, Service
from hostpact.billing.tests.helpers import price
from hostpact.domains.models import Domain
from hostpact.privacy import cookies
from hostpact.storefront.tests.helpers import SIGNUP, add_domain, add_plan
from hostpact.storefront.tests.test_checkout import run_fulfilments

pytestmark = [pytest.mark.django_db, pytest.mark.commitment("C12")]
SIGNUP_PAGE = {**SIGNUP, "email": "refuser@example.test", "name": "Ira Refuser"}


class Recording:
    """The test client, keeping every cookie any response sets."""

    def __init__(self, client):
        self.client, self.set = client, []

    def __getattr__(self, name):
        return getattr(self.client, name)

    def _keep(self, resp):
        self.set += [m for m in resp.cookies.values()
                     if str(m["max-age"]) != "0"]  # a deletion sets nothing
        return resp

    def get(self, *args, **kwargs):
        return self._keep(self.client.get(*args, **kwargs))

    def post(self, *args, **kwargs):
        return self._keep(self.client.post(*args, **kwargs))


@pytest.fixture
def refuser(client, settings):
    """A visitor who clicked "Reject all"."""
    settings.SIGNUP_RATE_PER_HOUR = 1000
    visitor = Recording(client)
    assert visitor.post("/consent/", {"action": "reject"}).status_code == 302
    return visitor


def only_required_cookies(visitor) -> list[str]:
    """The names of cookies set that are not declared required (none, it should be)."""
    names = {m.key for m in visitor.set} | set(visitor.cookies.keys())
    return sorted(n for n in names if not (cookies.cookie(n) and cookies.cookie(n).required))


def test_sign_up_log_in_panel_order_and_pay_without_optional_cookies(refuser):
    """Sign-up at /signup/, logging out and in, the panel's pages, ordering a plan and paying
    its invoice all work after "Reject all", and only required cookies are ever set."""
    resp = refuser.post("/signup/", SIGNUP_PAGE)
    assert resp.status_code == 302 and resp["Location"] == "/panel/"
    for path in ("/panel/", "/panel/information/", "/panel/services/", "/panel/invoices/",
                 "/panel/security/", "/panel/privacy/"):
        assert refuser.get(path).status_code == 200, path
    refuser.post("/logout/")
    resp = refuser.post("/login/", {"username": SIGNUP_PAGE["email"],
                                    "password": SIGNUP_PAGE["password"], "remember": "on"})
    assert resp.status_code == 302 and "hp_username" not in resp.cookies
    resp = refuser.post(f"/panel/services/order/{price().pk}/", {"quantity": "1"})
    assert resp.status_code == 302
    invoice = Invoice.objects.get(user=User.objects.get(pk=refuser.session["_auth_user_id"]))
    assert refuser.post(f"/panel/invoices/{invoice.number}/pay/").status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert Service.objects.get(user=invoice.user).status == Service.Status.ACTIVE
    assert only_required_cookies(refuser) == []


def test_cart_checkout_and_payment_work_without_optional_cookies(
        refuser, django_capture_on_commit_callbacks):
    """A visitor who refused everything fills the cart, signs up at checkout, pays, and the
    domain and plan are theirs; only required cookies are ever set."""
    assert refuser.get("/").status_code == 200
    add_domain(refuser, "refused-cookies.test")
    add_plan(refuser, domain="refused-cookies.test")
    assert "refused-cookies.test" in refuser.get("/cart/").content.decode()
    assert refuser.post("/checkout/", SIGNUP).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        resp = refuser.post("/checkout/", {})
    assert resp.status_code == 302 and "/checkout/done/" in resp["Location"]
    assert run_fulfilments() == ["done"]
    domain = Domain.objects.get(name="refused-cookies.test")
    assert Service.objects.get(user=domain.user).domain == "refused-cookies.test"
    assert refuser.get(resp["Location"]).status_code == 200
    assert only_required_cookies(refuser) == []


def test_pages_say_what_is_unavailable(refuser):
    """The login page says why "Remember me" is off and links to the cookie settings; the
    home page's share button is a placeholder saying it needs functional cookies."""
    login = refuser.get("/login/").content.decode()
    box = re.search(r'<input type="checkbox" name="remember"[^>]*>', login).group(0)
    assert "disabled" in box
    assert "needs functional cookies, which you have not allowed" in login
    assert 'href="/consent/">Change your cookie settings' in login
    home = refuser.get("/").content.decode()
    assert "button, not loaded" in home
    assert "It needs functional cookies, which you have not allowed." in home


def test_a_visitor_who_clears_every_cookie_carries_on(refuser, subscriber):
    """Clearing every cookie mid-way (signed in, cart filled) only signs the visitor out and
    empties the cart: the banner asks again, logging in works, and the cart fills again."""
    from hostpact.accounts.tests.helpers import PASSWORD

    assert refuser.post("/login/", {"username": subscriber.email,
                                    "password": PASSWORD}).status_code == 302
    add_plan(refuser)
    refuser.cookies.clear()
    home = refuser.get("/")
    assert home.status_code == 200 and 'id="hp-consent"' in home.content.decode()
    assert refuser.get("/panel/")["Location"].startswith("/login/")
    assert "Your cart is empty" in refuser.get("/cart/").content.decode()
    assert refuser.post("/login/", {"username": subscriber.email,
                                    "password": PASSWORD}).status_code == 302
    assert refuser.get("/panel/").status_code == 200
    add_plan(refuser)
    assert "Starter" in refuser.get("/cart/").content.decode()
    assert only_required_cookies(refuser) == []
