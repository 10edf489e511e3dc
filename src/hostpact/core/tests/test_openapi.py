"""The OpenAPI document tells a client every answer it can get, and the limits of every input.

An outside fuzzer found statuses the document did not declare and limits it did not state.
These tests read the document the server publishes, then send each operation requests built
from what the document says (the limits just past their edge, wrong types, a wrong media
type, no credentials) and hold every answer to the document: a declared status, and a body
valid against the declared schema, a problem (RFC 9457) for every error.
"""

import json
from itertools import count

import pytest
from django.test import Client
from jsonschema import Draft202012Validator

from hostpact.accounts.tests.helpers import PASSWORD
from hostpact.billing import services as billing
from hostpact.billing.tests.helpers import price
from hostpact.core import audit
from hostpact.core.validation import country_choices
from hostpact.domains.tests.helpers import register as register_domain
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.testing.factories import make_subscriber

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
RESELLER = "/api/v1/reseller/"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@pytest.fixture
def document(client):
    resp = client.get("/api/v1/openapi.json")
    assert resp.status_code == 200
    return resp.json()


def operations(document):
    for path, item in document["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op


def resolve(document, schema: dict) -> dict:
    """``schema`` with its ``$ref`` followed and a nullable ``anyOf`` reduced to its value."""
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    branches = [b for b in schema.get("anyOf", ()) if b.get("type") != "null"]
    if len(branches) == 1:
        schema = {**{k: v for k, v in schema.items() if k != "anyOf"},
                  **resolve(document, branches[0])}
    return schema


def body_schema(document, op) -> dict | None:
    body = op.get("requestBody")
    return resolve(document, body["content"]["application/json"]["schema"]) if body else None


def validator(document, schema: dict) -> Draft202012Validator:
    return Draft202012Validator({**schema, "components": document["components"]})


def _session_write(method, op) -> bool:
    return method != "get" and any("SubscriberSession" in s for s in op.get("security", ()))


def implied_statuses(method, op) -> set[int]:
    """The error statuses an operation can answer because of what it is."""
    statuses = set()
    if op.get("requestBody") or any(p["in"] == "query" for p in op.get("parameters", ())):
        statuses.add(400)
    if op.get("security"):
        statuses.add(401)
    if _session_write(method, op):
        statuses |= {403, 413}
    if op.get("requestBody"):
        statuses |= {413, 415}
    return statuses


# --- what the document declares ----------------------------------------------------------

def test_every_error_status_is_declared_as_a_problem(document):
    """Each operation declares the errors its kind implies (401 with credentials, 400/413/415
    with a body, 403 for a session's CSRF), each as application/problem+json with the Problem
    schema, which is itself a valid JSON Schema of an RFC 9457 body."""
    problem = document["components"]["schemas"]["Problem"]
    Draft202012Validator.check_schema(problem)
    assert {"type", "title", "status", "detail"} <= set(problem["required"])
    assert {"code", "errors"} <= set(problem["properties"])
    for path, method, op in operations(document):
        declared = {int(s) for s in op["responses"]}
        assert implied_statuses(method, op) <= declared, (method, path, declared)
        for status, spec in op["responses"].items():
            if int(status) >= 400:
                assert spec["description"]
                assert spec["content"] == {
                    PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}, (path, status)
        if 401 in declared:
            assert "WWW-Authenticate" in op["responses"]["401"]["headers"]


@pytest.mark.parametrize("method,path,statuses", [
    ("post", "/api/v1/signup", {403, 409, 429}),  # under_13, email_taken, rate_limited
    ("post", "/api/v1/auth/token", {401, 429}),  # invalid_credentials, locked_out
    ("patch", "/api/v1/me", {400, 409}),  # under_13, email_taken
    ("post", "/api/v1/orders", {403}),  # no_profile
    ("get", "/api/v1/invoices/{number}", {404}),
    ("post", "/api/v1/invoices/{number}/pay", {402, 404, 409}),  # card_declined, not_open
    ("get", "/api/v1/erasure/{token}", {404}),
    ("get", "/api/v1/domains/check", {400}),  # the rule a name breaks
    ("post", "/api/v1/domains", {409, 410}),  # taken, erasure_started
    ("get", "/api/v1/domains/{name}", {404}),
])
def test_the_refusals_of_the_services_are_declared(document, method, path, statuses):
    """The refusals each operation's service makes (under 13, email taken, locked out, …) are
    declared with the operation."""
    assert statuses <= {int(s) for s in document["paths"][path][method]["responses"]}


def _bounded(schema: dict) -> bool:
    kind = schema.get("type")
    if kind == "string":
        return bool({"maxLength", "pattern", "enum", "format"} & set(schema))
    if kind == "integer":
        return "minimum" in schema and "maximum" in schema
    return kind in ("boolean", "null")


def _leaves(document, schema: dict, name=""):
    schema = resolve(document, schema)
    if schema.get("type") == "object":
        assert schema.get("additionalProperties") is False, name
        for key, sub in schema["properties"].items():
            yield from _leaves(document, sub, f"{name}.{key}".lstrip("."))
    elif schema.get("type") == "array":
        assert "maxItems" in schema, name
        yield from _leaves(document, schema["items"], f"{name}[]")
    else:
        yield name, schema


def test_every_input_states_its_limits(document):
    """Every field of a request body and every query parameter states its limits: strings a
    length, pattern or format, integers a range, objects no unknown keys."""
    for path, method, op in operations(document):
        body = body_schema(document, op)
        leaves = list(_leaves(document, body)) if body else []
        leaves += [(p["name"], p["schema"]) for p in op.get("parameters", ())
                   if p["in"] == "query"]
        unbounded = [name for name, schema in leaves if not _bounded(schema)]
        assert unbounded == [], (method, path)


def test_the_limits_are_the_forms(document):
    """The stated limits are those the forms and services enforce."""
    signup = resolve(document, {"$ref": "#/components/schemas/SignupIn"})
    address = resolve(document, signup["properties"]["address"])
    card = resolve(document, signup["properties"]["card"])
    assert signup["properties"]["name"]["maxLength"] == 200
    assert signup["properties"]["email"]["maxLength"] == 254
    assert signup["properties"]["phone"]["maxLength"] == 32
    assert signup["properties"]["password"]["maxLength"] == 128
    assert signup["properties"]["date_of_birth"]["format"] == "date"
    assert (address["properties"]["line1"]["maxLength"], address["properties"]["city"]["maxLength"],
            address["properties"]["postal_code"]["maxLength"]) == (200, 100, 20)
    assert address["properties"]["country"]["pattern"] == "^[A-Z]{2}$"
    assert set(address["properties"]["country"]["enum"]) == {c for c, _ in country_choices()}
    assert (card["properties"]["exp_month"]["minimum"], card["properties"]["exp_month"]["maximum"],
            card["properties"]["exp_year"]["minimum"], card["properties"]["exp_year"]["maximum"]
            ) == (1, 12, 2000, 2100)
    order = resolve(document, {"$ref": "#/components/schemas/OrderIn"})
    assert order["properties"]["quantity"]["maximum"] == billing.MAX_QUANTITY


# --- what the server answers --------------------------------------------------------------

_emails = count(1)


def _signup_body() -> dict:
    return {
        "name": "Walk Example", "email": f"walk{next(_emails)}@example.test",
        "phone": "+91 98765 43210",
        "address": {"line1": "12 Hill Road", "line2": "Near the lake", "city": "Pune",
                    "region": "Maharashtra", "postal_code": "411001", "country": "IN"},
        "date_of_birth": "1985-04-02", "password": "a-long-enough-pass-1",
        "card": {"number": "4242 4242 4242 4242", "exp_month": 12, "exp_year": 2031,
                 "cvc": "123"},
    }


def _wrong_type(schema: dict):
    return "12" if schema.get("type") in ("integer", "number") else 12


def mutations(document, schema: dict, value, name=""):
    """Values just outside what ``schema`` allows, each with the field it breaks."""
    schema = resolve(document, schema)
    kind = schema.get("type")
    yield name, _wrong_type(schema) if kind != "object" else "not an object"
    if kind == "object" and value is not None:
        yield name, {**value, "unexpected": 1}
        for key, sub in schema["properties"].items():
            path = f"{name}.{key}".lstrip(".")
            if key in schema.get("required", ()):
                yield path, {k: v for k, v in value.items() if k != key}
            for where, bad in mutations(document, sub, value.get(key), path):
                yield where, {**value, key: bad}
    elif kind == "string":
        if "maxLength" in schema:
            yield name, "x" * (schema["maxLength"] + 1)
        if schema.get("minLength"):
            yield name, ""
        if "pattern" in schema:
            yield name, "\u2603"
        if schema.get("format") == "date":
            yield name, "2020-13-45"
    elif kind == "array" and value:
        if "maxItems" in schema:
            yield name, (list(value) * (schema["maxItems"] + 1))[:schema["maxItems"] + 1]
        if schema.get("minItems"):
            yield name, list(value)[:schema["minItems"] - 1]
    elif kind == "integer":
        yield name, 1.5
        yield name, True
        if "minimum" in schema:
            yield name, schema["minimum"] - 1
        if "maximum" in schema:
            yield name, schema["maximum"] + 1


def query_mutations(schema: dict):
    """Query values (text) just outside what ``schema`` allows."""
    if schema.get("type") == "integer":
        yield from ("x", "1.5", str(schema["minimum"] - 1), str(schema["maximum"] + 1))


class Walk:
    """Sends requests and holds each answer to the operation's declarations."""

    def __init__(self, document, user, token: str, csrf_client: Client):
        self.document, self.client, self.csrf_client = document, Client(), csrf_client
        self.user = user
        self.auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        self.reseller_auth: dict = {}  # a reseller key, for /api/v1/reseller/…
        self.path_auth: dict = {}  # path -> credentials of another caller (a reseller's customer)
        self.sent = 0

    def send(self, method, path, op, *, url=None, body=None, raw=None,
             content_type="application/json", auth=True, client=None):
        client = client or self.client
        if raw is None and body is not None:
            raw = json.dumps(body)
        own = self.reseller_auth if path.startswith(RESELLER) else self.path_auth.get(
            path, self.auth)
        extra = own if auth else {}
        kwargs = {"data": raw, "content_type": content_type} if raw is not None else {}
        resp = client.generic(method.upper(), url or path, **kwargs, **extra)
        self.check(method, path, op, resp)
        self.sent += 1
        return resp

    def check(self, method, path, op, resp):
        declared = op["responses"]
        where = f"{method.upper()} {path} -> {resp.status_code}: {resp.content[:300]!r}"
        assert str(resp.status_code) in declared, where
        content = declared[str(resp.status_code)].get("content")
        if resp.status_code >= 400:
            assert resp["Content-Type"].split(";")[0] == PROBLEM, where
        if not content:
            return
        media_type = resp["Content-Type"].split(";")[0].strip()
        assert media_type in content, where
        schema = content[media_type].get("schema")
        if schema:
            errors = sorted(validator(self.document, schema).iter_errors(resp.json()), key=str)
            assert errors == [], (where, [e.message for e in errors])


@pytest.fixture
def walk(document):
    user = make_subscriber()
    client = Client()
    resp = client.post("/api/v1/auth/token", {"email": user.email, "password": PASSWORD},
                       content_type="application/json")
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    csrf_client.get("/panel/")  # a browser has the CSRF cookie, and writes without the token
    return Walk(document, user, resp.json()["token"], csrf_client)


def _reseller_walk(walk) -> dict:
    """Give the walk a reseller key; return valid requests of the reseller API."""
    from hostpact.resellers.services.removals import request_removal
    from hostpact.resellers.tests.api_helpers import customer_body, key_for
    from hostpact.resellers.tests.helpers import make_customer, make_reseller

    reseller = make_reseller()
    walk.reseller_auth = {"HTTP_AUTHORIZATION": f"Bearer {key_for(reseller)[1]}"}
    customer = make_customer(reseller)
    domain = register_domain(customer, "walk-reseller.test")
    rr, _ = request_removal(reseller, customer, actor="system")
    other = make_customer(reseller)
    # Only a reseller's customer's request is forwarded to its controller (C38).
    from hostpact.accounts.services.tokens import issue_api_token

    walk.path_auth["/api/v1/me/controller-requests"] = {
        "HTTP_AUTHORIZATION": f"Bearer {issue_api_token(customer)[0]}",
        "HTTP_HOST": reseller.hosts.first().host}
    r = RESELLER
    return {
        ("post", "/api/v1/me/controller-requests"): {"body": {"kind": "access",
                                                              "consent": True}},
        ("post", f"{r}customers"): {"body": customer_body(email="walk-reseller@example.test")},
        ("get", f"{r}customers/{{ref}}"): {"url": f"{r}customers/{customer.customer_id}"},
        ("post", f"{r}customers/{{ref}}/opt-out"): {
            "url": f"{r}customers/{customer.customer_id}/opt-out"},
        ("post", f"{r}removal-requests"): {"body": {"customer": other.customer_id}},
        ("get", f"{r}removal-requests/{{rr_id}}"): {"url": f"{r}removal-requests/{rr.pk}"},
        ("post", f"{r}orders"): {"body": {"customer": customer.customer_id,
                                          "price_id": price().pk}},
        ("get", f"{r}domains/{{name}}"): {"url": f"{r}domains/{domain.name}"},
    }


def test_every_answer_to_a_walk_of_the_api_is_declared(walk, document, settings):
    """Valid requests, each input just past its limits or of the wrong type, bodies of the
    wrong media type, malformed or too large, and requests without credentials: every answer
    has a declared status and a body valid for it; each input the document forbids is 400
    naming its field; each answer without credentials is 401."""
    settings.SIGNUP_RATE_PER_HOUR = 10_000
    user = walk.user
    actor = audit.actor_of(user)
    placed = billing.place_order(user, price(), actor)
    invoice = placed.invoice
    other = erasure.request_erasure(make_subscriber(), actor="staff:walk")
    register_domain(user, "walk-own.test")
    reseller_valid = _reseller_walk(walk)
    contact = {"name": "Walk Contact", "email": "walk-contact@example.test",
               "phone": "+91 98765 43210",
               "address": {"line1": "12 Hill Road", "city": "Pune", "postal_code": "411001",
                           "country": "IN"}}
    valid = {
        ("post", "/api/v1/auth/token"): {"body": {"email": user.email, "password": PASSWORD}},
        ("post", "/api/v1/signup"): {"body": _signup_body()},
        ("post", "/api/v1/orders"): {"body": {"price_id": price().pk, "quantity": 1}},
        ("get", "/api/v1/invoices/{number}"): {"url": f"/api/v1/invoices/{invoice.number}"},
        ("get", "/api/v1/services/{service_id}"): {
            "url": f"/api/v1/services/{placed.service.pk}"},
        ("post", "/api/v1/invoices/{number}/pay"): {
            "url": f"/api/v1/invoices/{invoice.number}/pay"},
        ("patch", "/api/v1/me"): {"body": {"name": "Walk Changed",
                                           "address": {"line2": "Second floor"}}},
        ("get", "/api/v1/erasure/{token}"): {"url": f"/api/v1/erasure/{other.status_token}"},
        ("get", "/api/v1/invoices"): {"url": "/api/v1/invoices?limit=5&offset=0"},
        ("get", "/api/v1/me/disclosures"): {"url": "/api/v1/me/disclosures?page=1"},
        ("get", "/api/v1/domains/check"): {"url": "/api/v1/domains/check?name=walk-new"},
        ("post", "/api/v1/domains"): {"body": {
            "name": "walk-new.test", "years": 1,
            "nameservers": ["ns1.hosting.example", "ns2.hosting.example"],
            "contacts": {"registrant": contact, "admin": contact, "tech": contact,
                         "billing": contact}, "privacy": False}},
        ("get", "/api/v1/domains/{name}"): {"url": "/api/v1/domains/walk-own.test"},
        **reseller_valid,
    }
    # The caller's own erasure comes last: from then on its writes are refused.
    ops = sorted(operations(document), key=lambda o: o[:2] == ("/api/v1/me/erasure", "post"))
    for path, method, op in ops:
        base = valid.get((method, path), {})
        url = base.get("url", path)
        assert "{" not in url, f"no valid request for {method} {path}"
        if (method, path) == ("post", "/api/v1/me/erasure"):  # its domains are settled first
            from hostpact.domains.services.lifecycle import delete_domain, sponsored

            for domain in sponsored(user):
                delete_domain(domain, actor=actor)
        resp = walk.send(method, path, op, url=url, body=base.get("body"))
        assert resp.status_code < 300, (method, path, resp.content)

        if op.get("security"):
            for auth_header in ({}, {"HTTP_AUTHORIZATION": "Bearer not-a-token"}):
                resp = Client().generic(method.upper(), url, **auth_header)
                walk.check(method, path, op, resp)
                assert resp.status_code == 401 and resp["WWW-Authenticate"].startswith("Bearer")
        if _session_write(method, op):
            resp = walk.csrf_client.generic(method.upper(), url, json.dumps(base.get("body")),
                                            content_type="application/json")
            walk.check(method, path, op, resp)
            assert resp.status_code == 403 and resp.json()["code"] == "csrf_failed"
            form = "x=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
            resp = walk.send(method, path, op, url=url, raw=form, auth=False,
                             content_type="application/x-www-form-urlencoded",
                             client=walk.csrf_client)
            # With its cookie present, the CSRF check of a POST reads the form body first.
            assert resp.status_code == (413 if method == "post" else 403)

        for param in op.get("parameters", ()):
            if param["in"] == "query":
                for bad in query_mutations(param["schema"]):
                    resp = walk.send(method, path, op, url=f"{path}?{param['name']}={bad}")
                    assert resp.status_code == 400 and param["name"] in resp.json()["errors"]
            elif param["in"] == "path":
                resp = walk.send(method, path, op,
                                 url=path.replace("{" + param["name"] + "}", "no-such-thing"))
                assert resp.status_code == 404

        schema = body_schema(document, op)
        if schema is None:
            continue
        for raw, content_type, status in (
                (json.dumps(base["body"]), "text/plain", 415),
                (json.dumps(base["body"]), "application/x-www-form-urlencoded", 415),
                ("{not json", "application/json", 400), ("[]", "application/json", 400),
                ("null", "application/json", 400),
                ("x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1), "application/json", 413)):
            resp = walk.send(method, path, op, url=url, raw=raw, content_type=content_type)
            assert resp.status_code == status, (method, path, content_type, resp.content)
        for field, bad in mutations(document, schema, base["body"]):
            resp = walk.send(method, path, op, url=url, raw=json.dumps(bad),
                             content_type="application/json")
            assert resp.status_code == 400, (method, path, field, bad)
            named = resp.json()["errors"]
            assert any(k == field or k.startswith(f"{field}.") or not field for k in named), (
                method, path, field, named)
    assert walk.sent > 150
