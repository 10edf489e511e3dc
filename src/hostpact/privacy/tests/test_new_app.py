"""A new app plugs into the privacy spine by declaring itself, with no edit to core or privacy.

The loyalty-card app (``privacy/tests/sampleapp``) exists only under the tests. Its
``datamap.py`` declares its fields, a section and a back-office inline, and that is all it
takes for its data to be exported, shown on "My information", erased by crypto-shredding,
filtered by staff role and listed by ``hostpact datamap``.
"""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from hostpact.core import clock
from hostpact.privacy.rights.erasure import services as erasure
from hostpact.privacy.rights.export.queries import build_export
from hostpact.privacy.tests.sampleapp.models import LoyaltyCard
from hostpact.testing.factories import make_staff

pytestmark = pytest.mark.django_db

PRINTED = "Asha Loyalty"
PHONE = "+919812345670"


@pytest.fixture
def card(subscriber):
    return LoyaltyCard.objects.create(subject=subscriber.subject, user=subscriber,
                                      printed_name=PRINTED,
                                      phone=PHONE, points=120, created_at=clock.now())


def test_the_new_app_is_in_the_export(subscriber, card):
    """The export has a section for the app, each value described from its data map."""
    records = build_export(subscriber.subject_id)["sections"]["sampleapp"]["LoyaltyCard"]
    items = {i["field"]: i for i in records[0]["items"]}
    assert items["printed_name"]["value"] == PRINTED
    assert items["phone"]["category"] == "user.contact.phone_number"
    assert items["phone"]["erasure"] == "crypto-shred"
    assert "points" not in items  # declared not personal


def test_the_new_app_is_on_my_information(client, subscriber, card):
    """"My information" shows the app's section, under the title it registered, after the
    sections registered before it."""
    client.force_login(subscriber)
    page = client.get("/panel/information/").content.decode()
    assert "Loyalty card" in page and PRINTED in page
    assert 'data-field="sampleapp.LoyaltyCard.phone"' in page
    assert page.index("Contact, address and date of birth") < page.index("Loyalty card")


def test_the_new_app_is_erased_by_crypto_shredding(subscriber, card):
    """After erasure the row stays but its personal columns can no longer be decrypted."""
    job = erasure.erase_subject(subscriber.subject_id, actor="system:test")
    assert job.state == job.State.DONE
    assert "rows:sampleapp.loyaltycard" in job.steps_done
    card = LoyaltyCard.objects.get(pk=card.pk)
    assert card.printed_name is None and card.phone is None
    assert card.points == 120


def test_the_new_app_is_filtered_by_staff_role(client, subscriber, card):
    """On the subscriber's back-office page, support (contact data) sees the card's phone;
    marketing (names and email addresses only) sees the printed name but not the phone."""
    for role, sees_phone in (("support", True), ("marketing", False)):
        client.force_login(make_staff(groups=[role]))
        page = client.get(f"/admin/accounts/user/{subscriber.pk}/change/").content.decode()
        assert PRINTED in page, role
        assert (PHONE in page) is sees_phone, role


def test_the_new_app_is_listed_by_hostpact_datamap(capsys):
    """``hostpact datamap`` lists every field of the app with its declaration."""
    call_command("datamap", "--format", "json")
    rows = {r["field"]: r for r in json.loads(capsys.readouterr().out)
            if r["app"] == "sampleapp"}
    assert set(rows) == {"id", "subject", "user", "printed_name", "phone", "points",
                         "created_at"}
    assert rows["printed_name"]["category"] == "user.name"


def test_no_file_of_core_or_privacy_names_the_new_app():
    """The app is known to the spine only through its own declarations."""
    root = Path(__file__).resolve().parents[2]
    spine = [p for d in ("core", "privacy") for p in (root / d).rglob("*.py")
             if "tests" not in p.parts]
    assert not [p for p in spine if re.search(r"sampleapp|LoyaltyCard", p.read_text())]
