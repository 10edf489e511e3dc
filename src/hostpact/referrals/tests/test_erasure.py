"""Erasure and the programme: a subscriber's referral data goes with them; what an affiliate
earned stays, no longer tied to the person."""

from datetime import timedelta

import pytest

from hostpact.billing import services as billing
from hostpact.billing.tests.helpers import price
from hostpact.core import clock
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.privacy.rights.models import ErasureJob
from hostpact.referrals import services
from hostpact.referrals.models import Attribution, Earning, ReferralCode, Reward
from hostpact.referrals.tests.helpers import NOW, hosting_rule, post, referrer_code
from hostpact.testing import factories

pytestmark = pytest.mark.django_db


def test_erasing_the_referred_subscriber_removes_how_they_found_us():
    """The referred subscriber's attribution is deleted by their erasure; the referrer's
    reward stays theirs, with no link to the erased person."""
    hosting_rule()
    code = referrer_code()
    user = factories.make_subscriber()
    services.attribute_signup(user, post("/signup/", {"ref": code.code}))
    with clock.freeze(NOW):
        placed = billing.place_order(user, price(), "system")
        billing.pay_invoice(placed.invoice, "system")
        job = erasure.erase_subject(user.subject_id, actor="system:test")
    assert job.state == ErasureJob.State.DONE
    assert not Attribution.objects.exists()
    reward = Reward.objects.get()
    assert reward.attribution is None and reward.referrer == code.user


def test_erasing_the_referrer_deletes_their_reward_and_ends_their_code():
    """The referrer's erasure deletes their pending reward and clears their code, which the
    attributions it made still point at, so no link can use it again."""
    hosting_rule()
    code = referrer_code()
    user = factories.make_subscriber()
    services.attribute_signup(user, post("/signup/", {"ref": code.code}))
    with clock.freeze(NOW):
        placed = billing.place_order(user, price(), "system")
        billing.pay_invoice(placed.invoice, "system")
        erasure.erase_subject(code.user.subject_id, actor="system:test")
    assert not Reward.objects.filter(state=Earning.State.PENDING).exists()
    row = ReferralCode.objects.get(pk=code.pk)
    assert row.code != code.code and services.active_code(row.code) is None
    with clock.freeze(NOW + timedelta(days=31)):
        assert services.mature_earnings() == 0
