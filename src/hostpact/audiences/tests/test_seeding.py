"""Bulk demo answers: ``seed_demo --answers F`` gives that fraction of subscribers answers that
read back through the model and lie within the choices."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from hostpact.audiences import queries, questions, seeding, services
from hostpact.audiences.models import Answers

pytestmark = pytest.mark.django_db


def test_seeded_answers_read_back_within_the_choices(subscriber, other_subscriber):
    """Every subscriber without answers gets some at fraction 1; existing ones are kept."""
    services.save_answers(other_subscriber, {"gender": "male"}, actor="test")
    assert seeding.seed_answers(1.0, seed=3) == 1
    row = Answers.objects.get(subject_id=subscriber.subject_id)
    for name, choices in questions.SINGLE.items():
        assert (getattr(row, name) or "") in {"", *dict(choices)}
    for name, choices in questions.MULTIPLE.items():
        assert set(filter(None, (getattr(row, name) or "").split(","))) <= set(dict(choices))
    assert Answers.objects.get(subject_id=other_subscriber.subject_id).gender == "male"
    assert len(list(queries.all_attributes(chunk=1))) == 2


def test_seed_demo_seeds_a_fraction_of_the_subscribers(capsys):
    """``seed_demo --subscribers 40 --answers 0.5`` answers for about half of them."""
    call_command("seed_demo", "--subscribers", "40", "--answers", "0.5", "--seed", "131")
    assert 10 <= Answers.objects.count() <= 30
    assert "optional answers seeded" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("seed_demo", "--subscribers", "1", "--answers", "2", "--seed", "132")
