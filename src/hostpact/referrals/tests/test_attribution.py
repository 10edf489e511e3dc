"""Attribution of a sign-up or an order: by hp_ref with advertising consent, else by the code
carried in the same visit's form; never both, once per subscriber, never one's own code."""

import pytest

from hostpact.core import clock
from hostpact.referrals import links, services
from hostpact.referrals.models import Attribution, Click
from hostpact.referrals.tests.helpers import ADS, NONE, NOW, post, referrer_code
from hostpact.testing import factories

pytestmark = pytest.mark.django_db

SIGNUP = {
    "name": "Meera Referred", "email": "meera@example.test", "phone": "+91 98765 41111",
    "date_of_birth": "1992-04-10", "line1": "3 Hill Road", "line2": "", "city": "Pune",
    "region": "Maharashtra", "postal_code": "411001", "country": "IN",
    "password": "referred-pass-123", "card_number": "4242 4242 4242 4242",
    "card_exp_month": "12", "card_exp_year": "2031", "card_cvc": "123",
}


def _cookie_for(code, banner="full"):
    click = Click.objects.create(code=code, at=NOW, banner=banner, utm_campaign="summer")
    return click, {links.COOKIE: links.cookie_value(code.code, click.pk)}


@pytest.mark.commitment("C08")
@pytest.mark.commitment("C10")
def test_with_advertising_consent_the_cookie_attributes_and_the_field_is_ignored():
    """With advertising granted, a valid hp_ref attributes the sign-up to its code and click
    (banner and campaign from the click); the same-visit field is then not used."""
    code, other = referrer_code(), referrer_code()
    click, jar = _cookie_for(code)
    user = factories.make_subscriber()
    with clock.freeze(NOW):
        row = services.attribute_signup(user, post("/signup/", {"ref": other.code},
                                                   consent=ADS, cookies=jar))
    assert (row.code, row.click, row.via, row.event) == (code, click, "cookie", "signup")
    assert (row.banner, row.utm_campaign) == ("full", "summer")


@pytest.mark.commitment("C08")
def test_without_advertising_consent_the_cookie_is_ignored_and_the_field_attributes():
    """Without advertising consent an hp_ref left in the browser counts for nothing; the code
    carried in the visit's form attributes the sign-up, with its banner and campaign."""
    code, other = referrer_code(), referrer_code()
    _, jar = _cookie_for(other)
    user = factories.make_subscriber()
    with clock.freeze(NOW):
        row = services.attribute_signup(user, post(
            "/signup/", {"ref": code.code.lower(), "ref_banner": "micro", "utm_source": "blog"},
            consent=NONE, cookies=jar))
    assert (row.code, row.click, row.via) == (code, None, "visit")
    assert (row.banner, row.utm_source) == ("micro", "blog")


def test_a_forged_cookie_is_no_attribution():
    """An hp_ref whose signature fails is ignored even with advertising consent."""
    code = referrer_code()
    user = factories.make_subscriber()
    forged = {links.COOKIE: links.cookie_value(code.code, 1)[:-3] + "xyz"}
    assert services.attribute_signup(user, post("/signup/", {}, consent=ADS,
                                                cookies=forged)) is None
    assert not Attribution.objects.exists()


@pytest.mark.commitment("C08")
def test_a_subscriber_cannot_refer_themself_and_is_attributed_once():
    """One's own code attributes nothing; a second code does not replace the first."""
    code = referrer_code()
    assert services.attribute_signup(code.user, post("/signup/", {"ref": code.code})) is None
    user, first, second = factories.make_subscriber(), referrer_code(), referrer_code()
    assert services.attribute_signup(user, post("/signup/", {"ref": first.code})).code == first
    assert services.attribute_order(user, post("/checkout/", {"ref": second.code})) is None
    assert Attribution.objects.get(user=user).code == first


@pytest.mark.commitment("C08")
def test_the_sign_up_page_attributes_through_the_same_visit_field(client):
    """A sign-up posted from /signup/?ref=<code> (the hidden field) is attributed to the
    code by the visit rule."""
    code = referrer_code()
    page = client.get(f"/signup/?ref={code.code}&b=button")
    assert f'name="ref" value="{code.code}"'.encode() in page.content
    response = client.post("/signup/", {**SIGNUP, "ref": code.code, "ref_banner": "button"})
    assert response.status_code == 302
    row = Attribution.objects.get()
    assert (row.code, row.via, row.event, row.banner) == (code, "visit", "signup", "button")
    assert row.user.email == SIGNUP["email"]


@pytest.mark.commitment("C08")
@pytest.mark.commitment("C10")
def test_after_accepting_cookies_the_link_sets_hp_ref_and_the_sign_up_uses_it(client):
    """Through the whole stack: a visitor who accepted all cookies follows a link, gets
    hp_ref (kept by the consent middleware), and their later sign-up without any field is
    attributed by the cookie, with the link's campaign."""
    code = referrer_code()
    assert client.post("/consent/", {"action": "accept"}).status_code == 302
    response = client.get(f"/r/{code.code}?utm_campaign=launch&b=full")
    assert response["Location"] == "/" and links.COOKIE in response.cookies
    assert client.post("/signup/", SIGNUP).status_code == 302
    row = Attribution.objects.get()
    assert (row.code, row.via, row.banner, row.utm_campaign) == (code, "cookie", "full",
                                                                 "launch")


def test_after_rejecting_cookies_the_link_sets_no_hp_ref(client):
    """A visitor who rejected cookies gets the code in the redirect's query, no hp_ref."""
    code = referrer_code()
    client.post("/consent/", {"action": "reject"})
    response = client.get(f"/r/{code.code}")
    assert response["Location"] == f"/?ref={code.code}"
    assert links.COOKIE not in response.cookies
