"""Fixtures of the advertising tests: a crowd of seeded subscribers and their attributes.

The attributes stand in for the audiences app's (``hostpact.audiences.queries``): each test
says who has which, through ``advertising.profiles``, so an audience's size is known.
"""

import datetime

import pytest

from hostpact.advertising import profiles, selection, services
from hostpact.advertising.tests.helpers import DAY
from hostpact.core import clock
from hostpact.panel.seeding import seed_subscribers
from hostpact.privacy.disclosures.models import Recipient


@pytest.fixture
def frozen_day():
    with clock.freeze(datetime.datetime(2026, 3, 2, 6, 0, tzinfo=datetime.UTC)):
        yield DAY


@pytest.fixture
def crowd(db):
    """250 seeded subscribers: a list of (user id, subject id)."""
    owners: list = []
    seed_subscribers(250, seed=1300, owners=owners)
    return owners


@pytest.fixture
def attributes(monkeypatch):
    """Set who has which attributes: ``attributes.set({subject_id: Attrs, ...})``."""
    class Book:
        rows: dict = {}

        def set(self, rows):
            self.rows = dict(rows)

    book = Book()
    monkeypatch.setattr(profiles, "all_attributes", lambda chunk=2000: iter(book.rows.values()))
    monkeypatch.setattr(profiles, "attributes_of", lambda sid: book.rows[sid])
    selection.clear_cache()
    yield book
    selection.clear_cache()


@pytest.fixture
def advertiser(db):
    return Recipient.objects.get(slug="advertiser")


@pytest.fixture
def make_campaign(advertiser):
    def make(name="Spring hosting", starts_on=datetime.date(2026, 1, 1)):
        return services.create_campaign(advertiser, name, starts_on, actor="staff:test")
    return make

