"""Every answer under /api/ keeps to HTTP's and RFC 9457's rules, whatever went wrong.

Found by an outside fuzzer: writes without credentials answered 403 "CSRF check Failed",
some errors were HTML, ``HEAD`` answered 405, any ``Content-Type`` was taken for JSON and
strings were coerced to numbers.
"""

import json

import pytest
from django.test import Client

from hostpact.accounts.models import ApiToken, User
from hostpact.accounts.tests.helpers import PASSWORD
from hostpact.billing.tests.helpers import price
from hostpact.testing.factories import make_subscriber

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def signup_body(**over) -> dict:
    body = {
        "name": "Ravi Example", "email": "ravi.standards@example.test",
        "phone": "+91 98765 43210",
        "address": {"line1": "12 Hill Road", "city": "Pune", "postal_code": "411001",
                    "country": "IN"},
        "date_of_birth": "1985-04-02", "password": "a-long-enough-pass-1",
        "card": {"number": "4242 4242 4242 4242", "exp_month": 12, "exp_year": 2031,
                 "cvc": "123"},
    }
    body.update(over)
    return body


def token_of(client, user, password=PASSWORD) -> str:
    resp = client.post("/api/v1/auth/token", {"email": user.email, "password": password},
                       content_type="application/json")
    assert resp.status_code == 200, resp.content
    return resp.json()["token"]


def assert_problem(resp, status: int) -> dict:
    assert resp.status_code == status, resp.content
    assert resp["Content-Type"].split(";")[0] == PROBLEM
    body = resp.json()
    assert body["status"] == status and body["title"] and "detail" in body
    return body


# --- 401, not a CSRF refusal, when no one is signed in ------------------------------------

@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Bearer "])
def test_a_write_without_valid_credentials_answers_401_with_a_bearer_challenge(authorization):
    """A write with no token, a made-up one or an empty one answers 401 problem+json with
    ``WWW-Authenticate: Bearer``, even where CSRF is enforced: there is no session to protect."""
    client = Client(enforce_csrf_checks=True)
    extra = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    for method, path, body in (("patch", "/api/v1/me", {"name": "X"}),
                               ("post", "/api/v1/orders", {"price_id": 1}),
                               ("post", "/api/v1/me/erasure", None)):
        resp = getattr(client, method)(path, json.dumps(body) if body else "",
                                       content_type="application/json", **extra)
        problem = assert_problem(resp, 401)
        assert "csrf" not in json.dumps(problem).lower()
        assert resp["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_answers_401_on_a_write():
    """A token deleted since it was issued (signed out everywhere, erased) answers 401."""
    user = make_subscriber()
    client = Client(enforce_csrf_checks=True)
    token = token_of(client, user)
    ApiToken.objects.filter(user=user).delete()
    resp = client.patch("/api/v1/me", {"name": "New Name"}, content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_problem(resp, 401)
    assert 'error="invalid_token"' in resp["WWW-Authenticate"]


def test_a_session_write_without_the_csrf_token_is_refused_naming_csrf():
    """A signed-in browser's write without (or with a wrong) CSRF token answers 403
    problem+json naming CSRF, and changes nothing; with the token it goes through."""
    user = make_subscriber()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    for headers in ({}, {"HTTP_X_CSRFTOKEN": "x" * 32}):
        resp = client.patch("/api/v1/me", {"name": "Changed Name"},
                            content_type="application/json", **headers)
        problem = assert_problem(resp, 403)
        assert problem["code"] == "csrf_failed" and "CSRF" in problem["detail"]
    user.refresh_from_db()
    assert user.profile.name != "Changed Name"

    client.get("/panel/")  # the page sets the CSRF cookie, as a browser would get it
    csrf = client.cookies["csrftoken"].value
    resp = client.patch("/api/v1/me", {"name": "Changed Name"}, content_type="application/json",
                        HTTP_X_CSRFTOKEN=csrf)
    assert resp.status_code == 200, resp.content
    assert resp.json()["name"] == "Changed Name"


def test_a_session_read_needs_no_csrf_token():
    """A signed-in browser's GET needs no CSRF token."""
    user = make_subscriber()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get("/api/v1/me").status_code == 200


# --- every error is a problem -------------------------------------------------------------

def test_a_body_over_the_upload_limit_answers_413_problem(settings):
    """A 2 MB body answers 413 problem+json, to anyone, on a public or a signed-in write."""
    big = json.dumps(signup_body(name="x" * (2 * 1024 * 1024)))
    client = Client()
    assert_problem(client.post("/api/v1/signup", big, content_type="application/json"), 413)
    user = make_subscriber()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_of(client, user)}"}
    assert_problem(client.patch("/api/v1/me", big, content_type="application/json", **auth), 413)


def test_an_unknown_api_path_answers_404_problem(client):
    """A path under /api/ that names no operation answers 404 problem+json."""
    for path in ("/api/v1/nothing-here", "/api/v1/me/", "/api/v2/me", "/api/"):
        assert_problem(client.get(path), 404)


def test_a_wrong_method_answers_405_problem_with_allow(client):
    """A method an API path does not answer gets 405 problem+json and ``Allow`` listing the
    methods it does answer (``HEAD`` wherever ``GET``)."""
    resp = client.delete("/api/v1/me")
    assert_problem(resp, 405)
    assert [m.strip() for m in resp["Allow"].split(",")] == ["GET", "HEAD", "PATCH"]
    resp = client.put("/api/v1/signup", "{}", content_type="application/json")
    assert_problem(resp, 405)
    assert resp["Allow"] == "POST"


def test_head_answers_as_get_without_a_body():
    """HEAD on an API path answers what GET answers, status and headers, with no body."""
    user = make_subscriber()
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_of(client, user)}"}
    for path, extra in (("/api/v1/products", {}), ("/api/v1/me", auth),
                        ("/api/v1/me", {}), ("/api/v1/invoices?limit=0", auth),
                        ("/api/v1/openapi.json", {})):
        got, head = client.get(path, **extra), client.head(path, **extra)
        assert head.status_code == got.status_code, path
        assert head["Content-Type"] == got["Content-Type"], path
        assert head.content == b"", path
    assert client.head("/api/v1/me/erasure", **auth).status_code == 405  # no GET there


