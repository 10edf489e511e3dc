"""Helpers of the referrals tests: requests with a chosen consent, referred subscribers."""

from datetime import UTC, datetime
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from hostpact.billing.models import Product
from hostpact.consent.state import Consent
from hostpact.core import clock
from hostpact.privacy.cookies import ADVERTISING, REQUIRED
from hostpact.referrals import services
from hostpact.referrals.models import RewardRule
from hostpact.testing import factories

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
ACTOR = "system:test"
ADS = Consent(granted=frozenset({REQUIRED, ADVERTISING}), chosen=True, consent_id="c" * 32)
NONE = Consent(chosen=True, consent_id="d" * 32)


def get(path, *, consent=None, cookies=None, data=None):
    """A GET request with ``consent`` (None: no consent state at all) and ``cookies``."""
    request = RequestFactory().get(path, data or {})
    return _dressed(request, consent, cookies)


def post(path, data, *, consent=None, cookies=None, user=None):
    request = RequestFactory().post(path, data)
    return _dressed(request, consent, cookies, user)


def _dressed(request, consent, cookies, user=None):
    if consent is not None:
        request.consent = consent
    request.COOKIES.update(cookies or {})
    request.user = user or AnonymousUser()
    return request


def referrer_code(user=None):
    """A subscriber (``user`` or a new one) and their banner code."""
    user = user or factories.make_subscriber()
    with clock.freeze(NOW):
        return services.create_code(user, actor=ACTOR)


def hosting_rule(percent="10"):
    """A percentage banner reward on the starter hosting plan."""
    product = Product.objects.get(code="shared-starter")
    return services.set_reward_rule(product=product, kind=RewardRule.Kind.PERCENT,
                                    value=Decimal(percent), actor=ACTOR)
