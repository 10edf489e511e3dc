"""An advertiser's audience: checked against the form's choices, never under 100 subscribers,
never 1 to 99 subscribers away from another of the advertiser's audiences (C24)."""

import pytest

from hostpact.advertising import services
from hostpact.advertising.audience import AudienceRefused
from hostpact.advertising.models import AudienceMember
from hostpact.advertising.tests.helpers import Attrs, gender_split
from hostpact.privacy.rights.erasure import services as erasure


@pytest.mark.commitment("C24")
def test_an_audience_under_100_subscribers_is_refused(crowd, attributes, make_campaign):
    """99 men are too few: the audience is refused and nothing is stored."""
    attributes.set(gender_split(crowd, males=99))
    campaign = make_campaign()
    with pytest.raises(AudienceRefused, match="fewer than 100"):
        services.define_audience(campaign, {"genders": ["male"]}, actor="staff:test")
    campaign.refresh_from_db()
    assert not campaign.audience_defined
    assert not AudienceMember.objects.filter(campaign=campaign).exists()


@pytest.mark.commitment("C24")
def test_an_audience_of_100_is_accepted_and_its_members_stored(crowd, attributes,
                                                               make_campaign):
    """100 men make an audience; exactly they are its members."""
    attributes.set(gender_split(crowd, males=100))
    campaign = services.define_audience(make_campaign(), {"genders": ["male"],
                                                          "age_bands": ["25-34"]},
                                        actor="staff:test")
    men = {sid for _uid, sid in crowd[:100]}
    assert set(AudienceMember.objects.filter(campaign=campaign)
               .values_list("subject_id", flat=True)) == men
    assert campaign.member_count == 100


@pytest.mark.commitment("C24")
def test_an_audience_one_person_away_from_another_is_refused(crowd, attributes, make_campaign):
    """Everyone, then everyone but one woman (by narrowing to Indian residents): the second
    would single her out by subtraction, so it is refused; the very same audience is not."""
    rows = gender_split(crowd, males=120)
    _uid, target = crowd[-1]
    rows[target] = Attrs(target, gender="female", age_band="25-34", country="LK")
    attributes.set(rows)
    services.define_audience(make_campaign("All"), {}, actor="staff:test")
    with pytest.raises(AudienceRefused, match="differs from"):
        services.define_audience(make_campaign("Narrowed"), {"countries": ["IN"]},
                                 actor="staff:test")
    same = services.define_audience(make_campaign("Same"), {"age_bands": ["25-34"]},
                                    actor="staff:test")
    assert same.member_count == len(crowd)


@pytest.mark.commitment("C24")
def test_an_audience_100_or_more_away_from_another_is_accepted(crowd, attributes,
                                                               make_campaign):
    """Men (120) and everyone (250) differ by 130 subscribers: both stand."""
    attributes.set(gender_split(crowd, males=120))
    services.define_audience(make_campaign("All"), {}, actor="staff:test")
    men = services.define_audience(make_campaign("Men"), {"genders": ["male"]},
                                   actor="staff:test")
    assert men.member_count == 120


@pytest.mark.parametrize(("audience", "field"), [
    ({"genders": ["robot"]}, "genders"),
    ({"age_bands": ["30-40"]}, "age_bands"),
    ({"countries": ["India"]}, "countries"),
    ({"products": "vps"}, "products"),
    ({"shoe_size": ["42"]}, "shoe_size"),
])
def test_an_audience_outside_the_choices_is_refused_naming_the_field(db, make_campaign,
                                                                    audience, field):
    """A value or key the form does not have is refused with the field named."""
    campaign = make_campaign()
    with pytest.raises(AudienceRefused) as caught:
        services.define_audience(campaign, audience, actor="staff:test")
    assert caught.value.field == field
    campaign.refresh_from_db()
    assert not campaign.audience_defined


@pytest.mark.commitment("C24")
def test_erasure_removes_the_subscribers_memberships(crowd, attributes, make_campaign):
    """An erased subscriber is in no audience any more."""
    attributes.set(gender_split(crowd, males=0))
    campaign = services.define_audience(make_campaign(), {}, actor="staff:test")
    _uid, sid = crowd[0]
    assert AudienceMember.objects.filter(subject_id=sid).exists()
    erasure.erase_subject(sid, actor="system:test")
    assert not AudienceMember.objects.filter(subject_id=sid).exists()
    assert AudienceMember.objects.filter(campaign=campaign).count() == len(crowd) - 1


@pytest.mark.commitment("C24")
def test_an_objection_to_targeted_advertising_removes_the_memberships(crowd, attributes,
                                                                      make_campaign):
    """A verified objection to the use takes the subscriber out of every audience."""
    from hostpact.privacy.objections import handle_objection

    attributes.set(gender_split(crowd, males=0))
    services.define_audience(make_campaign(), {}, actor="staff:test")
    _uid, sid = crowd[0]
    assert handle_objection(sid, "marketing.advertising", "staff:test") == [
        "marketing.advertising.first_party.targeted"]
    assert not AudienceMember.objects.filter(subject_id=sid).exists()
