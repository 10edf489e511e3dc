"""The ``hp_consent`` codec and the ``Consent`` a request carries."""

import pytest
from django.core import signing
from hypothesis import given
from hypothesis import strategies as st

from hostpact.consent import state
from hostpact.consent.tests.helpers import consent_cookie

pytestmark = pytest.mark.django_db


def _read(raw, gpc=False):
    return state.read(raw, gpc=gpc, policy_version=1, banner_revision=1)


def test_a_cookie_reads_back_what_was_chosen():
    """A signed cookie gives back its categories, consent id and a valid choice."""
    raw = consent_cookie(["performance"], policy_version=1, banner_revision=1)
    consent = _read(raw)
    assert consent.chosen and consent.consent_id == "a" * 32
    assert consent.granted == {"required", "performance"}
    assert consent.allows("performance") and not consent.allows("advertising")


def test_the_cookie_is_compact():
    """The cookie stays small: under 160 bytes, far below the 1 kB limit."""
    raw = consent_cookie(["performance", "functional", "advertising"])
    assert len(raw) < 160


def test_a_choice_under_another_policy_version_or_banner_revision_is_no_choice():
    """A new policy version or banner revision brings the banner back and grants nothing
    optional, keeping the consent id."""
    for raw in (consent_cookie(["performance"], policy_version=0, banner_revision=1),
                consent_cookie(["performance"], policy_version=1, banner_revision=2)):
        consent = _read(raw)
        assert not consent.chosen and consent.granted == {"required"}
        assert consent.consent_id == "a" * 32


def test_gpc_refuses_advertising_unless_the_visitor_opted_in_after_it():
    """Under GPC a granted advertising category is refused, except after an explicit opt-in."""
    granted = ["performance", "advertising"]
    plain = consent_cookie(granted, policy_version=1, banner_revision=1)
    opted = consent_cookie(granted, policy_version=1, banner_revision=1,
                           flags=state.CHOSEN | state.GPC_RECORDED | state.AD_OPT_IN)
    assert not _read(plain, gpc=True).allows("advertising")
    assert _read(plain, gpc=True).allows("performance")
    assert _read(opted, gpc=True).allows("advertising")
    assert _read(plain).allows("advertising")


@pytest.mark.commitment("C06")
@pytest.mark.parametrize("make", [
    lambda: "", lambda: "garbage", lambda: "x" * 5000,
    lambda: signing.dumps([7, 1, 1, "a" * 32, 0, 1], salt="another salt"),
    lambda: signing.dumps([7, 1, 1, "a" * 32, 0, 1], salt=state.SALT, key="not our key"),
    lambda: signing.dumps([7, 1, 1, "short", 0, 1], salt=state.SALT),
    lambda: signing.dumps({"c": 7}, salt=state.SALT),
    lambda: signing.dumps([7, 1, 1, "a" * 32, 0], salt=state.SALT),
], ids=["empty", "garbage", "oversized", "other-salt", "forged", "short-id", "not-a-list",
        "too-few-fields"])
def test_a_forged_oversized_or_malformed_cookie_is_no_consent(make):
    """Anything but a well-formed cookie signed by us grants nothing and is no choice."""
    assert _read(make()) == state.NOTHING


def test_an_oversized_cookie_is_refused_before_its_signature_is_checked():
    """A cookie over 1 kB is no consent even when its signature is good."""
    big = signing.dumps([7, 1, 1, "a" * 32, 0, 1, "p" * 2000], salt=state.SALT)
    assert state.decode(big) is None


@given(st.text(max_size=300))
def test_no_cookie_value_raises(raw):
    """Any text at all reads as some consent, never an exception."""
    assert isinstance(_read(raw), state.Consent)


def test_without_the_middleware_a_request_has_no_consent():
    """``of(request)`` answers the "nothing granted" consent for a bare request."""
    from django.test import RequestFactory

    assert state.of(RequestFactory().get("/")) is state.NOTHING
