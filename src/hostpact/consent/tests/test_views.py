"""POST /consent/ (form and JSON), the settings page, the receipt and gpc.json (C06)."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hostpact.consent import state
from hostpact.consent.models import ConsentRecord
from hostpact.consent.tests.helpers import consent_cookie
from hostpact.core import clock
from hostpact.privacy import cookies
from hostpact.privacy.policy import services as policy

pytestmark = pytest.mark.django_db
CHOOSE = "consent:choose"


@pytest.fixture(autouse=True)
def _declared_test_cookies():
    cookies.declare_cookie("hp_test_fun", category="functional", purpose="A test cookie.",
                           max_age=60)
    yield
    cookies._registry.pop("hp_test_fun", None)


def _stored(response) -> state.Stored:
    return state.decode(response.cookies[state.COOKIE].value)


def _json(client, body, **headers):
    return client.post(reverse(CHOOSE), json.dumps(body), content_type="application/json",
                       **headers)


@pytest.mark.parametrize("action, granted", [
    ("accept", ["required", "performance", "functional", "advertising"]),
    ("reject", ["required"]),
])
def test_accept_and_reject_record_a_receipt_and_set_the_cookie(client, action, granted):
    """Each button writes one receipt and sets ``hp_consent`` to the same categories."""
    response = client.post(reverse(CHOOSE), {"action": action, "next": "/domains/"})
    assert response.status_code == 302 and response["Location"] == "/domains/"
    [row] = ConsentRecord.objects.all()
    assert row.method == action and row.granted == granted
    assert row.refused == [c for c in cookies.CATEGORIES if c not in granted]
    assert len(row.banner_sha256) == 64 and row.banner_revision == 1
    assert row.policy_version == policy.in_force().number
    stored = _stored(response)
    assert stored.categories == set(granted) and stored.consent_id == row.consent_id


def test_save_grants_exactly_the_ticked_categories(client):
    """Customise and save grants what was ticked, with method save."""
    response = client.post(reverse(CHOOSE), {"action": "save", "categories": ["functional"]})
    assert _stored(response).categories == {"required", "functional"}
    assert ConsentRecord.objects.get().method == "save"


def test_json_choice_answers_204(client):
    """``{"categories": [...]}`` answers 204 with the cookie set, method save."""
    response = _json(client, {"categories": ["performance"]})
    assert response.status_code == 204
    assert _stored(response).categories == {"required", "performance"}
    assert ConsentRecord.objects.get().method == "save"


@pytest.mark.commitment("C06")
def test_unknown_categories_answer_400_naming_them(client):
    """A JSON or form choice naming unknown categories is refused with their names, and
    nothing is recorded."""
    response = _json(client, {"categories": ["performance", "tracking", "fingerprint"]})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    message = response.json()["errors"]["categories"][0]
    assert "'tracking'" in message and "'fingerprint'" in message
    form = client.post(reverse(CHOOSE), {"action": "save", "categories": ["tracking"]})
    assert form.status_code == 400 and "&#x27;tracking&#x27;" in form.content.decode()
    assert not ConsentRecord.objects.exists()
    assert state.COOKIE not in response.cookies and state.COOKIE not in form.cookies


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'{"categories": "performance"}',
                                  b'{"categories": [1]}', b'{"action": "sell"}'])
def test_malformed_json_answers_400(client, body):
    """A body that is not a choice answers 400, never a 500, and records nothing."""
    response = client.post(reverse(CHOOSE), body, content_type="application/json")
    assert response.status_code == 400
    assert not ConsentRecord.objects.exists()


def test_a_form_without_a_choice_answers_400(client):
    """A POST that names no action is refused and records nothing."""
    assert client.post(reverse(CHOOSE), {"next": "/"}).status_code == 400
    assert not ConsentRecord.objects.exists()


def test_csrf_is_checked_for_forms_and_json():
    """Without the CSRF token neither a form nor a JSON choice is taken."""
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse(CHOOSE), {"action": "accept"}).status_code == 403
    assert _json(client, {"categories": []}).status_code == 403
    client.get(reverse(CHOOSE))
    token = client.cookies["csrftoken"].value
    assert _json(client, {"categories": []}, HTTP_X_CSRFTOKEN=token).status_code == 204


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x"])
def test_next_must_be_same_site(client, next_url):
    """An off-site ``next`` sends the visitor home instead."""
    response = client.post(reverse(CHOOSE), {"action": "reject", "next": next_url})
    assert response["Location"] == reverse("storefront:home")


def test_without_next_the_same_site_referer_is_used(client):
    """The form goes back to the page it was sent from."""
    response = client.post(reverse(CHOOSE), {"action": "reject"},
                           HTTP_REFERER="http://testserver/domains/")
    assert response["Location"] == "/domains/"


def test_grant_adds_one_category_to_the_current_choice(client):
    """A widget's ``grant=functional`` keeps what was granted and adds the one category."""
    client.cookies[state.COOKIE] = consent_cookie(["performance"])
    response = client.post(reverse(CHOOSE), {"grant": "functional"})
    assert _stored(response).categories == {"required", "performance", "functional"}
    assert _stored(response).consent_id == "a" * 32


