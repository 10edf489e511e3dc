"""Helpers for the accounts tests: read queued mail, log in through the real pages."""

import re

from hostpact.core.models import OutboxMessage
from hostpact.testing.factories import signup_data

PASSWORD = signup_data()["password"]


def last_mail(user, to=None) -> OutboxMessage:
    rows = OutboxMessage.objects.filter(subject_id=user.subject_id).order_by("-id")
    for row in rows:
        if to is None or row.to_addr == to:
            return row
    raise AssertionError("no mail queued")


def link_in(message, path_prefix: str) -> str:
    match = re.search(r"https?://[^/\s]+(" + re.escape(path_prefix) + r"\S+)", message.body)
    assert match, "no link in the mail"
    return match.group(1)


def web_login(client, user, password=PASSWORD, **extra):
    return client.post("/login/", {"username": user.email, "password": password}, **extra)
