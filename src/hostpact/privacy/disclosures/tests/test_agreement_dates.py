"""An agreement counts at the gate only between its start and end dates (C21)."""

import datetime

import pytest

from hostpact.core import clock
from hostpact.privacy import disclose
from hostpact.privacy.disclosures.models import Agreement, Disclosure, Recipient
from hostpact.privacy.disclosures.services import DisclosureRefused

pytestmark = pytest.mark.django_db
# Noon in India: the gate's "today" is unambiguous.
NOON = datetime.datetime(2030, 3, 4, 6, 30, tzinfo=datetime.UTC)
TODAY = datetime.date(2030, 3, 4)
GROUP = "hostpact-group-services"


def _to_group(subscriber):
    return disclose(GROUP, [subscriber.subject_id], ["user.name"], "essential.service", "",
                    actor="system:test")


@pytest.mark.commitment("C21")
def test_agreement_starting_tomorrow_is_not_valid_today(subscriber):
    """A corporate-family member whose only agreement starts tomorrow receives nothing today;
    on its first day the same agreement lets the disclosure through."""
    Agreement.objects.filter(recipient__slug=GROUP).update(
        signed_on=TODAY, valid_from=TODAY + datetime.timedelta(days=1))
    before = Disclosure.objects.count()
    with clock.freeze(NOON), pytest.raises(DisclosureRefused) as info:
        _to_group(subscriber)
    assert info.value.code == "no_agreement"
    assert Disclosure.objects.count() == before

    with clock.freeze(NOON + datetime.timedelta(days=1)):
        disclosure = _to_group(subscriber)
    assert disclosure.agreement.recipient.slug == GROUP


@pytest.mark.commitment("C21")
def test_confidentiality_signed_for_later_does_not_cover_today(subscriber):
    """A partner bound to confidentiality only from next month, under a current agreement
    without it, is refused as not bound to confidentiality."""
    partner = Recipient.objects.get(slug="co-marketing-partner")
    partner.agreements.update(confidentiality=False)
    Agreement.objects.create(recipient=partner, kind=Agreement.Kind.CONFIDENTIALITY,
                             reference="NDA-2030-04", signed_on=TODAY,
                             valid_from=datetime.date(2030, 4, 1), confidentiality=True)
    with clock.freeze(NOON), pytest.raises(DisclosureRefused) as info:
        disclose(partner, [subscriber.subject_id], ["user.name"],
                 "marketing.communications.email.promotions", "", actor="system:test")
    assert info.value.code == "no_confidentiality"
