"""Reseller API test helpers: a key and a client that sends it."""

import json

from django.test import Client

from hostpact.resellers.models import ApiKey
from hostpact.resellers.services.keys import create_key


def key_for(reseller, scopes=ApiKey.SCOPES, **extra):
    """Make a key of ``reseller`` and return (key, secret)."""
    return create_key(reseller, name=extra.pop("name", "test system"), scopes=scopes,
                      actor="system", **extra)


class KeyClient(Client):
    """A test client that sends a reseller key and JSON bodies."""

    def __init__(self, secret, **defaults):
        super().__init__(HTTP_AUTHORIZATION=f"Bearer {secret}", **defaults)

    def post_json(self, path, body):
        return self.post(path, json.dumps(body), content_type="application/json")


def client_for(reseller, scopes=ApiKey.SCOPES, **extra) -> KeyClient:
    return KeyClient(key_for(reseller, scopes, **extra)[1])


def customer_body(**overrides) -> dict:
    body = {"name": "Ravi Example", "email": "ravi@example.test", "phone": "+919876543210",
            "address": {"line1": "1 Lake Road", "city": "Pune", "postal_code": "411001",
                        "country": "IN"},
            "date_of_birth": "1990-01-01", "password": "correct-horse-battery-1"}
    body.update(overrides)
    return body
