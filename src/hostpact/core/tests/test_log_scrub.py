"""Nothing personal in logs (C02): the configured logging blanks cards, emails and phones."""

import io
import logging

import pytest

CARD, EMAIL, PHONE = "4242 4242 4242 4242", "ravi.example@example.test", "+919876543210"


@pytest.fixture
def console():
    """The platform's configured console handler, writing into a buffer for the test."""
    [handler] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


@pytest.mark.commitment("C02")
@pytest.mark.parametrize("logger", ["hostpact.billing.gateway", "django.request", "a.library"])
def test_card_email_and_phone_are_redacted_in_the_log_output(console, logger):
    """A message carrying a card number, an email and a phone number, through its arguments or
    its text, reaches the log with each blanked and the rest kept."""
    log = logging.getLogger(logger)
    log.error("charge failed for card %s, mail %s, phone %s", CARD, EMAIL, PHONE)
    log.error(f"retry for {EMAIL} at {PHONE} with 4111111111111111")
    out = console.getvalue()
    for secret in (CARD, CARD.replace(" ", ""), EMAIL, PHONE, "98765", "4111111111111111"):
        assert secret not in out
    assert out.count("[redacted]") == 6
    assert "charge failed for card" in out and "retry for" in out