def test_pages_outside_the_api_keep_their_html_errors(client):
    """A missing page outside /api/ still answers Django's HTML 404."""
    resp = client.get("/no-such-page/")
    assert resp.status_code == 404
    assert resp["Content-Type"].startswith("text/html")


# --- the body must be JSON, said so ---------------------------------------------------------

@pytest.mark.parametrize("content_type", [
    "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
    "", "application/xml", "application/json; charset=latin-1"])
def test_a_json_body_under_another_content_type_answers_415(content_type):
    """Sign-up and token bodies sent as text, form, multipart, with no type or a non-UTF-8
    charset answer 415 problem+json naming application/json, and nothing is created: another
    site cannot post them without a CORS preflight."""
    client = Client()
    for path, body in (("/api/v1/signup", signup_body()),
                       ("/api/v1/auth/token", {"email": "a@example.test", "password": "x"})):
        resp = client.generic("POST", path, json.dumps(body), content_type=content_type)
        problem = assert_problem(resp, 415)
        assert "application/json" in problem["detail"]
        assert resp["Accept-Post"] == "application/json"
    assert not User.objects.exists()


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8",
                                          "application/json;charset=UTF-8",
                                          "application/merge-patch+json"])
def test_json_with_its_parameters_or_a_json_suffix_is_accepted(content_type):
    """``application/json`` with a UTF-8 charset, or a ``+json`` type, is read as JSON."""
    client = Client()
    resp = client.generic("POST", "/api/v1/signup", json.dumps(signup_body()),
                          content_type=content_type)
    assert resp.status_code == 201, resp.content
    token = token_of(client, User.objects.get(), "a-long-enough-pass-1")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    resp = client.generic("PATCH", "/api/v1/me", json.dumps({"name": "Ravi Changed"}),
                          content_type=content_type, **auth)
    assert resp.status_code == 200 and resp.json()["name"] == "Ravi Changed"


def test_writes_without_a_body_ignore_the_content_type():
    """A POST that takes no body (erasure, paying) is not refused for its content type."""
    user = make_subscriber()
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_of(client, user)}"}
    order = client.post("/api/v1/orders", {"price_id": price().pk},
                        content_type="application/json", **auth)
    number = order.json()["invoice"]["number"]
    assert client.post(f"/api/v1/invoices/{number}/pay", **auth).status_code == 200  # multipart
    assert client.generic("POST", "/api/v1/me/erasure", "", content_type="text/plain",
                          **auth).status_code == 202


