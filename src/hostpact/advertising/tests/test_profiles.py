"""Audiences computed from the audiences app's real attributes: the form's answers first."""

import pytest
from django.contrib.auth import get_user_model

from hostpact.advertising import services
from hostpact.audiences.services import save_answers


@pytest.mark.commitment("C24")
def test_an_audience_counts_the_subscribers_whose_answers_match(crowd, make_campaign):
    """110 of 250 seeded subscribers say they are men in the form: the men's audience holds
    exactly them; the audience of everyone holds all 250."""
    users = get_user_model().objects.filter(pk__in=[uid for uid, _ in crowd[:110]])
    for user in users:
        save_answers(user, {"gender": "male"}, actor="subscriber:test")
    men = services.define_audience(make_campaign("Men"), {"genders": ["male"]},
                                   actor="staff:test")
    assert men.member_count == 110
    everyone = services.define_audience(make_campaign("All"), {}, actor="staff:test")
    assert everyone.member_count == len(crowd)
