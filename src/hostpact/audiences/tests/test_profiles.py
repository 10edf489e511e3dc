"""Aggregate profiles (C17): counts per category built from registration data and the form,
never a name or an id; small cells and their complements suppressed on the dashboard and in
the export; the table is proprietary in the data map and carries no subject."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from hostpact.audiences import profiles, services
from hostpact.audiences.models import ProfileCount
from hostpact.core.models import AuditEntry
from hostpact.testing.factories import make_staff, make_subscriber

pytestmark = [pytest.mark.django_db, pytest.mark.commitment("C17")]


def staff_client(*groups):
    for name in groups:
        Group.objects.get_or_create(name=name)
    client = Client()
    client.force_login(make_staff(groups=groups))
    return client


@pytest.fixture
def crowd():
    """Twelve subscribers in India, three of whom said Germany, one France."""
    people = [make_subscriber() for _ in range(16)]
    for p in people[:3]:
        services.save_answers(p, {"country": "DE", "org_type": "business"}, actor="test")
    services.save_answers(people[3], {"country": "FR"}, actor="test")
    return people


def test_the_tables_hold_counts_and_no_name_or_id(crowd):
    """Building stores counts under labels; no name, email or subject id appears anywhere."""
    assert profiles.build_profiles(actor="test") > 0
    cells = {(c.table, c.row, c.column): c.count for c in ProfileCount.objects.all()}
    assert cells[("country", "IN", "")] == 12
    assert cells[("country", "DE", "")] == 3 and cells[("country", "FR", "")] == 1
    assert cells[("org_type", "not given", "")] == 13
    stored = " ".join(f"{c.table} {c.row} {c.column}" for c in ProfileCount.objects.all())
    for person in crowd:
        assert str(person.subject_id) not in stored and person.profile.name not in stored
    assert {f.name for f in ProfileCount._meta.get_fields()} == {
        "id", "table", "row", "column", "count", "built_at"}
    assert AuditEntry.objects.filter(action="audiences.profiles_built").exists()


def test_a_rebuild_replaces_the_tables(crowd):
    """A second build replaces the counts rather than adding to them."""
    profiles.build_profiles(actor="test")
    services.clear_answers(crowd[3], actor="test")
    profiles.build_profiles(actor="test")
    assert not ProfileCount.objects.filter(table="country", row="FR").exists()
    assert ProfileCount.objects.get(table="country", row="IN").count == 13


def test_small_cells_and_their_complement_are_suppressed_on_the_dashboard(crowd):
    """DE (3) and FR (1) are hidden; hiding FR alone would be undone by the total."""
    profiles.build_profiles(actor="test")
    table = profiles.shown("country")
    by_label = {label: cells[0] for label, cells, _ in table.rows}
    assert by_label["India"] == 12
    assert by_label["Germany"] is None and by_label["France"] is None
    assert table.total is None  # 3 + 1 < 10: the total would reveal their sum
    page = staff_client("marketing").get(reverse("audiences:dashboard")).content.decode()
    assert "suppressed" in page and "Built at" in page and "Rebuild now" in page


def test_the_export_writes_suppressed_cells_as_suppressed(crowd):
    """The CSV export holds the suppressed word where a small count would be."""
    profiles.build_profiles(actor="test")
    response = staff_client("compliance").get(reverse("audiences:export"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    country = {r[1]: r[3] for r in rows if r[0] == "country"}
    assert country["Germany"] == "suppressed" and country["France"] == "suppressed"
    assert country["India"] == "12"
    assert all(not r[3].isdigit() or int(r[3]) == 0 or int(r[3]) >= 10 for r in rows[1:])


def test_only_marketing_compliance_and_superusers_see_the_dashboard(crowd):
    """Support staff and subscribers are refused; marketing staff may rebuild."""
    assert staff_client("support").get(reverse("audiences:dashboard")).status_code == 302
    client = Client()
    client.force_login(crowd[0])
    assert client.get(reverse("audiences:export")).status_code == 302
    marketing = staff_client("marketing")
    response = marketing.post(reverse("audiences:rebuild"), follow=True)
    assert "rebuilt" in response.content.decode()
    assert ProfileCount.objects.exists()


def test_the_command_builds_the_tables(crowd, capsys):
    """``hostpact build_profiles`` builds the tables."""
    call_command("build_profiles")
    assert "cells built" in capsys.readouterr().out
    assert ProfileCount.objects.filter(table="country_by_age_band").exists()


def test_the_table_is_proprietary_in_the_data_map(capsys):
    """``hostpact datamap --format json`` marks every field of the table proprietary and
    not personal."""
    call_command("datamap", "--format", "json")
    rows = [r for r in json.loads(capsys.readouterr().out) if r["model"] == "ProfileCount"]
    assert rows and all(r["proprietary"] and not r["personal"] for r in rows)


def test_the_back_office_home_links_to_the_dashboard(crowd):
    """Marketing staff see the widget with its link on the back office's home page."""
    from hostpact.audiences import tasks

    tasks.build_profiles.call()
    page = staff_client("marketing").get(reverse("admin:index")).content.decode()
    assert "Aggregate profiles" in page and reverse("audiences:dashboard") in page
    assert "16 active subscribers counted" in page
