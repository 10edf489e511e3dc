"""Support changes a subscription for a verified caller (the data-subject request path of
C31/C32), and erasure removes subscriptions while the change ledger stays anonymous."""

import pytest

from hostpact.accounts.models import User
from hostpact.marketing.models import Subscription, SubscriptionChange, Suppression
from hostpact.marketing.services import is_subscribed, suppress_address
from hostpact.privacy.rights.erasure.services import erase_subject
from hostpact.privacy.subject_requests import services
from hostpact.privacy.subject_requests.tests.helpers import verified
from hostpact.testing.factories import make_staff, make_subscriber


@pytest.fixture
def staff(db):
    return make_staff(groups=["support"])


@pytest.mark.commitment("C31")
def test_a_verified_objection_to_promotions_unsubscribes_through_support(staff, db):
    """Objecting to promotions leaves promotions and partners' promotions, method support;
    newsletters and notices stay."""
    user = make_subscriber()
    dsr = verified(staff, user, kind="objection")
    services.fulfil_objection(dsr, staff, "marketing.communications.email.promotions")
    assert not is_subscribed(user.subject_id, "promotions")
    assert not is_subscribed(user.subject_id, "partner-promotions")
    assert is_subscribed(user.subject_id, "newsletters")
    methods = set(SubscriptionChange.objects.filter(subject_id=user.subject_id, subscribed=False)
                  .values_list("method", flat=True))
    assert methods == {"support"}


def test_erasure_deletes_subscriptions_and_suppressions_and_anonymises_the_ledger(db):
    """After erasure no subscription or suppression of the person is left; their changes stay
    as evidence without subject or actor."""
    user = make_subscriber()
    suppress_address(user.email, "complaint", "abuse", "system")
    changes = list(SubscriptionChange.objects.filter(subject_id=user.subject_id)
                   .values_list("pk", flat=True))
    erase_subject(user.subject_id, actor="staff:1")
    assert not Subscription.objects.filter(subject_id=user.subject_id).exists()
    assert not Suppression.objects.exists()
    kept = SubscriptionChange.objects.filter(pk__in=changes)
    assert kept.count() == len(changes)
    assert all(c.subject_id is None and c.actor == "" for c in kept)
    assert not User.objects.get(pk=user.pk).is_active
