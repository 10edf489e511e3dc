"""Bad input thrown at the contact form and the mailbox: a clear answer, never a 500 or a
crash, and never a half-stored ticket."""

import pytest
from django.conf import settings as django_settings
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from hostpact.core import inbound
from hostpact.support.models import Ticket
from hostpact.testing.properties import NASTY_TEXT

pytestmark = pytest.mark.django_db
FIELDS = ("name", "email", "topic", "subject", "message")


@hsettings(max_examples=30)
# A lone surrogate cannot be sent in a form body (no client can encode it).
@given(field=st.sampled_from(FIELDS), value=NASTY_TEXT.filter(lambda v: "\ud800" not in v))
def test_the_contact_form_answers_every_bad_field_clearly(client, settings, field, value):
    """Any one field replaced by nasty text gets 201 or a 400 naming what is wrong."""
    settings.SUPPORT_CONTACT_RATE_PER_HOUR = 10**6
    data = {"name": "Ravi", "email": "ravi@example.test", "topic": "support",
            "subject": "Hello", "message": "A question.", field: value}
    before = Ticket.objects.count()
    response = client.post("/support/contact/", data)
    assert response.status_code in (201, 400)
    assert Ticket.objects.count() == before + (response.status_code == 201)


@hsettings(max_examples=40)
@given(raw=st.binary(max_size=2000) | st.builds(
    lambda head, body: b"From: " + head + b"\r\nSubject: " + head + b"\r\n\r\n" + body,
    st.binary(max_size=80), st.binary(max_size=400)))
def test_any_bytes_delivered_to_support_get_an_smtp_reply(raw):
    """Whatever the bytes, the mailbox answers 250 (stored whole, or dropped as automatic)."""
    before = Ticket.objects.count()
    [reply] = inbound.deliver("someone@example.test",
                              [f"support@{django_settings.MAIL_DOMAIN}"], raw)
    assert reply.startswith("250")
    for ticket in Ticket.objects.all()[before:]:
        assert ticket.messages.filter(direction="in").count() == 1
