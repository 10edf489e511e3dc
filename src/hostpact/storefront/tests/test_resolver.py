"""The domain resolver the storefront registers for billing: a subscriber's own domains only."""

import pytest

from hostpact.billing.attachments import resolve_domain
from hostpact.domains.tests.helpers import register

pytestmark = pytest.mark.django_db


def test_billing_finds_a_subscribers_domain_by_either_label_and_no_one_elses(
        subscriber, other_subscriber):
    """Billing resolves the subscriber's domain typed as U-label or A-label, and nothing for
    another subscriber's domain or a bad name."""
    register(subscriber, "xn--bcher-kva.test")
    register(other_subscriber, "theirs.test")
    assert resolve_domain(subscriber, "Bücher.test") == "xn--bcher-kva.test"
    assert resolve_domain(subscriber, "xn--bcher-kva.test") == "xn--bcher-kva.test"
    assert resolve_domain(subscriber, "theirs.test") is None
    assert resolve_domain(subscriber, "-bad-.test") is None


def test_a_domain_whose_sponsorship_ended_takes_no_new_service(subscriber):
    """A deleted domain is still on record (its 2-year keep) but no plan can be attached."""
    from hostpact.domains.services.lifecycle import delete_domain

    domain = register(subscriber, "gone.test")
    delete_domain(domain, actor="system:test")
    assert resolve_domain(subscriber, "gone.test") is None