def test_withdrawing_deletes_that_categorys_cookies_at_once(client):
    """Withdrawing functional deletes its first-party cookies and records method withdraw."""
    client.cookies[state.COOKIE] = consent_cookie(["functional", "performance"])
    client.cookies["hp_test_fun"] = "1"
    response = client.post(reverse(CHOOSE), {"withdraw": "functional"})
    assert response.cookies["hp_test_fun"]["max-age"] == 0
    assert _stored(response).categories == {"required", "performance"}
    assert ConsentRecord.objects.get().method == "withdraw"


def test_rejecting_deletes_cookies_of_refused_categories(client):
    """Reject all deletes the optional cookies the browser still holds."""
    client.cookies[state.COOKIE] = consent_cookie(["functional"])
    client.cookies["hp_test_fun"] = "1"
    response = client.post(reverse(CHOOSE), {"action": "reject"})
    assert response.cookies["hp_test_fun"]["max-age"] == 0


def test_accept_all_under_gpc_leaves_advertising_off_but_ticking_it_opts_in(client):
    """With ``Sec-GPC: 1`` Accept all grants all but advertising; saving with advertising
    ticked is the explicit opt-in, which later GPC requests respect."""
    response = client.post(reverse(CHOOSE), {"action": "accept"}, HTTP_SEC_GPC="1")
    assert "advertising" not in _stored(response).categories
    assert ConsentRecord.objects.get().granted == ["required", "performance", "functional"]
    response = client.post(reverse(CHOOSE), {"action": "save", "categories": ["advertising"]},
                           HTTP_SEC_GPC="1")
    assert "advertising" in _stored(response).categories
    assert _stored(response).flags & state.AD_OPT_IN
    page = client.get(reverse(CHOOSE), HTTP_SEC_GPC="1")
    assert page.wsgi_request.consent.allows("advertising")


def test_a_gpc_report_from_the_page_records_method_gpc(client):
    """``{"action": "gpc"}`` (``navigator.globalPrivacyControl``) records the refusal without
    making a choice for the other categories."""
    response = _json(client, {"action": "gpc"})
    assert response.status_code == 204
    row = ConsentRecord.objects.get()
    assert row.method == "gpc" and row.refused == ["advertising"]
    stored = _stored(response)
    assert stored.flags & state.GPC_RECORDED and not stored.flags & state.CHOSEN


def test_the_settings_page_works_without_javascript(client):
    """GET /consent/ shows the choices as a plain form with the categories visible and their
    cookies named; the current choice is ticked."""
    client.cookies[state.COOKIE] = consent_cookie(["functional"])
    page = client.get(reverse(CHOOSE)).content.decode()
    assert page.count('id="hp-consent"') == 1
    assert '<fieldset id="hp-consent-choices">' in page
    assert 'value="functional" aria-describedby="hp-consent-functional-text" checked' in page
    assert "hp_consent" in page and "csrftoken" in page
    assert 'value="functional">Withdraw functional' in page


def test_the_receipt_of_the_last_choice_downloads_as_json(client):
    """/consent/receipt/ returns the last receipt of this browser's consent id."""
    assert client.get(reverse("consent:receipt")).status_code == 404
    client.post(reverse(CHOOSE), {"action": "accept"})
    client.post(reverse(CHOOSE), {"action": "save", "categories": ["performance"]})
    response = client.get(reverse("consent:receipt"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    body = response.json()
    assert body["method"] == "save" and body["granted"] == ["required", "performance"]
    assert set(body) == {"consent_id", "method", "granted", "refused", "policy_version",
                         "banner_revision", "banner_sha256", "at"}


def test_gpc_json_gives_the_date_of_the_policy_in_force(client):
    """/.well-known/gpc.json says we honour GPC and since when the policy is in force."""
    body = client.get(reverse("consent:gpc")).json()
    current = policy.in_force()
    local = timezone.localtime(current.effective_at).date()
    assert body == {"gpc": True, "lastUpdate": f"{local:%Y-%m-%d}"}


def test_a_new_policy_version_brings_the_banner_back(client):
    """A choice made under the previous version no longer counts once a new one is in force."""
    home = reverse("storefront:home")
    with clock.freeze(clock.now()) as moment:
        client.post(reverse(CHOOSE), {"action": "accept"})
        assert 'id="hp-consent"' not in client.get(home).content.decode()
        policy.publish_version(title="Clarified", text="# Policy\n\nClearer.",
                               effective_at=moment, actor="staff:1")
        response = client.get(home)
    assert 'id="hp-consent"' in response.content.decode()
    assert not response.wsgi_request.consent.allows("performance")


def test_a_new_banner_revision_brings_the_banner_back(client, settings):
    """Raising ``CONSENT_BANNER_REVISION`` asks again."""
    client.post(reverse(CHOOSE), {"action": "reject"})
    settings.CONSENT_BANNER_REVISION = 2
    assert 'id="hp-consent"' in client.get(reverse("storefront:home")).content.decode()