def test_malformed_json_answers_400_problem_on_the_body(client):
    """A body that is not JSON (or not UTF-8) answers 400 problem+json on ``body``."""
    for raw in (b"{not json", b'{"name": "\xff"}'):
        resp = client.post("/api/v1/signup", raw, content_type="application/json")
        assert assert_problem(resp, 400)["errors"].keys() == {"body"}


# --- strict types ---------------------------------------------------------------------------

@pytest.mark.parametrize("path,body,field", [
    ("/api/v1/signup", signup_body(card={"number": "4242 4242 4242 4242", "exp_month": 12,
                                         "exp_year": "2031", "cvc": "123"}), "card.exp_year"),
    ("/api/v1/signup", signup_body(card={"number": "4242 4242 4242 4242", "exp_month": 12.0,
                                         "exp_year": 2031, "cvc": "123"}), "card.exp_month"),
    ("/api/v1/signup", signup_body(card={"number": 4242424242424242, "exp_month": 12,
                                         "exp_year": 2031, "cvc": "123"}), "card.number"),
    ("/api/v1/signup", signup_body(phone=919876543210), "phone"),
    ("/api/v1/signup", signup_body(date_of_birth=481334400), "date_of_birth"),
    ("/api/v1/signup", signup_body(address={"line1": "12 Hill Road", "city": "Pune",
                                            "postal_code": 411001, "country": "IN"}),
     "address.postal_code"),
    ("/api/v1/auth/token", {"email": "a@example.test", "password": 12345678}, "password"),
])
def test_a_wrong_json_type_is_refused_naming_the_field(client, path, body, field):
    """A number sent as a string (or the reverse, or a date as a timestamp) answers 400 naming
    the field, and creates nothing: the API does not coerce types."""
    resp = client.post(path, body, content_type="application/json")
    assert field in assert_problem(resp, 400)["errors"]
    assert not User.objects.exists()


def test_signed_in_bodies_refuse_wrong_types_too():
    """An order's ``price_id`` as a string and a /me name as a number answer 400 naming them."""
    user = make_subscriber()
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_of(client, user)}"}
    resp = client.post("/api/v1/orders", {"price_id": str(price().pk)},
                       content_type="application/json", **auth)
    assert "price_id" in assert_problem(resp, 400)["errors"]
    resp = client.patch("/api/v1/me", {"name": 5, "date_of_birth": 0},
                        content_type="application/json", **auth)
    assert {"name", "date_of_birth"} <= set(assert_problem(resp, 400)["errors"])
    resp = client.patch("/api/v1/me", {"date_of_birth": "1980-02-03"},
                        content_type="application/json", **auth)
    assert resp.status_code == 200 and resp.json()["date_of_birth"] == "1980-02-03"


def test_query_parameters_are_still_read_from_their_text(client):
    """Query parameters arrive as text, so ``?limit=5`` is a number and ``?limit=x`` is not."""
    user = make_subscriber()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_of(client, user)}"}
    assert client.get("/api/v1/invoices?limit=5", **auth).status_code == 200
    assert "limit" in assert_problem(client.get("/api/v1/invoices?limit=x", **auth), 400)["errors"]


def test_a_write_after_the_erasure_began_answers_410_as_declared():
    """Once a subscriber's erasure has begun, a token request, a profile change, an order and
    a payment still in flight each answer 410 problem+json ``erasure_started`` (never an HTML
    403), a status the document declares for each of them."""
    from hostpact.billing import services as billing
    from hostpact.core import audit
    from hostpact.privacy.rights.erasure import services as erasure

    user = make_subscriber()
    client = Client()
    invoice = billing.place_order(user, price(), audit.actor_of(user)).invoice
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_of(client, user)}"}
    erasure.open_job(user.subject_id, actor="staff:test", reason="staff")
    document = client.get("/api/v1/openapi.json").json()["paths"]
    for method, path, url, body in (
            ("post", "/api/v1/auth/token", None, {"email": user.email, "password": PASSWORD}),
            ("patch", "/api/v1/me", None, {"name": "Too Late"}),
            ("post", "/api/v1/orders", None, {"price_id": price().pk}),
            ("post", "/api/v1/invoices/{number}/pay", f"/api/v1/invoices/{invoice.number}/pay",
             {})):
        resp = client.generic(method.upper(), url or path, json.dumps(body),
                              content_type="application/json", **auth)
        assert assert_problem(resp, 410)["code"] == "erasure_started", path
        assert "410" in document[path][method]["responses"], path
